// Compile-time test (never run): the request-set functions give each
// position its request's value type; persistent requests, messages and
// error classes have the published types.
import {
  attachBuffer,
  COMM_WORLD,
  ERR_TRUNCATE,
  MESSAGE_NO_PROC,
  MPIError,
  Prequest,
  Request,
  REQUEST_NULL,
  Status,
} from 'mpi-loop';
import type { Message } from 'mpi-loop';

export async function sets(): Promise<void> {
  const values = await Request.waitall([
    COMM_WORLD.irecv<string>(0),
    COMM_WORLD.Irecv(new Uint8Array(1)),
    null,
  ] as const);
  const text: string = values[0];
  const nothing: void = values[1];
  const empty: undefined = values[2];
  // @ts-expect-error the first request carries a string
  const wrong: number = values[0];
  const [index, value] = await Request.waitany([COMM_WORLD.irecv<number>(0), REQUEST_NULL] as const, new Status());
  const i: number = index;
  const v: number | void | undefined = value;
  const [flag, all] = Request.testall([COMM_WORLD.irecv<number>(0)] as const);
  const done: boolean = flag;
  const first: number | undefined = all?.[0];
  // @ts-expect-error the set has three positions
  const beyond = values[3];
  // @ts-expect-error an index is a number
  const named: string = index;
  void [text, nothing, empty, wrong, i, v, done, first, beyond, named];
}

export function persistent(): void {
  const p: Prequest = COMM_WORLD.Send_init(new Float64Array(2), 0);
  Prequest.startall([p]);
  const asRequest: Request<void> = p;
  // @ts-expect-error persistent requests are for typed buffers
  COMM_WORLD.Send_init({ a: 1 }, 0);
  // @ts-expect-error startall takes persistent requests only
  Prequest.startall([REQUEST_NULL]);
  // @ts-expect-error a receive buffer is a typed array
  COMM_WORLD.Recv_init({});
  // @ts-expect-error a destination is a rank number
  COMM_WORLD.ssend(1, 'next');
  // @ts-expect-error the buffer is a size or memory
  attachBuffer('1 MiB');
  void asRequest;
}

export function messages(): void {
  const m: Message | undefined = COMM_WORLD.improbe();
  const n: Message = COMM_WORLD.Mprobe();
  const s: string = n.recv<string>();
  const noProc: Message = MESSAGE_NO_PROC;
  const count: number = new Status().getCount(Float64Array);
  // @ts-expect-error a count is measured in a TypedArray constructor's elements
  new Status().getCount('double');
  // @ts-expect-error Recv receives into a typed array
  n.Recv('x');
  // @ts-expect-error error classes are numbers
  const name: string = ERR_TRUNCATE;
  void [m, s, noProc, count, name];
}

export function classes(e: unknown): boolean {
  return e instanceof MPIError && e.errorClass === ERR_TRUNCATE;
}
