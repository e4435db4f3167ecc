// A terminal attached to rank 0's REPL socket (`mpi-loop repl`, `mpi-loop
// attach`): raw mode, keystrokes and window sizes to rank 0, its output to
// the screen. From a pipe, lines go instead, and the end of input ends the session.
import net from 'node:net';
import { FrameKind, frame, type Hello } from './frames';

export class AttachError extends Error {
  override name = 'AttachError';
}

function explain(address: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied: the REPL at ${address} belongs to another user`;
    case 'ENOENT':
      return `no REPL at ${address} (has the job ended?)`;
    case 'ECONNREFUSED':
      return `no REPL listening at ${address} (has the job ended?)`;
    default:
      return `cannot attach to ${address}: ${e.message}`;
  }
}

/** Connects, or rejects with an AttachError whose message says why in one line. */
export function connect(address: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) =>
      reject(Object.assign(new AttachError(explain(address, e)), { code: e.code })),
    );
  });
}

/** Waits until a REPL listens at the address, or `gaveUp()` says to stop. */
export async function waitForRepl(address: string, gaveUp: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!gaveUp() && Date.now() < deadline) {
    try {
      const probe = await connect(address);
      probe.destroy();
      return true;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Output of the other ranks that `mpi-loop repl` holds (mpirun's stdout and
 * stderr): while a terminal is attached it goes to rank 0, which shows it
 * above the prompt; otherwise straight to this process's stdout or stderr.
 */
export class OutputRelay {
  print: ((chunk: Buffer) => void) | null = null;

  add(stream: NodeJS.ReadableStream, fallback: NodeJS.WritableStream): void {
    stream.on('data', (chunk: Buffer) => {
      if (this.print) this.print(chunk);
      else fallback.write(chunk);
    });
  }
}

/** Attaches this process's terminal (or pipe) to the REPL; resolves when the session ends. */
export async function attachTerminal(
  address: string,
  options: { detachable: boolean; relay?: OutputRelay },
): Promise<void> {
  const socket = await connect(address);
  const stdin = process.stdin;
  const stdout = process.stdout;
  const terminal = Boolean(stdin.isTTY && stdout.isTTY);
  const size = (): { columns: number; rows: number } => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const hello: Hello = {
    terminal,
    ...size(),
    colorDepth: terminal ? stdout.getColorDepth() : 1,
    detachable: options.detachable,
  };
  socket.write(frame(FrameKind.Hello, JSON.stringify(hello)));

  const onInput = (chunk: Buffer): void => {
    socket.write(frame(FrameKind.Data, chunk));
  };
  // From a pipe, the end of input ends the session (and the job); a terminal
  // that goes away only leaves (Ctrl-D arrives as a keystroke instead).
  const onEnd = (): void => {
    if (socket.destroyed) return;
    if (terminal) socket.end();
    else socket.write(frame(FrameKind.End));
  };
  const onResize = (): void => {
    socket.write(frame(FrameKind.Resize, JSON.stringify(size())));
  };
  const restore = (): void => {
    try {
      if (terminal && stdin.isRaw) stdin.setRawMode(false);
    } catch {
      /* the terminal is gone */
    }
  };
  // A closed terminal (SIGHUP) fails writes with EIO: the session just ends.
  const ignore = (): void => {
    /* the terminal is gone; the job is told by the signal */
  };
  for (const stream of [stdin, stdout, process.stderr]) stream.on('error', ignore);
  if (terminal) {
    stdin.setRawMode(true);
    stdout.on('resize', onResize);
    if (options.relay)
      options.relay.print = (chunk) => {
        if (!socket.destroyed) socket.write(frame(FrameKind.Print, chunk));
      };
  }
  process.on('exit', restore);
  stdin.on('data', onInput);
  stdin.on('end', onEnd);
  stdin.resume();
  let lastByte = 0x0a;
  socket.on('data', (chunk: Buffer) => {
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1];
    stdout.write(chunk);
  });

  await new Promise<void>((resolve) => {
    socket.on('error', () => {
      /* 'close' follows */
    });
    socket.on('close', () => resolve());
  });
  if (options.relay) options.relay.print = null;
  // The shell's prompt starts on a line of its own.
  if (terminal && lastByte !== 0x0a) stdout.write('\n');
  restore();
  process.off('exit', restore);
  stdout.off('resize', onResize);
  stdin.off('data', onInput);
  stdin.off('end', onEnd);
  stdin.pause();
}
