// `mpi-loop attach <address>`: another terminal on a running rank-0 REPL
// (pyMOR's `ipython console --existing`).
import fs from 'node:fs';
import path from 'node:path';
import { AttachError, attachTerminal } from '../../repl/client';
import { CommandError, UsageError } from '../command';

export const name = 'attach';
export const summary = 'attach this terminal to a running rank-0 REPL';
export const usage = `Usage: mpi-loop attach <address>

Attaches this terminal to the REPL of a running job: <address> is the socket
path \`mpi-loop repl\` printed at start (or its directory). This terminal gets
its own session on the same rank 0: names defined in one session are seen in
the others. .detach leaves the session and the job goes on; Ctrl-D or .exit
quits every rank. Only the user who started the job can attach.

Exit status: 0 when the session ends; 1 when it cannot attach; 2 for bad usage.
`;

export async function run(argv: string[]): Promise<number> {
  if (argv.length === 0) throw new UsageError('missing the address of the REPL');
  if (argv.length > 1) throw new UsageError(`unexpected argument "${argv[1]}"`);
  let address = argv[0];
  try {
    if (fs.statSync(address).isDirectory()) address = path.join(address, 'repl.sock');
  } catch {
    /* connect() says why */
  }
  try {
    await attachTerminal(address, { detachable: true });
  } catch (e) {
    if (e instanceof AttachError) throw new CommandError(e.message, 1);
    throw e;
  }
  return 0;
}
