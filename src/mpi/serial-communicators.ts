// The serial fallback's groups, Info objects, communicator management and
// topologies (see serial-addon.ts): one-rank semantics. A group is the list
// of its members' world ranks (at most [0]); every topology's neighbours are
// this rank itself or PROC_NULL; intercommunicators cannot exist in a world
// of one, so their calls say so.
import type { BufferView, NativeAddon, NativeConstants } from '../native/addon';
import { plain } from './serial-types';

/** What the serial addon shares with this module. */
export interface SerialCommContext {
  constants: NativeConstants;
  checkComm(c: number): void;
  /** Registers a new communicator handle and returns it. */
  newComm(): number;
  /** A request id that is complete already. */
  completedRequest(): number;
}

type Extras = Omit<
  NativeAddon,
  {
    [K in keyof NativeAddon]-?: K extends
      | `group${string}`
      | `info${string}`
      | `cart${string}`
      | `graph${string}`
      | `distGraph${string}`
      | `neighbor${string}`
      | `ineighbor${string}`
      | `intercomm${string}`
      | 'commGroup'
      | 'commRemoteGroup'
      | 'commCompare'
      | 'commCreate'
      | 'commCreateGroup'
      | 'commSplitType'
      | 'commGetName'
      | 'commSetName'
      | 'commRemoteSize'
      | 'commIdup'
      | 'commIdupShadow'
      | 'commIdupAdopt'
      | 'commSpawnInter'
      | 'commGetParentInter'
      | 'dimsCreate'
      | 'topoTest'
      ? never
      : K;
  }[keyof NativeAddon]
>;

interface Topology {
  kind: number;
  dims: number[];
  periods: number[];
  sources: number[];
  destinations: number[];
  weights?: [number[], number[]];
}

