// Where this package is installed, and the files of it that other processes start with.
import path from 'node:path';

/** The package's root folder (this file is dist/util/package-root.js). */
export const packageRoot = path.resolve(__dirname, '..', '..');
/** The preload every rank runs: `node -r <registerPath> script`. */
export const registerPath = path.join(packageRoot, 'dist', 'register.js');
