// `mpi-loop repl -n N [mpirun options]`: N ranks, the REPL on rank 0, and this
// terminal attached to it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachTerminal, OutputRelay, waitForRepl } from '../../repl/client';
import { parseLaunchArgs } from '../args';
import { CommandError } from '../command';
import { startJob } from '../job';
import { jobCommand, nodeCommand, quote } from '../launch';
import { requireMpirun } from '../mpirun';

export const name = 'repl';
export const summary = 'start N ranks and an interactive REPL on rank 0';
export const usage = `Usage: mpi-loop repl -n N [mpirun options]

Starts N ranks: ranks 1..N-1 serve the event loop and rank 0 runs a REPL that
this terminal attaches to (line editing, history in ~/.mpi_loop_repl_history,
Tab completion, top-level await, colours). call, quit, comm, rank, size,
mpiInfo, functionCall, methodCall, their Manage variants, manageObject,
getObject, removeObject and mpi (the whole package) are already defined;
.px <code> runs code on every rank, .ranks lists them, .help says more.
Ctrl-D or .exit quits every rank.

Rank 0 serves the REPL on a Unix socket in a fresh directory only you can
open; its address is printed at start, and
  mpi-loop attach <address>
attaches another terminal (each gets its own session on the same rank 0).

  -n, -np N      the number of ranks (inside a Slurm allocation: at most, and by
                 default, its task count SLURM_NTASKS)
  --dry-run      print the mpirun command line instead of running it
  -h, --help     this text

Other options go to mpirun unchanged; mpi-loop adds the same ones as for
mpi-loop run (see mpi-loop run --help). Exit status: the job's; 2 for bad
usage; 127 when no mpirun is installed.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseLaunchArgs(argv, { script: false, ownFlags: ['--dry-run'] });
  const mpirun = requireMpirun();
  const command = jobCommand(mpirun, parsed, nodeCommand());
  if (parsed.flags.has('--dry-run')) {
    process.stdout.write(
      `MPI_LOOP_REPL_SOCKET=<fresh socket> ${[mpirun.path, ...command.args].map(quote).join(' ')}\n`,
    );
    return 0;
  }
  // mkdtemp makes the directory 0700: nobody else can reach the socket inside.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-repl-'));
  const address = path.join(dir, 'repl.sock');
  // Also when this process ends abruptly (its terminal closed under it).
  const removeDir = (): void => fs.rmSync(dir, { recursive: true, force: true });
  process.on('exit', removeDir);
  // The terminal closed: the job ends (the signal is passed on), and so does
  // this process, by the same signal (exiting normally would make Node try to
  // reset the vanished terminal).
  let hungUp = false;
  const onHangUp = (): void => {
    hungUp = true;
  };
  process.on('SIGHUP', onHangUp);
  try {
    const env = { ...command.env, MPI_LOOP_REPL_SOCKET: address, MPI_LOOP_REPL_ANNOUNCE: '0' };
    // The REPL does not read mpirun's stdin: the terminal belongs to the socket.
    // The other ranks' output is relayed, to be shown above the prompt.
    const job = startJob(mpirun.path, command.args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const relay = new OutputRelay();
    relay.add(job.stdout!, process.stdout);
    relay.add(job.stderr!, process.stderr);
    let ended = false;
    void job.done.then(
      () => {
        ended = true;
      },
      () => {
        ended = true;
      },
    );
    process.stderr.write(
      `mpi-loop: starting ${command.n} ranks; REPL on rank 0 at ${address}\n` +
        `mpi-loop: attach another terminal with: mpi-loop attach ${address}\n`,
    );
    const up = await waitForRepl(address, () => ended, 300_000);
    if (!up) {
      if (!ended) job.kill();
      const status = await job.done;
      throw new CommandError(`the job ended before its REPL started (exit status ${status})`, status || 1);
    }
    await attachTerminal(address, { detachable: false, relay });
    return await job.done;
  } finally {
    removeDir();
    process.off('exit', removeDir);
    process.off('SIGHUP', onHangUp);
    if (hungUp) process.kill(process.pid, 'SIGHUP');
  }
}
