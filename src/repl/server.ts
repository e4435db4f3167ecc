// Rank 0 serves its REPL on a Unix socket in a directory only its owner can
// enter (0700), so no other user can connect. Every client gets its own REPL
// session over the same global scope; rank 0's own output goes to the
// session that last ran something.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { FrameKind, FrameReader, type Hello } from './frames';
import { type Session, startSession } from './session';
import { TerminalOutput } from './terminal-stream';

export interface ServeOptions {
  /** The socket's path, or 'auto' for one in a fresh directory. */
  address: string;
  history: string | null;
  /** A session ended with Ctrl-D, .exit or the end of its input: quit every rank and exit. */
  onExit: () => void;
}

export interface ReplServer {
  address: string;
  /** Ends every session (after a last message to each client) and removes the socket. */
  close(message?: string): Promise<void>;
}

/** The socket's directory must be ours and closed to everybody else. */
function checkDirectory(dir: string): void {
  const st = fs.statSync(dir);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new Error(`${dir} belongs to another user`);
  if ((st.mode & 0o077) !== 0) {
    throw new Error(
      `${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)}); use a fresh 0700 directory`,
    );
  }
}

function prepareAddress(address: string): { address: string; ownDir?: string } {
  if (address === 'auto' || address === '1') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-repl-'));
    return { address: path.join(dir, 'repl.sock'), ownDir: dir };
  }
  const dir = path.dirname(path.resolve(address));
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return { address: path.resolve(address), ownDir: dir };
  }
  checkDirectory(dir);
  return { address: path.resolve(address) };
}

/** Routes rank 0's stdout and stderr to the session that last evaluated input. */
class OutputRouter {
  active: Session | null = null;

  constructor() {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream) as (...a: unknown[]) => boolean;
      stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
        const target = this.active;
        if (!target) return original(chunk, encoding, cb);
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
        target.printAbove(text);
        const done = typeof encoding === 'function' ? encoding : cb;
        if (typeof done === 'function') process.nextTick(done as () => void);
        return true;
      }) as typeof stream.write;
    }
  }
}

export function serveRepl(options: ServeOptions): Promise<ReplServer> {
  const { address, ownDir } = prepareAddress(options.address);
  const router = new OutputRouter();
  const sockets = new Set<net.Socket>();

  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      /* the client went away: 'close' follows */
    });
    const input = new PassThrough();
    let output: TerminalOutput | null = null;
    let session: Session | null = null;
    let detached = false;
    const reader = new FrameReader((kind, payload) => {
      if (kind === FrameKind.Hello && !output) {
        const hello = JSON.parse(payload.toString()) as Hello;
        const out = (output = new TerminalOutput(socket, hello));
        const s: Session = (session = startSession({
          input,
          output: out,
          terminal: hello.terminal,
          colors: hello.terminal && out.hasColors(),
          history: options.history,
          detach: hello.detachable
            ? () => {
                detached = true;
                out.write(`\ndetached; the job goes on (mpi-loop attach ${address})\n`, () => socket.end());
              }
            : undefined,
          onEval: () => {
            router.active = s;
          },
        }));
        router.active ??= s;
        // Ctrl-Z would stop rank 0 (readline's default), and with it the job.
        s.server.on('SIGTSTP', () => {
          /* ignored: the terminal is another process's */
        });
        s.server.on('exit', () => {
          if (router.active === s) router.active = null;
          if (detached || socket.destroyed) return;
          options.onExit();
        });
        socket.on('close', () => {
          detached = true;
          if (router.active === s) router.active = null;
          s.server.close();
        });
      } else if (kind === FrameKind.Data) {
        input.write(payload);
      } else if (kind === FrameKind.Resize && output) {
        output.resize(JSON.parse(payload.toString()) as { columns: number; rows: number });
      } else if (kind === FrameKind.Print && session) {
        session.printAbove(payload.toString());
      } else if (kind === FrameKind.End) {
        input.end();
      }
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
  };

  const server = net.createServer(onConnection);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      fs.chmodSync(address, 0o600);
      resolve({
        address,
        close: (message) =>
          new Promise<void>((done) => {
            server.close();
            for (const s of sockets) s.end(message ?? '');
            const finish = (): void => {
              try {
                fs.rmSync(address, { force: true });
              } catch {
                /* already gone */
              }
              if (ownDir)
                try {
                  fs.rmdirSync(ownDir);
                } catch {
                  /* not empty or gone */
                }
              done();
            };
            // Let the last output reach the clients, but never wait long.
            const timer = setTimeout(finish, 500);
            const check = (): void => {
              if (sockets.size === 0) {
                clearTimeout(timer);
                finish();
              }
            };
            for (const s of sockets) s.once('close', check);
            check();
          }),
      });
    });
  });
}
