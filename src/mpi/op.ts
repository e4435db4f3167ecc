// Reduction operations. A built-in Op has a native index (for the buffer
// methods, carried out by MPI) and a JavaScript fold (for the object methods,
// which reduce values on the receiving rank as mpi4py does).

type Scalar = number | bigint | boolean;
type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export type ReduceFunction<T = unknown> = (a: T, b: T) => T;

export class Op {
  /** Index of the MPI built-in op in the native table; -1 for user functions. */
  readonly index: number;
  readonly name: string;
  readonly fold: ReduceFunction;

  constructor(name: string, index: number, fold: ReduceFunction) {
    this.name = name;
    this.index = index;
    this.fold = fold;
  }

  /** An Op from a function `(a, b) => c`, for the object methods. */
  static create<T>(fn: ReduceFunction<T>, name = fn.name || 'user op'): Op {
    return new Op(name, -1, fn as ReduceFunction);
  }

  toString(): string {
    return `MPI.${this.name}`;
  }
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
const FIRST_RMA_ONLY = REPLACE.index;

/** Accepts an Op or a function; returns the Op. */
export function toOp(op: Op | ReduceFunction<never>, where: string): Op {
  if (op instanceof Op) return op;
  if (typeof op === 'function') return Op.create(op as unknown as ReduceFunction);
  throw new TypeError(`${where}: op must be an Op (SUM, MAX, ...) or a function (a, b) => c; got ${describe(op)}`);
}

/** For the buffer methods: only MPI's built-in ops apply. */
export function toBuiltinOp(op: Op, where: string): number {
  if (!(op instanceof Op) || op.index < 0 || op.index >= FIRST_RMA_ONLY) {
    throw new TypeError(
      `${where}: buffer reductions take a built-in Op (SUM, PROD, MIN, MAX, LAND, LOR, LXOR, BAND, BOR, BXOR)`,
    );
  }
  return op.index;
}

/** For the one-sided operations: the built-in ops plus REPLACE and NO_OP. */
export function toRmaOp(op: Op, where: string): number {
  if (!(op instanceof Op) || op.index < 0) {
    throw new TypeError(`${where}: op must be a built-in Op (SUM, ..., BXOR, REPLACE or NO_OP)`);
  }
  return op.index;
}
