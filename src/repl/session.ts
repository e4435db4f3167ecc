// One REPL session on rank 0: Node's REPL in the global context, with the
// event loop's API pre-filled, mpi-loop's commands, history and a Ctrl-C that
// never ends the job.
import repl from 'node:repl';
import { registerCommands } from './commands';
import { formatValue } from './format';
import { InputGate } from './input-gate';

export interface SessionOptions {
  /** What the user types (a terminal's bytes, or lines from a pipe). */
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** A terminal on the other end: line editing, history, Tab completion. */
  terminal: boolean;
  colors: boolean;
  /** History file (terminal sessions only); null: none. */
  history: string | null;
  /** Socket sessions can leave without ending the job. */
  detach?: () => void;
  /** Called when the session starts evaluating input (rank 0's output then goes to it). */
  onEval?: () => void;
}

/**
 * Node's REPL ends on a second Ctrl-C on an empty line; here Ctrl-C never
 * ends the job, so that case only reminds how to leave. Everything else
 * (clearing the line, interrupting an `await`) is Node's own handling.
 */
function keepJobOnCtrlC(server: repl.REPLServer, mainPrompt: string, busy: () => boolean): void {
  const nodeHandlers = server.listeners('SIGINT') as Array<() => void>;
  server.removeAllListeners('SIGINT');
  server.on('SIGINT', () => {
    // A pending multi-line input shows as a continuation prompt instead of the main one.
    const idle = !busy() && server.line.length === 0 && server.getPrompt() === mainPrompt && !server.editorMode;
    if (idle) {
      server.output.write('\n(To exit, press Ctrl-D or type .exit)\n');
      server.displayPrompt();
      return;
    }
    for (const h of nodeHandlers) h.call(server);
  });
}

export interface Session {
  server: repl.REPLServer;
  /**
   * Shows output that arrives between inputs (other ranks, timers) above the
   * prompt: the prompt line is cleared, the text written, and the prompt and
   * what the user has typed so far drawn again.
   */
  printAbove(text: string): void;
}

export function startSession(options: SessionOptions): Session {
  const { terminal, colors } = options;
  const gate = new InputGate(options.input, terminal);
  const mainPrompt = terminal ? 'mpi> ' : '';
  const server = repl.start({
    input: gate.input,
    output: options.output,
    terminal,
    useColors: colors,
    useGlobal: true,
    prompt: mainPrompt,
    ignoreUndefined: !terminal,
    breakEvalOnSigint: true,
    preview: terminal,
    // Each session inspects with its own colours (Node's default writer is shared).
    writer: (value: unknown) => formatValue(value, colors),
  });
  // Running input: set when the REPL evaluates, cleared when its prompt is back
  // (for an error, Node's REPL reports through its domain and never calls back).
  // Ahead of the REPL's own 'line' listener, which evaluates synchronously.
  let evaluating = false;
  server.prependListener('line', () => {
    evaluating = true;
    options.onEval?.();
  });
  if (!terminal) {
    // From a pipe the output is only results: no prompt, not even '...' for continued input.
    server.prompt = () => {
      server.resume();
    };
  }
  const nodePrompt = server.displayPrompt.bind(server);
  server.displayPrompt = (preserveCursor?: boolean) => {
    evaluating = false;
    nodePrompt(preserveCursor);
    gate.ready();
  };
  keepJobOnCtrlC(server, mainPrompt, () => evaluating);
  registerCommands(server, {
    colors,
    detach: options.detach,
    onStart: () => {
      gate.hold();
      options.onEval?.();
    },
  });
  if (terminal && options.history) {
    server.setupHistory(options.history, (err) => {
      if (err) server.output.write(`mpi-loop: history is not kept (${err.message})\n`);
    });
  }
  const printAbove = (text: string): void => {
    const idle = terminal && !evaluating && !gate.holding;
    if (!idle) {
      options.output.write(text);
      return;
    }
    options.output.write(`\r\x1b[K${text}${text.endsWith('\n') ? '' : '\n'}`);
    server.prompt(true); // redraws the prompt and the line typed so far, cursor kept
  };
  return { server, printAbove };
}
