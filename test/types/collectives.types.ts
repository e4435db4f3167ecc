// Compile-time tests of the nonblocking collectives, user ops and pair
// buffers (never run). Each `@ts-expect-error` line must fail to compile.
import { COMM_WORLD as world, IN_PLACE, MAXLOC, Op, PairBuffer, Request, SUM } from 'mpi-loop';

export async function collectives(): Promise<void> {
  const x = new Float64Array(4);
  const done: Request<void> = world.Iallreduce(IN_PLACE, x, SUM);
  await done;
  const names: string[] = await world.iallgather('host');
  const gathered: number[] | undefined = await world.igather(1, 0);
  const folded: number | undefined = await world.ireduce(1, SUM, 0);
  const sum: number = await world.iallreduce(1);
  const pairs = PairBuffer.from('DOUBLE_INT', [[1.5, world.rank]]);
  world.Allreduce(pairs, new PairBuffer('DOUBLE_INT', 1), MAXLOC);
  const [value, index]: [number, number] = pairs.get(0);
  const op = Op.create((a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]), true);
  const commutes: boolean = op.isCommutative;
  op.reduceLocal(x, new Float64Array(4));
  world.Scatter(new Float64Array(4), IN_PLACE, 0);
  void [names, gathered, folded, sum, value, index, commutes];

  // @ts-expect-error an igather result may be undefined off the root
  const notOnEveryRank: number[] = await world.igather(1, 0);
  // @ts-expect-error PairBuffer types are the MPI pair types
  new PairBuffer('INT_DOUBLE', 1);
  // @ts-expect-error Alltoallw takes one view per peer
  world.Alltoallw(new Float64Array(2), new Float64Array(2));
  // @ts-expect-error a nonblocking collective is awaited, not a value
  const notAwaited: number = world.iallreduce(1);
  // @ts-expect-error IN_PLACE is no receive buffer of Gather
  world.Gather(x, IN_PLACE, 0);
  // @ts-expect-error Op.create takes a function
  Op.create(SUM);
  // @ts-expect-error isCommutative is read-only
  op.isCommutative = false;
  // @ts-expect-error a pair is [value, index]
  pairs.set(0, [1, 2]);
  void [notOnEveryRank, notAwaited];
}
