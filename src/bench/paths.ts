// Where the suite finds its programs.
import path from 'node:path';
import { packageRoot } from '../util/package-root';

/** The baselines' sources: C programs and Python scripts. */
export const baselineSources = path.join(packageRoot, 'scripts', 'bench');
/** The compiled mpi-loop side of a launch. */
export const rankMain = path.join(__dirname, 'rank-main.js');
