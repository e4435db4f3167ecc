// The text of the REPL's `.help`.
import { contextNames } from './context';

export function helpText(socket: boolean): string {
  const lines = [
    'mpi-loop REPL on rank 0: every other rank serves the event loop.',
    '',
    'Commands',
    "  .px <code>   run <code> on every rank; prints each rank's output and value as [rank k]",
    '               (with await, the code runs inside an async function)',
    '  .ranks       list the ranks with their host and process id',
    ...(socket ? ['  .detach     leave this terminal; the job and other terminals go on'] : []),
    '  .exit        quit every rank and end the job (also Ctrl-D on an empty line)',
    '  .editor      multi-line input (Ctrl-D to run it, Ctrl-C to cancel)',
    "  .break .clear .load <file> .save <file>   as in Node's REPL",
    '  .help        this text',
    '',
    'Already defined',
    `  ${contextNames.slice(0, 6).join(', ')},`,
    `  ${contextNames.slice(6).join(', ')},`,
    '  and mpi (the whole package: mpi.COMM_WORLD, mpi.SUM, mpi.RemoteError, ...)',
    '',
    'Running code on every rank',
    "  await call(f, ...args) runs f on every rank and returns rank 0's result.",
    '  A function typed here goes to the other ranks by its source, so it must be',
    "  self-contained: it may use its parameters, JavaScript's globals and the",
    '  names above, but not other variables defined at this prompt (those are',
    '  refused, with the name): pass such values, and functions, as arguments.',
    '  Functions exported by a module (require/import it here first) go by reference.',
    '  An error on any rank prints as a RemoteError; the session goes on.',
    '',
    'Keys',
    '  Ctrl-C clears the line, or stops waiting for the running input (the',
    '  ranks still finish it); it never ends the job. Tab completes names.',
  ];
  return `${lines.join('\n')}\n`;
}
