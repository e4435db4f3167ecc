// Compile-time tests of mpi-loop/parallel's types (never run): `npx tsc -p test/types/tsconfig.json`.
// Each `@ts-expect-error` line must fail to compile; one that compiles is itself an error.
import { ObjectId } from 'mpi-loop';
import { distribute, WorkerPool, type Distributed, type Pushed } from 'mpi-loop/parallel';

class Vector {
  constructor(
    public n: number,
    public label = 'v',
  ) {}
  dot(other: Vector): number {
    return other.n * this.n;
  }
  axpy(alpha: number, x: Vector): void {
    void alpha;
    void x;
  }
  copy(): Vector {
    return new Vector(this.n);
  }
  async later(ms: number): Promise<string> {
    return `${ms}`;
  }
  async copyLater(): Promise<Vector> {
    return this.copy();
  }
  describe(prefix: string, times?: number): string {
    return prefix.repeat(times ?? 1);
  }
  readonly size = 3;
}

async function proxies(): Promise<void> {
  const v = await distribute(Vector, 10);
  const w = await distribute(Vector, 10, 'w');
  const n: number = await v.dot(w); // a proxy stands for its object
  const m: number = await v.dot(new Vector(3)); // so does a plain value
  const s: string = await v.later(5); // Promise results are awaited once
  await v.axpy(2, w);
  const c: Distributed<Vector> = await v.manage.copy();
  const d: Distributed<Vector> = await v.manage.copyLater();
  const id: ObjectId = c.id;
  const t: string = await v.describe('x');
  void [n, m, s, d, id, t];
  c[Symbol.dispose]();
  {
    using scoped = await v.manage.copy(); // disposed (freed on every rank) at the end of the block
    const k: number = await scoped.dot(v);
    void k;
  }
  {
    using p = new WorkerPool();
    void p.size;
  }

  // @ts-expect-error misspelled method
  await v.dott(w);
  // @ts-expect-error wrong argument type
  await v.dot(3);
  // @ts-expect-error wrong argument type (string for number)
  await v.axpy('2', w);
  // @ts-expect-error missing argument
  await v.axpy(2);
  // @ts-expect-error too many arguments
  await v.dot(w, w);
  // @ts-expect-error the result is a Promise of number, not number
  const notAwaited: number = v.dot(w);
  // @ts-expect-error a method's result type is kept
  const wrongResult: string = await v.dot(w);
  // @ts-expect-error fields are not methods
  await v.size();
  // @ts-expect-error manage only offers methods whose results are objects
  await v.manage.dot(w);
  // @ts-expect-error constructor arguments are checked
  await distribute(Vector, 'ten');
  // @ts-expect-error constructor arity is checked
  await distribute(Vector);
  // @ts-expect-error a proxy of another class is refused
  await v.dot(await distribute(Other));
  void [notAwaited, wrongResult];
}

class Other {
  ping(): number {
    return 1;
  }
}

function square(x: number): number {
  return x * x;
}
function join(a: string, b: number): string {
  return a + b;
}
function rows(table: { rows: string[] }, k: number): string {
  return table.rows[k];
}

async function pool(): Promise<void> {
  const p = new WorkerPool();
  const size: number = p.size;
  const all: number[] = await p.apply(square, 3);
  const one: string = await p.applyOnly(join, 1, 'a', 2);
  const mapped: number[] = await p.map(square, [1, 2, 3]);
  const zipped: string[] = await p.map(join, ['a', 'b'], new Set([1, 2]));
  const handle: Pushed<{ rows: string[] }> = await p.pushObject({ rows: ['x'] });
  const viaHandle: string[] = await p.apply(rows, handle, 0);
  void [size, all, one, mapped, zipped, viaHandle];
  p[Symbol.dispose]();

  // @ts-expect-error wrong argument type
  await p.apply(square, 'three');
  // @ts-expect-error the rank comes before the arguments
  await p.applyOnly(join, 'a', 2, 1);
  // @ts-expect-error map takes iterables of the argument types
  await p.map(square, ['1', '2']);
  // @ts-expect-error a handle to another type is refused
  await p.apply(square, await p.pushObject('text'));
  // @ts-expect-error results keep their type
  const wrong: string[] = await p.apply(square, 3);
  void wrong;
}

void proxies;
void pool;
