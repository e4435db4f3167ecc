// How a command reaches the workers. Rank 0 sends it to its children in a
// binomial tree over the command communicator; a worker, on receipt, passes
// it (and its detached buffers) on to its own children before running it.
// Rank 0 then sends ceil(log2 P) messages per command instead of P - 1, and
// a command reaches the last worker after at most ceil(log2 P) hops. MPI
// never reorders the messages of one sender to one receiver on one
// communicator and tag, so every worker still sees the commands in rank 0's
// order. With few ranks, or more ranks than cores on rank 0's host, rank 0
// sends to every worker itself (the flat fan-out, settings.ts);
// MPI_LOOP_FANOUT=tree or =flat imposes one.
//
// Binomial tree: the parent of rank r > 0 is r with its lowest set bit
// cleared; its children are r + 2^k for every 2^k below that bit (for rank 0:
// every 2^k < P), largest subtree first so the deepest path starts earliest.
import { fanoutFlat } from './settings';

/** The rank this rank receives commands from (-1 for rank 0). */
export function fanoutParent(rank: number): number {
  if (rank === 0) return -1;
  return fanoutFlat ? 0 : rank & (rank - 1);
}

/** The ranks this rank sends each command to, in sending order. */
export function fanoutChildren(rank: number, size: number): number[] {
  if (fanoutFlat) return rank === 0 ? Array.from({ length: size - 1 }, (_, i) => i + 1) : [];
  const children: number[] = [];
  // The lowest set bit of rank (rank 0: past the highest rank).
  let bit = rank === 0 ? 1 : rank & -rank;
  if (rank === 0) while (bit < size) bit <<= 1;
  for (let m = bit >> 1; m >= 1; m >>= 1) if (rank + m < size) children.push(rank + m);
  return children;
}
