// `mpi-loop info`: which MPI, which addon, which Node.
import { familyOf, mismatchFix } from '../../mpi/launcher';
import { UsageError } from '../command';
import { findMpirun } from '../mpirun';
import { packageVersion } from '../paths';

export const name = 'info';
export const summary = 'print the MPI library, thread level and where the addon came from';
export const usage = `Usage: mpi-loop info

Prints the MPI library and its version, the MPI standard version, the thread
level MPI provides, how blocking calls wait (with more ranks than cores
under an MPI that spins, they test and yield the core: MPI_LOOP_YIELDING_WAITS
overrides), where the addon came from (prebuild, local build or the
serial fallback), its file and the MPI it was built against, mpirun, and the
Node.js version. Runs as one rank outside mpirun. When the addon and mpirun
belong to different MPIs (Open MPI and MPICH side by side), a "mismatch" line
says so and how to fix it: such an mpirun would start N one-rank worlds.
`;

const threadLevels = ['single', 'funneled', 'serialized', 'multiple'];

export async function run(argv: string[]): Promise<number> {
  if (argv.length > 0) throw new UsageError(`unexpected argument "${argv[0]}"`);
  // Loaded only here: importing the package loads the addon (and says so on stderr if it cannot).
  const mpi = require('../../index') as typeof import('../../index');
  const { blockingWaitsYield } = require('../../mpi/environment') as typeof import('../../mpi/environment');
  const lines: Array<[string, string]> = [['mpi-loop', packageVersion()]];
  if (mpi.available) {
    const [major, minor] = mpi.version();
    const level = mpi.queryThread();
    const requested = (process.env.MPI_LOOP_THREAD_LEVEL ?? 'funneled').toLowerCase();
    lines.push(
      ['MPI library', mpi.libraryVersion().split('\n')[0].trim().replace(/\s+/g, ' ')],
      ['MPI standard', `${major}.${minor}`],
      ['thread level', `${threadLevels[level] ?? String(level)} (requested ${requested})`],
      [
        'blocking waits',
        blockingWaitsYield()
          ? 'test and yield the core between tests (more ranks than cores, or MPI_LOOP_YIELDING_WAITS=1)'
          : "the MPI's own blocking calls",
      ],
    );
  } else {
    lines.push(['MPI library', `none, serial fallback (${mpi.addonInfo.reason ?? 'no MPI library'})`]);
  }
  lines.push(['addon', mpi.addonInfo.origin], ['addon file', mpi.addonInfo.file ?? '(none)']);
  if (mpi.available) lines.push(['addon built for', mpi.addonInfo.implementation]);
  const mpirun = findMpirun();
  lines.push([
    'mpirun',
    mpirun ? `${mpirun.path} (${mpirun.flavour}${mpirun.version ? ` ${mpirun.version}` : ''})` : 'not found',
  ]);
  const addonFamily = mpi.available ? familyOf(mpi.addonInfo.implementation) : undefined;
  const mpirunFamily = mpirun ? familyOf(mpirun.flavour) : undefined;
  if (addonFamily && mpirunFamily && addonFamily !== mpirunFamily) {
    lines.push([
      'mismatch',
      `the addon is built against ${addonFamily} but mpirun is ${mpirunFamily}'s: it would start every rank ` +
        `as a one-rank world. To fix: ${mismatchFix(mpirunFamily, addonFamily)}`,
    ]);
  }
  lines.push(['node', `${process.version} (${process.platform}-${process.arch}, N-API ${process.versions.napi})`]);
  const width = Math.max(...lines.map(([k]) => k.length)) + 1;
  process.stdout.write(`${lines.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join('\n')}\n`);
  return 0;
}
