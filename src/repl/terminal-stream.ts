// The REPL's output over a socket, seen by readline as a terminal of the
// client's size and colours.
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { Hello, TerminalSize } from './frames';

export class TerminalOutput extends Writable {
  isTTY: boolean;
  columns: number;
  rows: number;
  private readonly depth: number;

  constructor(
    private readonly socket: Socket,
    hello: Hello,
  ) {
    super();
    this.isTTY = hello.terminal;
    this.columns = hello.columns;
    this.rows = hello.rows;
    this.depth = hello.colorDepth;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    // Straight into the socket's own buffer, so nothing is still queued here
    // when the session ends the socket.
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(chunk);
    done();
  }

  resize(size: TerminalSize): void {
    this.columns = size.columns;
    this.rows = size.rows;
    this.emit('resize');
  }

  getColorDepth(): number {
    return this.depth;
  }

  hasColors(count = 16): boolean {
    return 2 ** this.depth >= count;
  }
}
