// Process topologies (mpi4py's Topocomm, Cartcomm, Graphcomm, Distgraphcomm):
// communicators that know their neighbours, and the neighbourhood
// collectives over them. Blocks go to the out-neighbours and come from the
// in-neighbours in MPI's order: on a Cartesian grid, for each dimension the
// - then the + neighbour (PROC_NULL off the edge of a non-periodic one, whose
// receive block is left untouched, and whose value arrives as undefined).
import type { BufferView } from '../native/addon';
import { Comm, int32s, topologyKinds, vector, type VectorSpec } from './comm';
import { decode } from './codec';
import { native } from './environment';
import { checkLength, encodeBytes, layout, pack } from './object-collectives';
import { Request } from './request';

/** Neighbourhood collectives and the neighbour lists of any topology. */
export class TopoComm extends Comm {
  /** The ranks data comes from, in the neighbourhood collectives' order. */
  get inedges(): number[] {
    return this.neighbors().sources;
  }

  /** The ranks data goes to, in the neighbourhood collectives' order. */
  get outedges(): number[] {
    return this.neighbors().destinations;
  }

  get indegree(): number {
    return native().neighborCounts(this.handle).indegree;
  }

  get outdegree(): number {
    return native().neighborCounts(this.handle).outdegree;
  }

  /** Both neighbour lists. */
  neighbors(): { sources: number[]; destinations: number[] } {
    throw new Error(`neighbors: not implemented for ${this.constructor.name}`);
  }

  // ---- buffers --------------------------------------------------------------

  /** sendbuf to every out-neighbour; recvbuf gets one block of sendbuf's length per in-neighbour. */
  Neighbor_allgather(sendbuf: BufferView, recvbuf: BufferView): void {
    native().neighborAllgather(this.handle, sendbuf, recvbuf);
  }

  /** Block i of sendbuf to out-neighbour i; block j of recvbuf from in-neighbour j (blocks of equal length). */
  Neighbor_alltoall(sendbuf: BufferView, recvbuf: BufferView): void {
    native().neighborAlltoall(this.handle, sendbuf, recvbuf);
  }

  /** counts and displacements per in-neighbour. */
  Neighbor_allgatherv(sendbuf: BufferView, recv: VectorSpec): void {
    const r = vector(recv, this.indegree, 'Neighbor_allgatherv');
    native().neighborAllgatherv(this.handle, sendbuf, r.buf, r.counts, r.displs);
  }

  Neighbor_alltoallv(send: VectorSpec, recv: VectorSpec): void {
    const s = vector(send, this.outdegree, 'Neighbor_alltoallv');
    const r = vector(recv, this.indegree, 'Neighbor_alltoallv');
    native().neighborAlltoallv(this.handle, s.buf, s.counts, s.displs, r.buf, r.counts, r.displs);
  }

  Ineighbor_allgather(sendbuf: BufferView, recvbuf: BufferView): Request<void> {
    return new Request<void>(native().ineighborAllgather(this.handle, sendbuf, recvbuf), () => undefined);
  }

  Ineighbor_alltoall(sendbuf: BufferView, recvbuf: BufferView): Request<void> {
    return new Request<void>(native().ineighborAlltoall(this.handle, sendbuf, recvbuf), () => undefined);
  }

  Ineighbor_allgatherv(sendbuf: BufferView, recv: VectorSpec): Request<void> {
    const r = vector(recv, this.indegree, 'Ineighbor_allgatherv');
    const id = native().ineighborAllgatherv(this.handle, sendbuf, r.buf, r.counts, r.displs);
    return new Request<void>(id, () => undefined);
  }

  Ineighbor_alltoallv(send: VectorSpec, recv: VectorSpec): Request<void> {
    const s = vector(send, this.outdegree, 'Ineighbor_alltoallv');
    const r = vector(recv, this.indegree, 'Ineighbor_alltoallv');
    const id = native().ineighborAlltoallv(this.handle, s.buf, s.counts, s.displs, r.buf, r.counts, r.displs);
    return new Request<void>(id, () => undefined);
  }

  // ---- values ---------------------------------------------------------------

  /** obj to every out-neighbour; the values of the in-neighbours, in order (undefined for PROC_NULL). */
  neighborAllgather<T>(obj: T): Array<T | undefined> {
    const h = this.handle;
    const { indegree } = native().neighborCounts(h);
    const mine = new Uint8Array(encodeBytes(obj, 'obj'));
    const lengths = new Int32Array(indegree).fill(-1);
    native().neighborAllgather(h, Int32Array.of(checkLength(mine.byteLength, 'neighborAllgather')), lengths);
    return this.#unpack(lengths, (counts, displs, buf) => native().neighborAllgatherv(h, mine, buf, counts, displs));
  }

