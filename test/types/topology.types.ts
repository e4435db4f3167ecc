// Compile-time test (never run): the topology, group and intercommunicator
// types: createCart gives a CartComm with its grid methods, the
// neighbourhood collectives keep their element types, idup resolves to a Comm.
import { COMM_WORLD, Comm, CartComm, DistGraphComm, Group, Info, computeDims, ROOT } from 'mpi-loop';

const grid: CartComm = COMM_WORLD.createCart(computeDims(COMM_WORLD.size, 2), [true, false]);
const [source, dest]: [number, number] = grid.shift(0, 1);
export const coords: number[] = grid.coords;
export const row: CartComm = grid.sub([false, true]);
grid.Neighbor_alltoall(new Float64Array(4), new Float64Array(4));
export const fromNeighbours: Array<{ r: number } | undefined> = grid.neighborAllgather({ r: source + dest });
// @ts-expect-error shift needs a direction
grid.shift();
// @ts-expect-error a plain communicator has no grid
COMM_WORLD.dup().shift(0, 1);
// @ts-expect-error coordinates are numbers
grid.getCartRank('0,1');
// @ts-expect-error reorder is a boolean
COMM_WORLD.createCart([2], [true], 'yes');
// @ts-expect-error buffer methods take typed arrays
grid.Neighbor_allgather([1], new Float64Array(1));
// @ts-expect-error info must be an Info
COMM_WORLD.splitType(0, 0, { hint: 'x' });

export const ring: DistGraphComm = COMM_WORLD.createDistGraphAdjacent([0], [0], { info: Info.create() });
export const edges: number[] = ring.inedges;

export const g: Group = COMM_WORLD.group.incl([0]);
export const other: Group = Group.union(g, COMM_WORLD.group);
// @ts-expect-error translateRanks needs the other group
g.translateRanks([0]);

// @ts-expect-error compare takes two groups
Group.compare(g);

export async function duplicate(): Promise<Comm> {
  // @ts-expect-error idup gives a Request, not a Comm
  const wrong: Comm = COMM_WORLD.idup();
  const copy: Comm = await COMM_WORLD.idup();
  return copy.merge(false).bcast(1, ROOT) === 1 ? copy : wrong;
}
