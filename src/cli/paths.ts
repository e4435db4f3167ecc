// Files of this package the command line starts other processes with.
import path from 'node:path';

/** The package's root (this file is dist/cli/paths.js). */
export const packageRoot = path.resolve(__dirname, '..', '..');
/** The preload every rank runs: `node -r <register> script`. */
export const registerPath = path.join(packageRoot, 'dist', 'register.js');

export function packageVersion(): string {
  return (require(path.join(packageRoot, 'package.json')) as { version: string }).version;
}
