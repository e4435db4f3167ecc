// The REPL on rank 0, started by the preload when there is no script (see
// src/loop/auto-launch.ts): on a Unix socket when MPI_LOOP_REPL_SOCKET names
// one (`mpi-loop repl`, `mpi-loop attach`), else on standard input. Leaving
// the REPL (Ctrl-D, .exit, end of input) quits every rank and exits 0.
import { quit, rank, size } from '../index';
import { fillContext } from './context';
import { formatValue } from './format';
import { historyFile } from './history';
import { serveRepl, type ReplServer } from './server';
import { startSession } from './session';
import { takeStdin } from './stdin';

let leaving = false;

/**
 * Quits every rank, then exits 0. Errors the other ranks report at quit are
 * printed, as everywhere in the REPL, and do not change the exit status: the
 * session ended as asked and nobody is left waiting.
 */
function leave(server?: ReplServer): void {
  if (leaving) return;
  leaving = true;
  let message = '';
  try {
    quit();
  } catch (e) {
    message = `${formatValue(e, false)}\n`;
  }
  if (!server) {
    if (message) process.stderr.write(message);
    process.exit(0);
  }
  void server.close(message).then(() => process.exit(0));
}

function onStdin(): void {
  fillContext(() => leave());
  const input = takeStdin();
  const terminal = Boolean(input.isTTY && process.stdout.isTTY);
  const { server } = startSession({
    input,
    output: process.stdout,
    terminal,
    colors: terminal && process.stdout.hasColors(),
    history: historyFile(),
  });
  server.on('exit', () => leave());
}

async function onSocket(address: string): Promise<void> {
  takeStdin();
  let server: ReplServer | undefined;
  fillContext(() => leave(server));
  try {
    server = await serveRepl({ address, history: historyFile(), onExit: () => leave(server) });
  } catch (e) {
    process.stderr.write(`mpi-loop: cannot serve the REPL at ${address}: ${(e as Error).message}\n`);
    leave();
    return;
  }
  if (process.env.MPI_LOOP_REPL_ANNOUNCE !== '0') {
    process.stderr.write(
      `mpi-loop: REPL on rank 0 of ${size} at ${server.address}\n` +
        `mpi-loop: attach a terminal with: mpi-loop attach ${server.address}\n`,
    );
  }
}

if (rank === 0) {
  const address = process.env.MPI_LOOP_REPL_SOCKET;
  if (address) void onSocket(address);
  else onStdin();
}
