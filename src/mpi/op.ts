// Reduction operations. A built-in Op has a native index (for the buffer
// methods, carried out by MPI) and a JavaScript fold (for the object methods,
// which reduce values on the receiving rank as mpi4py does).

import type { BufferView } from '../native/addon';
import { ELEMENT_VIEWS, type TypedArray } from './element-kinds';
import { native } from './environment';
import { PairBuffer, pairTypeOf } from './pair-buffer';

type Scalar = number | bigint | boolean;

export type ReduceFunction<T = unknown> = (a: T, b: T) => T;

/** A buffer a user op sees: a typed array of the buffer's type, a Uint8Array for DataViews, a PairBuffer for pairs. */
export type OpBuffer = TypedArray | PairBuffer;
/**
 * A user op's function. On values it returns `a op b`. On buffers MPI calls
 * it with `(invec, inoutvec)` (invec from the lower ranks): it either
 * returns the result (copied into inoutvec) or updates inoutvec and returns
 * nothing. It must not call MPI.
 */
export type UserFunction<T = never> = (a: T, b: T) => T | void;

/** The view a user op gets of MPI's bytes: `kind` as the native layer numbers element types. */
function viewOf(kind: number, bytes: ArrayBuffer): OpBuffer {
  if (kind >= 16) return new PairBuffer(pairTypeOf(kind - 16), new Uint8Array(bytes));
  return new ELEMENT_VIEWS[kind](bytes);
}

export class Op {
  /**
   * The op's native code: MPI's built-ins 0..9, MAXLOC 16, MINLOC 17, or a
   * user op's -1 - handle once created; -1 for a function usable on
   * values only.
   */
  #index: number;
  readonly name: string;
  readonly fold: ReduceFunction;
  /** Whether MPI may apply the op in any order (true for every built-in). */
  readonly isCommutative: boolean;
  #user: UserFunction<OpBuffer> | undefined;
  #freed = false;
  #failure: { error: unknown } | undefined;

  constructor(name: string, index: number, fold: ReduceFunction, commute = true) {
    this.name = name;
    this.#index = index;
    this.fold = fold;
    this.isCommutative = commute;
  }

  /**
   * MPI_Op_create (mpi4py's Op.Create): an op from `fn` for buffers and
   * values alike; see UserFunction. `commute` tells MPI it may reorder.
   * An exception thrown by `fn` inside a collective is reported as that
   * collective's error.
   */
  static create<T>(fn: UserFunction<T>, commute = false, name = fn.name || 'user op'): Op {
    if (typeof fn !== 'function') throw new TypeError(`Op.create: fn must be a function, got ${describe(fn)}`);
    const op = new Op(name, -1, (a, b) => (fn as UserFunction<unknown>)(a, b), Boolean(commute));
    op.#user = fn as unknown as UserFunction<OpBuffer>;
    return op;
  }

