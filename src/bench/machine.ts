// The machine the figures were measured on.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PythonInfo } from './baselines';
import type { Machine } from './types';

const run = promisify(execFile);

/** MPI_Get_library_version, read in a child process: this one must not load MPI. */
async function mpiLibrary(): Promise<string> {
  const index = path.join(__dirname, '..', 'mpi', 'index.js');
  try {
    const { stdout } = await run(process.execPath, [
      '-e',
      `process.stdout.write(require(${JSON.stringify(index)}).libraryVersion())`,
    ]);
    const text = stdout.trim().split('\n')[0].replace(/,\s*$/, '');
    if (text) return text;
  } catch {
    /* fall back to mpirun */
  }
  try {
    const { stdout } = await run('mpirun', ['--version']);
    return stdout.split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
}

export async function describeMachine(python: PythonInfo, cc: string | null): Promise<Machine> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    mpiLibrary: await mpiLibrary(),
    python: python.python,
    mpi4py: python.mpi4py,
    numpy: python.numpy,
    cc,
    loadAverage: { start: os.loadavg(), end: [] },
  };
}
