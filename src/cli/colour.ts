// Colours in the ranks' output only when the person's terminal shows it.
// Open MPI gives every rank a pseudo-terminal for stdout, so Node in a rank
// colours console.log even when mpirun's output goes to a pipe or a file.
// The launcher knows where the output goes and tells the ranks in
// MPI_LOOP_OUTPUT_TTY; without it (plain `mpirun ... node -r mpi-loop/register`)
// the preload asks the kernel where mpirun's own stdout goes. Plain output
// is NO_COLOR=1 in the rank, which Node (and most tools) honour.
import fs from 'node:fs';
import type { Mpirun } from './mpirun';

/** '1' when the launcher's stdout is a terminal, '0' when not. */
export const OUTPUT_TTY_VAR = 'MPI_LOOP_OUTPUT_TTY';

/**
 * The variable for the ranks, and the mpirun options that carry it to ranks
 * on other hosts (Open MPI's daemons start them with a clean environment;
 * MPICH passes the whole environment on).
 */
export function outputTtySetting(
  mpirun: Mpirun,
  outputIsTTY: boolean,
): { env: Record<string, string>; options: string[] } {
  const value = outputIsTTY ? '1' : '0';
  return {
    env: { [OUTPUT_TTY_VAR]: value },
    options: mpirun.flavour === 'Open MPI' ? ['-x', `${OUTPUT_TTY_VAR}=${value}`] : [],
  };
}

/** Launchers whose own stdout is where a local rank's output ends up. */
const LAUNCHERS = new Set([
  'mpirun',
  'mpiexec',
  'orterun',
  'prterun',
  'prun',
  'mpiexec.hydra',
  'mpiexec.mpich',
  'mpirun.mpich',
]);
/** MPICH's Hydra starts local ranks through a proxy; its parent is the launcher. */
const PROXIES = new Set(['hydra_pmi_proxy']);

/** The parent of process `pid`, from /proc/<pid>/stat (its 4th field). */
function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * Whether the launcher that started this rank writes to a terminal: true,
 * false, or undefined when that cannot be told (not Linux, a remote rank
 * started by a daemon, a scheduler's launcher, /proc not readable).
 */
export function launcherWritesToTerminal(): boolean | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    let launcher = process.ppid;
    let name = fs.readFileSync(`/proc/${launcher}/comm`, 'utf8').trim();
    if (PROXIES.has(name)) {
      launcher = parentOf(launcher);
      name = fs.readFileSync(`/proc/${launcher}/comm`, 'utf8').trim();
    }
    if (!LAUNCHERS.has(name)) return undefined;
    return /^\/dev\/(pts\/\d+|tty\w*|console)$/.test(fs.readlinkSync(`/proc/${launcher}/fd/1`));
  } catch {
    return undefined;
  }
}

/**
 * In a rank: NO_COLOR=1 when the person's output is not a terminal, and
 * FORCE_COLOR=1 when it is one but the rank's stdout is a pipe (MPICH's Hydra
 * relays output through pipes). A colour choice of the user's own (NO_COLOR,
 * FORCE_COLOR, NODE_DISABLE_COLORS) stands.
 */
export function plainOutputWhenNotTerminal(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NO_COLOR !== undefined || env.FORCE_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined) return;
  const said = env[OUTPUT_TTY_VAR];
  const terminal = said === '1' ? true : said === '0' ? false : launcherWritesToTerminal();
  if (process.stdout.isTTY) {
    if (terminal === false) env.NO_COLOR = '1';
  } else if (terminal === true) {
    env.FORCE_COLOR = '1';
  }
}