// Buffer specs of predefined datatypes become plain views of their bytes.
function bytes(arg: BufferView): Uint8Array {
  const v = plain(arg);
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function elementSize(arg: BufferView): number {
  return (plain(arg) as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
}

/** MPI_Dims_create's balanced factorisation: the free dimensions, largest first. */
export function balancedDims(nnodes: number, dims: ArrayLike<number>): Int32Array {
  if (!Number.isInteger(nnodes) || nnodes < 1) throw new RangeError(`nnodes must be >= 1, got ${nnodes}`);
  const out = Int32Array.from(dims);
  let rest = nnodes;
  const free: number[] = [];
  out.forEach((d, i) => {
    if (d < 0) throw new RangeError(`dims[${i}] must be >= 0 (0 = free), got ${d}`);
    if (d > 0) rest /= d;
    else free.push(i);
  });
  if (!Number.isInteger(rest))
    throw new RangeError(`nnodes (${nnodes}) is not a multiple of the product of the fixed dims`);
  if (free.length === 0) {
    if (rest !== 1) throw new RangeError(`the fixed dims do not multiply to nnodes (${nnodes})`);
    return out;
  }
  const factors: number[] = [];
  for (let p = 2; rest > 1; p++) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  const sizes = free.map(() => 1);
  for (const f of factors.reverse()) {
    let smallest = 0;
    for (let i = 1; i < sizes.length; i++) if (sizes[i] < sizes[smallest]) smallest = i;
    sizes[smallest] *= f;
  }
  sizes.sort((a, b) => b - a);
  free.forEach((at, i) => (out[at] = sizes[i]));
  return out;
}

export function createSerialCommunicators(ctx: SerialCommContext): Extras {
  const C = ctx.constants;
  const groups = new Map<number, number[]>([[0, []]]);
  let nextGroup = 1;
  const infos = new Map<number, Map<string, string>>();
  let nextInfo = 0;
  const names = new Map<number, string>([
    [0, 'MPI_COMM_WORLD'],
    [1, 'MPI_COMM_SELF'],
  ]);
  const topologies = new Map<number, Topology>();

  const group = (g: number): number[] => {
    const members = groups.get(g);
    if (!members) throw new Error(`unknown group handle ${g} (freed, or never created)`);
    return members;
  };
  const addGroup = (members: number[]): number => {
    groups.set(nextGroup, members);
    return nextGroup++;
  };
  const pick = (g: number, ranks: Int32Array): number[] => {
    const members = group(g);
    return Array.from(ranks, (r, i) => {
      if (r < 0 || r >= members.length)
        throw new RangeError(`ranks[${i}] = ${r} is not a rank of a group of size ${members.length}`);
      return members[r];
    });
  };
  const ranges = (g: number, flat: Int32Array): number[] => {
    const out: number[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      const [first, last, stride] = [flat[i], flat[i + 1], flat[i + 2]];
      if (stride === 0) throw new RangeError(`ranges[${i / 3}]: stride must not be 0`);
      for (let r = first; stride > 0 ? r <= last : r >= last; r += stride) out.push(r);
    }
    return pick(g, Int32Array.from(out));
  };
  const info = (h: number): Map<string, string> => {
    const m = infos.get(h);
    if (!m) throw new Error(`unknown Info handle ${h} (freed, or never created)`);
    return m;
  };
  const topo = (c: number, kind?: number): Topology => {
    ctx.checkComm(c);
    const t = topologies.get(c);
    if (!t || (kind !== undefined && t.kind !== kind)) throw new Error('the communicator has no such topology');
    return t;
  };
  const withTopology = (t: Topology): number => {
    const c = ctx.newComm();
    topologies.set(c, t);
    return c;
  };
  const onlySelf = (list: ArrayLike<number>, what: string): number[] =>
    Array.from(list, (r, i) => {
      if (r !== 0) throw new RangeError(`${what}[${i}] = ${r} is not a rank of the communicator (0..0)`);
      return r;
    });
  const cartEdges = (t: Topology, shift: (d: number) => [number, number]): number[] =>
    t.dims.flatMap((_, d) => shift(d));
  const cartShift = (t: Topology, d: number, disp: number): [number, number] => {
    if (d < 0 || d >= t.dims.length) throw new RangeError(`direction must be in 0..${t.dims.length - 1}, got ${d}`);
    return t.periods[d] || disp === 0 ? [0, 0] : [C.PROC_NULL, C.PROC_NULL];
  };
  const cart = (dims: number[], periods: number[]): Topology => {
    const t: Topology = { kind: C.CART, dims, periods, sources: [], destinations: [] };
    t.sources = cartEdges(t, (d) => cartShift(t, d, 1));
    t.destinations = [...t.sources];
    return t;
  };
  /** For in-edge j: the index of the out-block that arrives there (-1 for PROC_NULL). */
  const arrivals = (t: Topology): number[] => {
    if (t.kind === C.CART) return t.sources.map((s, j) => (s === C.PROC_NULL ? -1 : j ^ 1));
    // Self-loops: the k-th edge out to this rank is the k-th edge in from it.
    return t.sources.map((_, j) => (j < t.destinations.length ? j : -1));
  };
  const copyBlocks = (
    t: Topology,
    send: BufferView,
    sendAt: (i: number) => [number, number],
    recv: BufferView,
    recvAt: (j: number) => [number, number],
  ): void => {
    const s = bytes(send),
      r = bytes(recv);
    const es = elementSize(send),
      er = elementSize(recv);
    arrivals(t).forEach((i, j) => {
      if (i < 0) return;
      const [so, sn] = sendAt(i);
      const [ro, rn] = recvAt(j);
      if (sn > rn) throw new RangeError('receive block is too small');
      r.set(s.subarray(so * es, (so + sn) * es), ro * er);
    });
  };
  const blocks = (n: number) => (i: number) => [i * n, n] as [number, number];
  const vblocks = (counts: Int32Array, displs: Int32Array) => (i: number) => [displs[i], counts[i]] as [number, number];

  return {
    commGroup: (c) => {
      ctx.checkComm(c);
      return addGroup([0]);
    },
    commRemoteGroup: () => {
      throw new Error('remoteGroup: not an intercommunicator');
    },
    groupSize: (g) => group(g).length,
    groupRank: (g) => (group(g).includes(0) ? group(g).indexOf(0) : C.UNDEFINED),
    groupIncl: (g, ranks) => addGroup(pick(g, ranks)),
    groupExcl: (g, ranks) => {
      const out = new Set(pick(g, ranks));
      return addGroup(group(g).filter((m) => !out.has(m)));
    },
    groupRangeIncl: (g, flat) => addGroup(ranges(g, flat)),
    groupRangeExcl: (g, flat) => {
      const out = new Set(ranges(g, flat));
      return addGroup(group(g).filter((m) => !out.has(m)));
    },
    groupUnion: (a, b) => addGroup([...new Set([...group(a), ...group(b)])]),
    groupIntersection: (a, b) => addGroup(group(a).filter((m) => group(b).includes(m))),
    groupDifference: (a, b) => addGroup(group(a).filter((m) => !group(b).includes(m))),
    groupTranslateRanks: (a, ranks, b) =>
      Int32Array.from(pick(a, ranks), (m) => (group(b).includes(m) ? group(b).indexOf(m) : C.UNDEFINED)),
    groupCompare: (a, b) => {
      const x = group(a),
        y = group(b);
      if (x.length !== y.length || !x.every((m) => y.includes(m))) return C.UNEQUAL;
      return x.every((m, i) => y[i] === m) ? C.IDENT : C.SIMILAR;
    },
    groupFree: (g) => {
      if (g === 0) throw new Error('cannot free GROUP_EMPTY');
      group(g);
      groups.delete(g);
    },

    infoCreate: () => {
      infos.set(nextInfo, new Map());
      return nextInfo++;
    },
    infoSet: (h, k, v) => void info(h).set(k, v),
    infoGet: (h, k) => info(h).get(k),
    infoDelete: (h, k) => info(h).delete(k),
    infoKeys: (h) => [...info(h).keys()],
    infoDup: (h) => {
      infos.set(nextInfo, new Map(info(h)));
      return nextInfo++;
    },
    infoFree: (h) => {
      info(h);
      infos.delete(h);
    },

    commCompare: (a, b) => {
      ctx.checkComm(a);
      ctx.checkComm(b);
      return a === b ? C.IDENT : C.CONGRUENT;
    },
    commCreate: (c, g) => {
      ctx.checkComm(c);
      return group(g).includes(0) ? ctx.newComm() : -1;
    },
    commCreateGroup: (c, g) => {
      ctx.checkComm(c);
      return group(g).includes(0) ? ctx.newComm() : -1;
    },
    commSplitType: (c, type) => {
      ctx.checkComm(c);
      return type === C.UNDEFINED ? -1 : ctx.newComm();
    },
    commGetName: (c) => {
      ctx.checkComm(c);
      return names.get(c) ?? '';
    },
    commSetName: (c, name) => {
      ctx.checkComm(c);
      names.set(c, name);
    },
    commRemoteSize: (c) => {
      ctx.checkComm(c);
      return -1;
    },
    commIdup: (c) => {
      ctx.checkComm(c);
      return ctx.completedRequest();
    },
    commIdupShadow: () => ctx.completedRequest(),
    commIdupAdopt: () => ctx.newComm(),
    intercommCreate: () => {
      throw new RangeError('createIntercomm: a world of one rank has no other group to join');
    },
    intercommMerge: () => {
      throw new Error('merge: not an intercommunicator');
    },
    commSpawnInter: () => {
      throw new Error('Spawn: no MPI library (serial fallback): processes cannot be spawned');
    },
    commGetParentInter: () => -1,

    cartCreate: (c, dims, periods) => {
      ctx.checkComm(c);
      dims.forEach((d, i) => {
        if (d <= 0) throw new RangeError(`dims[${i}] must be > 0, got ${d}`);
      });
      if (dims.reduce((a, b) => a * b, 1) > 1)
        throw new RangeError('the grid has more positions than the 1 ranks of the communicator');
      return withTopology(cart(Array.from(dims), Array.from(periods)));
    },
    dimsCreate: (nnodes, dims) => balancedDims(nnodes, dims),
    cartGet: (c) => {
      const t = topo(c, C.CART);
      return {
        dims: Int32Array.from(t.dims),
        periods: Int32Array.from(t.periods),
        coords: new Int32Array(t.dims.length),
      };
    },
    cartRank: (c, coords) => {
      const t = topo(c, C.CART);
      if (coords.length !== t.dims.length)
        throw new RangeError(`coords must have ${t.dims.length} entries (one per dimension), got ${coords.length}`);
      coords.forEach((x, i) => {
        if (!t.periods[i] && x !== 0)
          throw new RangeError(`coords[${i}] = ${x} is outside the non-periodic dimension 0..0`);
      });
      return 0;
    },
    cartCoords: (c, rank) => {
      const t = topo(c, C.CART);
      if (rank !== 0) throw new RangeError(`root must be in 0..0, got ${rank}`);
      return new Int32Array(t.dims.length);
    },
    cartShift: (c, d, disp) => cartShift(topo(c, C.CART), d, disp),
    cartSub: (c, remain) => {
      const t = topo(c, C.CART);
      const keep = (_: number, i: number) => remain[i] !== 0;
      return withTopology(cart(t.dims.filter(keep), t.periods.filter(keep)));
    },
    topoTest: (c) => {
      ctx.checkComm(c);
      return topologies.get(c)?.kind ?? C.UNDEFINED;
    },
    graphCreate: (c, index, edges) => {
      ctx.checkComm(c);
      if (index.length > 1)
        throw new RangeError(`the graph has ${index.length} nodes, more than the communicator's 1 ranks`);
      const own = onlySelf(edges, 'edges');
      return index.length === 0
        ? -1
        : withTopology({ kind: C.GRAPH, dims: [], periods: [], sources: own, destinations: [...own] });
    },
    graphNeighbors: (c, rank) => {
      if (rank !== 0) throw new RangeError(`root must be in 0..0, got ${rank}`);
      return Int32Array.from(topo(c, C.GRAPH).sources);
    },
    distGraphCreateAdjacent: (c, sources, sw, destinations, dw) => {
      ctx.checkComm(c);
      return withTopology({
        kind: C.DIST_GRAPH,
        dims: [],
        periods: [],
        sources: onlySelf(sources, 'sources'),
        destinations: onlySelf(destinations, 'destinations'),
        weights: sw && dw ? [Array.from(sw), Array.from(dw)] : undefined,
      });
    },
    distGraphCreate: (c, sources, degrees, destinations, weights) => {
      ctx.checkComm(c);
      onlySelf(sources, 'sources');
      const edges = onlySelf(destinations, 'destinations');
      if (degrees.reduce((a, b) => a + b, 0) !== edges.length)
        throw new RangeError(`destinations must have sum(degrees) entries, got ${edges.length}`);
      const w = weights ? Array.from(weights) : undefined;
      return withTopology({
        kind: C.DIST_GRAPH,
        dims: [],
        periods: [],
        sources: [...edges],
        destinations: edges,
        weights: w ? [w, [...w]] : undefined,
      });
    },
    distGraphNeighbors: (c) => {
      const t = topo(c, C.DIST_GRAPH);
      return {
        sources: Int32Array.from(t.sources),
        destinations: Int32Array.from(t.destinations),
        ...(t.weights
          ? { sourceWeights: Int32Array.from(t.weights[0]), destWeights: Int32Array.from(t.weights[1]) }
          : {}),
      };
    },
    neighborCounts: (c) => {
      const t = topo(c);
      return { indegree: t.sources.length, outdegree: t.destinations.length };
    },
    neighborAllgather: (c, s, r) => {
      const t = topo(c);
      const n = plain(s).byteLength / elementSize(s);
      copyBlocks(t, s, () => [0, n], r, blocks(n));
    },
    neighborAlltoall: (c, s, r) => {
      const t = topo(c);
      const n = t.destinations.length ? plain(s).byteLength / elementSize(s) / t.destinations.length : 0;
      copyBlocks(t, s, blocks(n), r, blocks(n));
    },
    neighborAllgatherv: (c, s, r, counts, displs) => {
      const n = plain(s).byteLength / elementSize(s);
      copyBlocks(topo(c), s, () => [0, n], r, vblocks(counts, displs));
    },
    neighborAlltoallv: (c, s, sc, sd, r, rc, rd) => copyBlocks(topo(c), s, vblocks(sc, sd), r, vblocks(rc, rd)),
    ineighborAllgather(c, s, r) {
      this.neighborAllgather(c, s, r);
      return ctx.completedRequest();
    },
    ineighborAlltoall(c, s, r) {
      this.neighborAlltoall(c, s, r);
      return ctx.completedRequest();
    },
    ineighborAllgatherv(c, s, r, counts, displs) {
      this.neighborAllgatherv(c, s, r, counts, displs);
      return ctx.completedRequest();
    },
    ineighborAlltoallv(c, s, sc, sd, r, rc, rd) {
      this.neighborAlltoallv(c, s, sc, sd, r, rc, rd);
      return ctx.completedRequest();
    },
  };
}
