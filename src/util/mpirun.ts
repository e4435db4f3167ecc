// Finding mpirun, telling Open MPI from MPICH, and the options each needs:
// one definition for the command line, the bench and the tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Flavour = 'Open MPI' | 'MPICH' | 'Intel MPI' | 'unknown';

export interface Mpirun {
  path: string;
  flavour: Flavour;
  version: string;
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** `mpirun --version`: Open MPI says "(Open MPI) 4.1.4"; MPICH's Hydra says "HYDRA build details: Version: 4.0". */
export function identify(text: string): { flavour: Flavour; version: string } {
  let m = /Open MPI\)?\s*v?([\d.]+\w*)/i.exec(text) ?? /OpenRTE\)?\s*v?([\d.]+)/i.exec(text);
  if (m) return { flavour: 'Open MPI', version: m[1] };
  if (/Intel\(R\) MPI/i.test(text)) {
    m = /Version\s+([\d.]+\S*)/i.exec(text);
    return { flavour: 'Intel MPI', version: m?.[1] ?? '' };
  }
  if (/HYDRA|MPICH/i.test(text)) {
    m = /Version:\s*([\d.]+\S*)/.exec(text);
    return { flavour: 'MPICH', version: m?.[1] ?? '' };
  }
  return { flavour: 'unknown', version: '' };
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** mpirun (or mpiexec), from MPI_LOOP_MPIRUN or PATH; null when none is installed. */
export function findMpirun(): Mpirun | null {
  const file = process.env.MPI_LOOP_MPIRUN || onPath('mpirun') || onPath('mpiexec');
  if (!file) return null;
  const out = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (out.error) return null;
  return { path: file, ...identify(`${out.stdout}\n${out.stderr}`) };
}

/** Physical cores, which is what Open MPI counts as slots. */
export function physicalCores(): number {
  const base = '/sys/devices/system/cpu';
  try {
    const cores = new Set<string>();
    for (const cpu of fs.readdirSync(base).filter((d) => /^cpu\d+$/.test(d))) {
      const topo = path.join(base, cpu, 'topology');
      const core = fs.readFileSync(path.join(topo, 'core_id'), 'utf8').trim();
      const pkg = fs.readFileSync(path.join(topo, 'physical_package_id'), 'utf8').trim();
      cores.add(`${pkg}:${core}`);
    }
    if (cores.size > 0) return cores.size;
  } catch {
    /* no sysfs */
  }
  return os.availableParallelism?.() ?? os.cpus().length;
}

/**
 * mpirun's options for `ranks` ranks on this machine: Open MPI needs to be
 * told that more ranks than cores (oversubscribe) and root are fine; MPICH's
 * Hydra allows both as it is.
 */
export function launchOptions(flavour: Flavour, ranks: number, { oversubscribe = false } = {}): string[] {
  const options = ['-n', String(ranks)];
  if (flavour === 'Open MPI') {
    if (oversubscribe) options.push('--oversubscribe');
    if (isRoot()) options.push('--allow-run-as-root');
  }
  return options;
}
