// Reading `-n N [mpirun options] [--] [script [args]]`. mpirun's own options
// pass through untouched; the script is the first argument that is not an
// option or an option's value (`--` marks it when that is ambiguous).
import fs from 'node:fs';
import { UsageError } from './command';

/** mpirun options (Open MPI and MPICH) that take values, and how many. */
const optionValues: Record<string, number> = {};
for (const name of [
  'x',
  'H',
  'host',
  'hostfile',
  'machinefile',
  'default-hostfile',
  'map-by',
  'rank-by',
  'bind-to',
  'wdir',
  'wd',
  'path',
  'prefix',
  'npernode',
  'npersocket',
  'N',
  'output-filename',
  'report-uri',
  'cpus-per-proc',
  'cpu-set',
  'tune',
  'am',
  'timeout',
  'app',
  'preload-files',
  'f',
  'hosts',
  'ppn',
  'genvlist',
  'envlist',
  'launcher',
  'bootstrap',
  'iface',
  'errfile-pattern',
  'outfile-pattern',
  'configfile',
  'rankfile',
  'stdin',
]) {
  optionValues[`-${name}`] = 1;
  optionValues[`--${name}`] = 1;
}
for (const name of ['mca', 'gmca', 'env', 'genv']) {
  optionValues[`-${name}`] = 2;
  optionValues[`--${name}`] = 2;
}

const rankOptions = new Set(['-n', '-np', '--n', '--np', '-c']);

export interface LaunchArgs {
  /** The number of ranks (undefined when not given: the Slurm allocation may say). */
  n?: number;
  /** Options for mpirun, in the order given. */
  mpirunOptions: string[];
  /** mpi-loop's own options found among them. */
  flags: Set<string>;
  script?: string;
  scriptArgs: string[];
}

function parseCount(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < 1) {
    throw new UsageError(`-n needs a positive number of ranks${value === undefined ? '' : `, got "${value}"`}`);
  }
  return n;
}

function looksLikeScript(arg: string): boolean {
  if (/\.[cm]?[jt]sx?$/.test(arg)) return true;
  try {
    return fs.statSync(arg).isFile();
  } catch {
    return false;
  }
}

/**
 * Parses the arguments of `run` and `repl`. `ownFlags` are mpi-loop's own
 * options (e.g. --dry-run), kept out of mpirun's. With `script` false every
 * argument belongs to mpirun.
 */
export function parseLaunchArgs(
  argv: string[],
  { script: wantsScript, ownFlags }: { script: boolean; ownFlags: string[] },
): LaunchArgs {
  let n: number | undefined;
  const mpirunOptions: string[] = [];
  const flags = new Set<string>();
  let i = 0;
  let script: string | undefined;
  let scriptArgs: string[] = [];
  while (i < argv.length) {
    const a = argv[i];
    if (a === '--') {
      if (!wantsScript) throw new UsageError('unexpected "--": this command runs no script');
      script = argv[i + 1];
      scriptArgs = argv.slice(i + 2);
      break;
    }
    if (ownFlags.includes(a)) {
      flags.add(a);
      i++;
      continue;
    }
    if (rankOptions.has(a)) {
      n = parseCount(argv[i + 1]);
      i += 2;
      continue;
    }
    const joined = /^(-n|-np|--np|--n)=?(\d.*)$/.exec(a);
    if (joined) {
      n = parseCount(joined[2]);
      i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      let count = a.includes('=') ? 0 : (optionValues[a] ?? 0);
      // An unknown option followed by something that is not the script: take it as its value.
      const next = argv[i + 1];
      if (
        count === 0 &&
        !a.includes('=') &&
        !(a in optionValues) &&
        next !== undefined &&
        !next.startsWith('-') &&
        (!wantsScript || (!looksLikeScript(next) && i + 2 < argv.length))
      )
        count = 1;
      if (i + count >= argv.length) throw new UsageError(`${a} needs ${count === 1 ? 'a value' : `${count} values`}`);
      mpirunOptions.push(...argv.slice(i, i + 1 + count));
      i += 1 + count;
      continue;
    }
    if (!wantsScript)
      throw new UsageError(`unexpected argument "${a}": this command runs no script (use mpi-loop run)`);
    script = a;
    scriptArgs = argv.slice(i + 1);
    break;
  }
  return { n, mpirunOptions, flags, script, scriptArgs };
}
