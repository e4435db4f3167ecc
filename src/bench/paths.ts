// Where the suite finds its programs and keeps what it builds.
import path from 'node:path';

/** The package root (dist/bench/.. /..). */
export const packageRoot = path.resolve(__dirname, '..', '..');
/** The baselines' sources: C programs and Python scripts. */
export const baselineSources = path.join(packageRoot, 'scripts', 'bench');
/** The compiled mpi-loop side of a launch, and the preload. */
export const rankMain = path.join(__dirname, 'rank-main.js');
export const registerPreload = path.join(packageRoot, 'dist', 'register.js');
