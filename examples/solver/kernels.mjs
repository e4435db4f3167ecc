// The vectors' storage and loops: Float64Arrays inside one WebAssembly
// memory per process, so that the SIMD kernels of kernels.wat can run on them.
//
// f64Block(n) hands out a block of n doubles, zeroed. Its `array` is a
// Float64Array view; the memory grows when it runs out, which detaches every
// earlier view, so read `block.array` afresh instead of keeping it across
// allocations. A block returns to the free list when its owner is garbage
// collected (the registry drops managed objects without telling them). The
// memory holds at most 4 GiB (WebAssembly's 32-bit addresses): grow() throws
// a RangeError past that.
import { readFileSync } from 'node:fs';

const module = new WebAssembly.Module(readFileSync(new URL('./kernels.wasm', import.meta.url)));
const k = new WebAssembly.Instance(module).exports;
const memory = k.memory;
const PAGE = 65536;
// Blocks start on cache lines.
const ALIGN = 64;

// memory.buffer is a call into the engine: cached, and renewed when the memory grows.
let buffer = memory.buffer;
let top = 0;
/** Free blocks by size in bytes: every vector of one grid has the same size. */
const free = new Map();
const released = new FinalizationRegistry(({ offset, bytes }) => {
  const list = free.get(bytes);
  if (list) list.push(offset);
  else free.set(bytes, [offset]);
});

class Block {
  #view;
  constructor(offset, length) {
    this.offset = offset;
    this.length = length;
    this.#view = new Float64Array(buffer, offset, length);
  }

  /** The block's doubles (a fresh view after the memory has grown). */
  get array() {
    if (this.#view.buffer !== buffer) this.#view = new Float64Array(buffer, this.offset, this.length);
    return this.#view;
  }
}

/** A block of `length` zeros, returned to the free list when `owner` is collected. */
export function f64Block(length, owner) {
  const bytes = Math.max(ALIGN, Math.ceil((length * 8) / ALIGN) * ALIGN);
  let offset = free.get(bytes)?.pop();
  if (offset === undefined) {
    offset = top;
    top += bytes;
    if (top > buffer.byteLength) {
      memory.grow(Math.ceil((top - buffer.byteLength) / PAGE));
      buffer = memory.buffer;
    }
  }
  const block = new Block(offset, length);
  block.array.fill(0);
  released.register(owner, { offset, bytes });
  return block;
}

// The kernels take views of blocks and check them: an array outside the
// kernels' memory, or a shorter second operand, would silently read or
// write other vectors' doubles.
function checked(a, b) {
  if (a.buffer !== buffer || (b !== undefined && b.buffer !== buffer))
    throw new TypeError('kernel operands must be arrays of f64Block()s');
  if (b !== undefined && b.length !== a.length)
    throw new RangeError(`kernel operands differ in length (${a.length} and ${b.length})`);
  return a.length;
}

/** a += alpha * b */
export const axpy = (a, b, alpha) => k.axpy(a.byteOffset, b.byteOffset, checked(a, b), alpha);
/** a = b + beta * a */
export const aypx = (a, b, beta) => k.aypx(a.byteOffset, b.byteOffset, checked(a, b), beta);
/** a . b */
export const dot = (a, b) => k.dot(a.byteOffset, b.byteOffset, checked(a, b));
/** a . a */
export const squares = (a) => k.squares(a.byteOffset, checked(a));

/**
 * y = A x for the 5-point Laplacian on x's rows of n doubles (zero beyond
 * the first and last columns): y = 4 x - up - down - left - right, the first
 * row's upper neighbours the first n doubles of halo and the last row's lower
 * neighbours its last n.
 */
export function stencil(x, y, halo, n) {
  checked(x, y);
  const rows = x.length / n;
  if (!Number.isInteger(rows) || rows < 1 || halo.length !== 2 * n || halo.buffer !== buffer)
    throw new RangeError(`stencil: ${x.length} doubles are not rows of ${n}, or the halo is not 2 rows`);
  k.stencil(x.byteOffset, y.byteOffset, halo.byteOffset, halo.byteOffset + 8 * n, n, rows);
}
