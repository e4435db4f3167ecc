// mpirun for the command line: the one found, or a one-line error saying how to install it.
import { CommandError } from './command';
import { findMpirun, isRoot, type Mpirun } from '../util/mpirun';

export { type Flavour, type Mpirun, findMpirun, identify, isRoot, physicalCores } from '../util/mpirun';

/** The command that installs Open MPI on Debian and Ubuntu. */
export function installCommand(): string {
  return `${isRoot() ? '' : 'sudo '}apt-get install -y openmpi-bin libopenmpi-dev`;
}

export function requireMpirun(): Mpirun {
  const found = findMpirun();
  if (!found) {
    throw new CommandError(`mpirun was not found (no MPI installed?); install Open MPI with: ${installCommand()}`, 127);
  }
  return found;
}