  /** The native code; a user op's MPI op is created on first use with buffers. */
  get index(): number {
    if (this.#freed) throw new Error(`op ${this.name} has been freed`);
    if (this.#index === -1 && this.#user) {
      const fn = this.#user;
      const handle = native().opCreate((inBytes, inoutBytes, kind) => {
        try {
          const inout = viewOf(kind, inoutBytes);
          const out = fn(viewOf(kind, inBytes), inout);
          if (out !== undefined && out !== inout) copyResult(out, inout);
        } catch (error) {
          this.#failure ??= { error };
        }
      }, this.isCommutative);
      this.#index = -1 - handle;
    }
    return this.#index;
  }

  /** mpi4py's Op.Reduce_local: inoutbuf = inbuf op inoutbuf, on this rank. */
  reduceLocal(inbuf: ArrayBufferView | PairBuffer, inoutbuf: ArrayBufferView | PairBuffer): void {
    const pair = pairCode('reduceLocal', inbuf, inoutbuf);
    this.takeFailure('reduceLocal');
    native().reduceLocal(bytesOf(inbuf), bytesOf(inoutbuf), toBufferOp(this, 'reduceLocal', pair), pair);
    this.throwFailure('reduceLocal');
  }

  /** MPI_Op_free: a user op cannot be used afterwards (collectives still running with it finish). Built-ins cannot be freed. */
  free(): void {
    if (!this.#user) throw new Error(`free: ${this.name} is a built-in op`);
    if (this.#freed) return;
    this.#freed = true;
    if (this.#index < -1) native().opFree(-1 - this.#index);
  }

  /** The first exception the function threw since the last call, cleared. @internal */
  takeFailure(where: string): Error | undefined {
    const f = this.#failure;
    this.#failure = undefined;
    if (!f) return undefined;
    const e = f.error;
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const who = this.name === 'user op' ? 'the user op' : `the op ${this.name}`;
    return new Error(`${where}: ${who} threw ${message}`, { cause: e });
  }

  /** Throws what takeFailure() gives. @internal */
  throwFailure(where: string): void {
    const e = this.takeFailure(where);
    if (e) throw e;
  }

  toString(): string {
    return `MPI.${this.name}`;
  }
}

function copyResult(out: unknown, inout: OpBuffer): void {
  if (inout instanceof PairBuffer) {
    if (!(out instanceof PairBuffer) || out.length !== inout.length) {
      throw new TypeError('a user op on pairs must return a PairBuffer of the same length, or nothing');
    }
    inout.bytes.set(out.bytes);
    return;
  }
  const arr = out as ArrayLike<never>;
  if (arr === null || typeof arr !== 'object' || arr.length !== inout.length) {
    throw new TypeError(`a user op must return ${inout.length} elements (or update inoutvec and return nothing)`);
  }
  (inout as unknown as { set(a: ArrayLike<never>): void }).set(arr);
}

/** A buffer's bytes as the addon takes them (a PairBuffer's memory). @internal */
export function bytesOf(b: BufferView | PairBuffer): BufferView {
  return b instanceof PairBuffer ? b.bytes : b;
}

/** The native pair index shared by the given buffers, -1 without pairs; TypeError when they disagree. @internal */
export function pairCode(where: string, ...bufs: Array<BufferView | PairBuffer | null | undefined>): number {
  let code: number | undefined;
  for (const b of bufs) {
    if (b === null || b === undefined) continue;
    const c = b instanceof PairBuffer ? b.code : -1;
    if (code !== undefined && c !== code) {
      throw new TypeError(`${where}: the buffers must all be PairBuffers of one pair type, or none`);
    }
    code = c;
  }
  return code ?? -1;
}

function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function elementwise(name: string, scalar: (a: Scalar, b: Scalar) => Scalar): ReduceFunction {
  return (a: unknown, b: unknown): unknown => {
    if (isTypedArray(a) && isTypedArray(b)) {
      if (a.length !== b.length || a.constructor !== b.constructor) {
        throw new TypeError(
          `${name}: typed arrays must have the same type and length ` +
            `(${a.constructor.name}(${a.length}) and ${b.constructor.name}(${b.length}))`,
        );
      }
      const out = new (a.constructor as new (n: number) => TypedArray)(a.length);
      for (let i = 0; i < a.length; i++) {
        (out as unknown as Scalar[])[i] = scalar((a as unknown as Scalar[])[i], (b as unknown as Scalar[])[i]);
      }
      return out;
    }
    const ta = typeof a,
      tb = typeof b;
    if ((ta === 'number' || ta === 'bigint' || ta === 'boolean') && ta === tb) {
      return scalar(a as Scalar, b as Scalar);
    }
    throw new TypeError(
      `${name} works on numbers, bigints, booleans and typed arrays; ` + `got ${describe(a)} and ${describe(b)}`,
    );
  };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

// The arithmetic below mixes number and bigint only when both sides have the
// same type, which `elementwise` guarantees.
// Operands are numbers or bigints of one kind; typed as number for the operators.
type Arith = (a: number, b: number) => number;
const num =
  (f: Arith) =>
  (a: Scalar, b: Scalar): Scalar =>
    f(a as number, b as number);
const logical =
  (f: (a: boolean, b: boolean) => boolean) =>
  (a: Scalar, b: Scalar): Scalar => {
    const r = f(Boolean(a), Boolean(b));
    return typeof a === 'boolean' ? r : typeof a === 'bigint' ? BigInt(r) : Number(r);
  };
const bitwise =
  (f: Arith) =>
  (a: Scalar, b: Scalar): Scalar =>
    typeof a === 'boolean' ? Boolean(f(Number(a), Number(b))) : f(a as number, b as number);

export const SUM = new Op(
  'SUM',
  0,
  elementwise(
    'SUM',
    num((a, b) => a + b),
  ),
);
export const PROD = new Op(
  'PROD',
  1,
  elementwise(
    'PROD',
    num((a, b) => a * b),
  ),
);
export const MIN = new Op(
  'MIN',
  2,
  elementwise(
    'MIN',
    num((a, b) => (b < a ? b : a)),
  ),
);
export const MAX = new Op(
  'MAX',
  3,
  elementwise(
    'MAX',
    num((a, b) => (b > a ? b : a)),
  ),
);
export const LAND = new Op(
  'LAND',
  4,
  elementwise(
    'LAND',
    logical((a, b) => a && b),
  ),
);
export const LOR = new Op(
  'LOR',
  5,
  elementwise(
    'LOR',
    logical((a, b) => a || b),
  ),
);
export const LXOR = new Op(
  'LXOR',
  6,
  elementwise(
    'LXOR',
    logical((a, b) => a !== b),
  ),
);
export const BAND = new Op(
  'BAND',
  7,
  elementwise(
    'BAND',
    bitwise((a, b) => a & b),
  ),
);
export const BOR = new Op(
  'BOR',
  8,
  elementwise(
    'BOR',
    bitwise((a, b) => a | b),
  ),
);
export const BXOR = new Op(
  'BXOR',
  9,
  elementwise(
    'BXOR',
    bitwise((a, b) => a ^ b),
  ),
);

/** One-sided only (Accumulate and friends): the target takes the origin's value. */
export const REPLACE = new Op('REPLACE', 10, (_a: unknown, b: unknown) => b);
/** One-sided only (Get_accumulate, Fetch_and_op): the target is read and left as it is. */
export const NO_OP = new Op('NO_OP', 11, (a: unknown) => a);
// MAXLOC and MINLOC on values work on [value, index] pairs, as mpi4py's
// object reductions do on tuples: the better value wins, a tie the lower index.
function loc(name: string, better: (a: number, b: number) => boolean): ReduceFunction {
  return (a: unknown, b: unknown): unknown => {
    const isPair = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2;
    if (!isPair(a) || !isPair(b)) {
      throw new TypeError(`${name} works on [value, index] pairs; got ${describe(a)} and ${describe(b)}`);
    }
    if (better(b[0], a[0])) return [b[0], b[1]];
    if (better(a[0], b[0])) return [a[0], a[1]];
    return [a[0], b[1] < a[1] ? b[1] : a[1]];
  };
}

export const MAXLOC = new Op(
  'MAXLOC',
  16,
  loc('MAXLOC', (x, y) => x > y),
);
export const MINLOC = new Op(
  'MINLOC',
  17,
  loc('MINLOC', (x, y) => x < y),
);

/** Accepts an Op or a function; returns the Op. */
export function toOp(op: Op | ReduceFunction<never>, where: string): Op {
  if (op instanceof Op) return op;
  if (typeof op === 'function') return new Op(op.name || 'user op', -1, op as unknown as ReduceFunction, false);
  throw new TypeError(`${where}: op must be an Op (SUM, MAX, ...) or a function (a, b) => c; got ${describe(op)}`);
}

/**
 * For the buffer methods: MPI's built-ins and ops made by Op.create. MAXLOC
 * and MINLOC need PairBuffers (`pair` >= 0), the other built-ins plain ones.
 */
export function toBufferOp(op: Op, where: string, pair = -1): number {
  if (!(op instanceof Op) || op.index === -1 || op === REPLACE || op === NO_OP) {
    throw new TypeError(
      `${where}: buffer reductions take a built-in Op (SUM, PROD, MIN, MAX, LAND, LOR, LXOR, BAND, BOR, BXOR, ` +
        'MAXLOC, MINLOC) or one made by Op.create(fn, commute)',
    );
  }
  const loc = op === MAXLOC || op === MINLOC;
  if (loc && pair < 0) throw new TypeError(`${where}: ${op.name} on buffers needs PairBuffers (value, index)`);
  if (pair >= 0 && op.index >= 0 && !loc)
    throw new TypeError(`${where}: PairBuffers reduce with MAXLOC, MINLOC or a user op, not ${op.name}`);
  return op.index;
}

/** For the one-sided operations: the built-in ops plus REPLACE and NO_OP. */
export function toRmaOp(op: Op, where: string): number {
  if (!(op instanceof Op) || op.index < 0 || op === MAXLOC || op === MINLOC) {
    throw new TypeError(`${where}: op must be a built-in Op (SUM, ..., BXOR, REPLACE or NO_OP)`);
  }
  return op.index;
}
