// mpi4py's Group: an ordered set of processes, taken from a communicator
// (comm.group) and combined without communication. Comm.create and
// Comm.createGroup turn a group back into a communicator.
import { addon, native } from './environment';

const C = addon().constants;
/** compare() results, for groups and communicators (MPI_IDENT, ...). */
export const IDENT: number = C.IDENT;
export const CONGRUENT: number = C.CONGRUENT;
export const SIMILAR: number = C.SIMILAR;
export const UNEQUAL: number = C.UNEQUAL;

/** Ranks: an array of integers (or an Int32Array). */
export type Ranks = ArrayLike<number>;
/** A [first, last, stride] range of ranks, as MPI_Group_range_incl takes it. */
export type RankRange = [number, number, number];

function ints(a: ArrayLike<number>, what: string): Int32Array {
  if (a instanceof Int32Array) return a;
  if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
    throw new TypeError(`${what} must be an array of integers`);
  }
  for (let i = 0; i < a.length; i++) {
    if (!Number.isInteger(a[i])) throw new TypeError(`${what}[${i}] must be an integer, got ${a[i]}`);
  }
  return Int32Array.from(a);
}

function flatRanges(ranges: RankRange[], where: string): Int32Array {
  if (!Array.isArray(ranges)) throw new TypeError(`${where}: ranges must be an array of [first, last, stride]`);
  const flat: number[] = [];
  ranges.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== 3)
      throw new TypeError(`${where}: ranges[${i}] must be [first, last, stride]`);
    flat.push(...r);
  });
  return ints(flat, `${where}: ranges`);
}

export class Group {
  #handle: number;

  /** Groups come from comm.group, GROUP_EMPTY and the methods below. */
  constructor(handle: number) {
    this.#handle = handle;
  }

  /** The native handle (-1 once freed). */
  get handle(): number {
    return this.#handle;
  }

  #h(): number {
    if (this.#handle < 0) throw new Error('the group has been freed');
    return this.#handle;
  }

  get size(): number {
    return native().groupSize(this.#h());
  }

  /** This process's rank in the group, or UNDEFINED when it is not a member. */
  get rank(): number {
    return native().groupRank(this.#h());
  }

  /** The group of the processes at `ranks` of this group, in that order. */
  incl(ranks: Ranks): Group {
    return new Group(native().groupIncl(this.#h(), ints(ranks, 'incl: ranks')));
  }

  /** This group without the processes at `ranks`. */
  excl(ranks: Ranks): Group {
    return new Group(native().groupExcl(this.#h(), ints(ranks, 'excl: ranks')));
  }

  /** incl() of every rank in the [first, last, stride] ranges (last included). */
  rangeIncl(ranges: RankRange[]): Group {
    return new Group(native().groupRangeIncl(this.#h(), flatRanges(ranges, 'rangeIncl')));
  }

  rangeExcl(ranges: RankRange[]): Group {
    return new Group(native().groupRangeExcl(this.#h(), flatRanges(ranges, 'rangeExcl')));
  }

  /** This group's processes, then those of `other` not in it. */
  union(other: Group): Group {
    return Group.union(this, other);
  }

  /** The processes of this group that are also in `other`, in this group's order. */
  intersection(other: Group): Group {
    return Group.intersection(this, other);
  }

  /** The processes of this group that are not in `other`. */
  difference(other: Group): Group {
    return Group.difference(this, other);
  }

  /** The ranks in `other` of the processes at `ranks` here (UNDEFINED where absent). */
  translateRanks(ranks: Ranks, other: Group): number[] {
    return Group.translateRanks(this, ranks, other);
  }

  /** IDENT (same members, same order), SIMILAR (same members) or UNEQUAL. */
  compare(other: Group): number {
    return Group.compare(this, other);
  }

  free(): void {
    if (this.#handle === 0) throw new Error('free: GROUP_EMPTY cannot be freed');
    native().groupFree(this.#h());
    this.#handle = -1;
  }

  [Symbol.dispose](): void {
    if (this.#handle > 0) this.free();
  }

  static union(a: Group, b: Group): Group {
    return new Group(native().groupUnion(handleOf(a, 'group1'), handleOf(b, 'group2')));
  }

  static intersection(a: Group, b: Group): Group {
    return new Group(native().groupIntersection(handleOf(a, 'group1'), handleOf(b, 'group2')));
  }

  static difference(a: Group, b: Group): Group {
    return new Group(native().groupDifference(handleOf(a, 'group1'), handleOf(b, 'group2')));
  }

  static translateRanks(a: Group, ranks: Ranks, b: Group): number[] {
    const out = native().groupTranslateRanks(
      handleOf(a, 'group1'),
      ints(ranks, 'translateRanks: ranks'),
      handleOf(b, 'group2'),
    );
    return Array.from(out);
  }

  static compare(a: Group, b: Group): number {
    return native().groupCompare(handleOf(a, 'group1'), handleOf(b, 'group2'));
  }
}

/** The handle of a live Group (TypeError for anything else). */
export function handleOf(g: Group, what: string): number {
  if (!(g instanceof Group)) throw new TypeError(`${what} must be a Group`);
  if (g.handle < 0) throw new Error(`${what}: the group has been freed`);
  return g.handle;
}

/** The group with no members. */
export const GROUP_EMPTY: Group = new Group(0);