  /** objs[i] to out-neighbour i; the values of the in-neighbours, in order (undefined for PROC_NULL). */
  neighborAlltoall<T>(objs: T[]): Array<T | undefined> {
    const h = this.handle;
    const { indegree, outdegree } = native().neighborCounts(h);
    if (!Array.isArray(objs) || objs.length !== outdegree) {
      throw new TypeError(`neighborAlltoall: objs must be an array of ${outdegree} values (one per out-neighbour)`);
    }
    const send = pack(
      objs.map((v, i) => new Uint8Array(encodeBytes(v, `objs[${i}]`))),
      'neighborAlltoall',
    );
    const lengths = new Int32Array(indegree).fill(-1);
    native().neighborAlltoall(h, send.counts, lengths);
    return this.#unpack(lengths, (counts, displs, buf) =>
      native().neighborAlltoallv(h, send.buf, send.counts, send.displs, buf, counts, displs),
    );
  }

  /** Receives the bodies whose lengths arrived (-1: from PROC_NULL) and decodes them. */
  #unpack<T>(
    lengths: Int32Array,
    receive: (counts: Int32Array, displs: Int32Array, buf: Uint8Array) => void,
  ): Array<T | undefined> {
    const counts = lengths.map((n) => Math.max(n, 0));
    const { displs, total } = layout(counts, 'neighbourhood collective');
    const buf = new Uint8Array(total);
    receive(counts, displs, buf);
    return Array.from(lengths, (n, i) => (n < 0 ? undefined : (decode(buf.subarray(displs[i], displs[i] + n)) as T)));
  }
}

/** A communicator on a Cartesian grid (createCart). */
export class CartComm extends TopoComm {
  #cache: { dims: number[]; periods: boolean[]; coords: number[] } | undefined;

  #get(): { dims: number[]; periods: boolean[]; coords: number[] } {
    if (!this.#cache) {
      const g = native().cartGet(this.handle);
      this.#cache = {
        dims: Array.from(g.dims),
        periods: Array.from(g.periods, (p) => p !== 0),
        coords: Array.from(g.coords),
      };
    }
    return this.#cache;
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.#get().dims.length;
  }

  get dims(): number[] {
    return [...this.#get().dims];
  }

  get periods(): boolean[] {
    return [...this.#get().periods];
  }

  /** This rank's coordinates on the grid. */
  get coords(): number[] {
    return [...this.#get().coords];
  }

  getCoords(rank: number): number[] {
    return Array.from(native().cartCoords(this.handle, rank));
  }

  /** The rank at `coords` (wrapped around periodic dimensions). */
  getCartRank(coords: ArrayLike<number>): number {
    return native().cartRank(this.handle, int32s(coords, 'getCartRank: coords'));
  }

  /**
   * MPI_Cart_shift: [source, dest] for a shift by `disp` along `direction`:
   * this rank receives from source and sends to dest (PROC_NULL off the edge).
   */
  shift(direction: number, disp = 1): [number, number] {
    return native().cartShift(this.handle, direction, disp);
  }

  /** MPI_Cart_sub: the sub-grid of the dimensions where remainDims is true, through this rank. */
  sub(remainDims: ArrayLike<boolean | number>): CartComm {
    const remain = Int32Array.from({ length: remainDims.length }, (_, i) => (remainDims[i] ? 1 : 0));
    return new CartComm(native().cartSub(this.handle, remain));
  }

  override neighbors(): { sources: number[]; destinations: number[] } {
    const edges: number[] = [];
    for (let d = 0; d < this.ndim; d++) edges.push(...this.shift(d, 1));
    return { sources: edges, destinations: [...edges] };
  }
}

/** A communicator with a graph topology (createGraph). */
export class GraphComm extends TopoComm {
  /** The neighbours of `rank` (this rank by default). */
  getNeighbors(rank: number = this.rank): number[] {
    return Array.from(native().graphNeighbors(this.handle, rank));
  }

  override neighbors(): { sources: number[]; destinations: number[] } {
    const edges = this.getNeighbors();
    return { sources: edges, destinations: [...edges] };
  }
}

/** A communicator with a distributed graph topology (createDistGraph, createDistGraphAdjacent). */
export class DistGraphComm extends TopoComm {
  override neighbors(): { sources: number[]; destinations: number[] } {
    const n = native().distGraphNeighbors(this.handle);
    return { sources: Array.from(n.sources), destinations: Array.from(n.destinations) };
  }

  /** The edge weights, [sourceWeights, destWeights]; undefined for an unweighted graph. */
  get weights(): [number[], number[]] | undefined {
    const n = native().distGraphNeighbors(this.handle);
    if (!n.sourceWeights || !n.destWeights) return undefined;
    return [Array.from(n.sourceWeights), Array.from(n.destWeights)];
  }
}

/**
 * MPI_Dims_create: a balanced grid of `nnodes` positions. `dims` is the
 * number of dimensions, or an array whose non-zero entries are kept.
 */
export function computeDims(nnodes: number, dims: number | ArrayLike<number>): number[] {
  const start =
    typeof dims === 'number'
      ? (() => {
          if (!Number.isInteger(dims) || dims < 0)
            throw new RangeError(`computeDims: dims must be a number of dimensions >= 0, got ${dims}`);
          return new Int32Array(dims);
        })()
      : int32s(dims, 'computeDims: dims');
  return Array.from(native().dimsCreate(nnodes, start));
}

topologyKinds.cart = (h) => new CartComm(h);
topologyKinds.graph = (h) => new GraphComm(h);
topologyKinds.distGraph = (h) => new DistGraphComm(h);
