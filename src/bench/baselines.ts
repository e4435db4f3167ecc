// The baselines' tools: the C programs, built with mpicc into a cache
// directory when their sources change, and a Python interpreter with mpi4py.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { familyOf } from '../mpi/launcher';
import { findMpirun, identify } from '../util/mpirun';
import { packageRoot } from '../util/package-root';
import { baselineSources } from './paths';

const run = promisify(execFile);

export type Availability = { ok: true; note?: string } | { ok: false; reason: string };

/**
 * A writable cache directory: node_modules/.cache/mpi-loop-bench in the
 * package (not build/, which node-gyp rebuild wipes), else a temporary one.
 */
function cacheDir(): string {
  const candidates = [
    path.join(packageRoot, 'node_modules', '.cache', 'mpi-loop-bench'),
    path.join(os.tmpdir(), 'mpi-loop-bench'),
  ];
  for (const dir of candidates) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      /* try the next */
    }
  }
  throw new Error('no writable directory for the C baselines');
}

const mtime = (file: string): number => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

/**
 * The C baselines' folder for the MPI that mpicc belongs to (its `-show`
 * command line names the library): programs built against MPICH must not be
 * reused under Open MPI's mpirun, nor the other way round.
 */
async function cacheDirFor(base: string): Promise<string> {
  let show: string;
  try {
    show = (await run('mpicc', ['-show'])).stdout;
  } catch {
    return base;
  }
  const dir = path.join(base, `mpi-${createHash('sha256').update(show).digest('hex').slice(0, 12)}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The C baselines (scripts/bench/<name>.c). */
export const C_PROGRAMS = ['pingpong', 'allreduce', 'loop', 'overlap', 'rma'];

/** Builds each C baseline that is missing or older than its sources. */
export async function buildC(): Promise<{ dir: string; availability: Availability; cc: string | null }> {
  let dir = '';
  try {
    dir = await cacheDirFor(cacheDir());
    const { stdout } = await run('mpicc', ['--version']);
    const cc = stdout.split('\n')[0].trim();
    const header = mtime(path.join(baselineSources, 'bench.h'));
    for (const program of C_PROGRAMS) {
      const src = path.join(baselineSources, `${program}.c`);
      const out = path.join(dir, program);
      if (mtime(out) > Math.max(mtime(src), header)) continue;
      await run('mpicc', ['-O2', '-o', out, src]);
    }
    return { dir, availability: { ok: true }, cc };
  } catch (e) {
    const err = e as { stderr?: string; message: string; code?: string };
    const why =
      err.code === 'ENOENT'
        ? 'mpicc not found (install the MPI development package, e.g. libopenmpi-dev)'
        : `building the C baselines failed: ${(err.stderr || err.message).trim().split('\n').slice(0, 3).join(' ')}`;
    return { dir, availability: { ok: false, reason: why }, cc: null };
  }
}

export interface PythonInfo {
  path: string;
  availability: Availability;
  python: string | null;
  mpi4py: string | null;
  numpy: string | null;
}

/**
 * Debian's python3-mpi4py belongs to /usr/bin/python3 (a python3 from pyenv or
 * a venv on PATH cannot import it); MPI_LOOP_BENCH_PYTHON overrides.
 */
export async function findPython(): Promise<PythonInfo> {
  const py = process.env.MPI_LOOP_BENCH_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const probe =
    'import sys, json\nv = {"python": sys.version.split()[0]}\n' +
    'try:\n import mpi4py; v["mpi4py"] = mpi4py.__version__\nexcept Exception: pass\n' +
    'try:\n import numpy; v["numpy"] = numpy.__version__\nexcept Exception: pass\n' +
    // The MPI library mpi4py is built against, asked without starting MPI.
    'try:\n import mpi4py; mpi4py.rc.initialize = mpi4py.rc.finalize = False\n' +
    ' from mpi4py import MPI; v["library"] = MPI.Get_library_version()\nexcept Exception: pass\n' +
    'print(json.dumps(v))';
  try {
    const { stdout } = await run(py, ['-c', probe]);
    const v = JSON.parse(stdout) as { python: string; mpi4py?: string; numpy?: string; library?: string };
    const mismatch = v.library ? launcherMismatch(v.library) : null;
    const availability: Availability = !v.mpi4py
      ? {
          ok: false,
          reason: `mpi4py is not importable by ${py} (install python3-mpi4py: apt-get install -y python3-mpi4py)`,
        }
      : mismatch
        ? { ok: false, reason: `${py}'s mpi4py ${mismatch}` }
        : {
            ok: true,
            note: v.numpy
              ? undefined
              : `numpy missing for ${py}: buffers are bytearray/array.array (install python3-numpy)`,
          };
    return { path: py, availability, python: v.python, mpi4py: v.mpi4py ?? null, numpy: v.numpy ?? null };
  } catch (e) {
    return {
      path: py,
      availability: { ok: false, reason: `${py} could not run: ${(e as Error).message.split('\n')[0]}` },
      python: null,
      mpi4py: null,
      numpy: null,
    };
  }
}

/**
 * Why mpi4py, built against the MPI that `library` (its MPI_Get_library_version)
 * names, cannot run under the mpirun on PATH (another MPI's launcher: every
 * rank would be a one-rank world), else null.
 */
function launcherMismatch(library: string): string | null {
  const mpirun = findMpirun();
  if (!mpirun) return null;
  const built = identify(library).flavour;
  const launcher = familyOf(mpirun.flavour);
  if (!familyOf(built) || !launcher || familyOf(built) === launcher) return null;
  return (
    `is built against ${built}, but mpirun (${mpirun.path}) is ${mpirun.flavour}'s: ` +
    'its ranks would each be a world of one rank (use a mpi4py built against the same MPI: MPI_LOOP_BENCH_PYTHON)'
  );
}
