// How a command reaches the workers over MPI. With the command ring
// (command-ring.ts) the workers on rank 0's host read it there, and this is
// how it reaches the others; without, how it reaches every worker. Rank 0
// sends it to its children in a binomial tree over the ranks served over
// MPI; a worker, on receipt, passes it (and its detached buffers) on to its
// own children before running it. Rank 0 then sends ceil(log2 P) messages
// per command instead of P - 1, and a command reaches the last worker after
// at most ceil(log2 P) hops. MPI never reorders the messages of one sender to
// one receiver on one communicator and tag, so every worker still sees the
// commands in rank 0's order. When the ranks served are few (settings.ts),
// or with MPI_LOOP_FANOUT=flat, rank 0 sends to every worker itself (the flat
// fan-out); MPI_LOOP_FANOUT=tree imposes the tree over all the ranks.
//
// Binomial tree, over positions i in the list of ranks served: the parent of
// i > 0 is i with its lowest set bit cleared; its children are i + 2^k for
// every 2^k below that bit (for 0: every 2^k < the count), largest subtree
// first so the deepest path starts earliest.
import { fanoutFlat } from './settings';

/** The ranks that get commands over MPI, rank 0 first: all, or those not reading the command ring. */
let served: Int32Array | null = null;
/** Ring readers: rank 0 writes their commands into the ring. */
let readers = new Set<number>();

/** @internal The command ring's readers (every rank alike, once it is made). */
export function setRingReaders(ringReaders: Int32Array, size: number): void {
  readers = new Set(ringReaders);
  served = Int32Array.from({ length: size }, (_, r) => r).filter((r) => !readers.has(r));
}

/** The ranks served over MPI, with `size` ranks in all. */
export const servedRanks = (size: number): Int32Array => served ?? Int32Array.from({ length: size }, (_, r) => r);

/** The rank this rank receives commands from (-1 for rank 0). */
export function fanoutParent(rank: number): number {
  if (rank === 0) return -1;
  if (fanoutFlat || readers.has(rank)) return 0;
  if (!served) return rank & (rank - 1);
  const i = served.indexOf(rank);
  return served[i & (i - 1)];
}

/** The ranks this rank sends each command to over MPI, in sending order. */
export function fanoutChildren(rank: number, size: number): number[] {
  if (readers.has(rank)) return [];
  const ranks = servedRanks(size);
  if (fanoutFlat) return rank === 0 ? Array.from(ranks.subarray(1)) : [];
  // The tree over the positions of `ranks`.
  const i = ranks.indexOf(rank);
  const n = ranks.length;
  const children: number[] = [];
  // The lowest set bit of i (position 0: past the last position).
  let bit = i === 0 ? 1 : i & -i;
  if (i === 0) while (bit < n) bit <<= 1;
  for (let m = bit >> 1; m >= 1; m >>= 1) if (i + m < n) children.push(ranks[i + m]);
  return children;
}
