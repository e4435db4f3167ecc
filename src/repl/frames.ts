// The REPL socket's wire format, client -> rank 0: frames of
// [kind: 1 byte][length: 4 bytes, big-endian][payload]. Rank 0 -> client is
// the REPL's output as plain bytes; rank 0 closes the socket when the session ends.

export const enum FrameKind {
  /** First frame: a Hello as JSON. */
  Hello = 0x48,
  /** Bytes typed by the user. */
  Data = 0x44,
  /** The terminal's new size, as JSON { columns, rows }. */
  Resize = 0x52,
  /** End of the user's input (Ctrl-D on a pipe). */
  End = 0x45,
  /** Output of the other ranks (mpirun's, which `mpi-loop repl` holds), shown above the prompt. */
  Print = 0x50,
}

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface Hello extends TerminalSize {
  /** The client is a terminal (raw mode): line editing, history, completion. */
  terminal: boolean;
  /** Colours the client's terminal shows (1: none, 4, 8 or 24 bits). */
  colorDepth: number;
  /** False for `mpi-loop repl`'s own terminal, which owns the job and so has no .detach. */
  detachable: boolean;
}

export function frame(kind: FrameKind, payload: Uint8Array | string = ''): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = kind;
  out.writeUInt32BE(body.length, 1);
  out.set(body, 5);
  return out;
}

/** Splits a byte stream into frames. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (kind: FrameKind, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 5) {
      const length = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + length) break;
      const kind = this.pending[0] as FrameKind;
      const payload = this.pending.subarray(5, 5 + length);
      this.pending = this.pending.subarray(5 + length);
      this.onFrame(kind, payload);
    }
  }
}
