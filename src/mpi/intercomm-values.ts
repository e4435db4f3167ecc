// Collectives of JavaScript values on an intercommunicator, with MPI's root
// semantics: the root passes ROOT, the other ranks of its group PROC_NULL,
// the remote group the root's rank there; the all-to-all forms exchange
// values between the two groups. Each runs two buffer collectives (the
// encoded lengths, then the bytes), the simple form of what
// object-collectives.ts tunes for intracommunicators.
import type { NativeAddon } from '../native/addon';
import { decode } from './codec';
import { checkLength, decodeAt, encodeBytes, layout, pack } from './object-collectives';

const NONE = new Int32Array(0);
const EMPTY = new Uint8Array(0);

/** How this rank takes part in a rooted collective. */
export type InterRole = 'root' | 'none' | 'member';

function unpack(buf: Uint8Array, counts: Int32Array, displs: Int32Array): unknown[] {
  return Array.from(counts, (n, i) => decodeAt(buf, displs[i], n));
}

export function interBcast(N: NativeAddon, comm: number, role: InterRole, value: unknown, root: number): unknown {
  const length = new Float64Array(1);
  if (role === 'root') {
    const bytes = new Uint8Array(encodeBytes(value, 'obj'));
    length[0] = bytes.byteLength;
    N.bcast(comm, length, root);
    N.bcast(comm, bytes, root);
    return value;
  }
  N.bcast(comm, length, root);
  const bytes = new Uint8Array(role === 'none' ? 0 : length[0]);
  N.bcast(comm, bytes, root);
  return role === 'none' ? undefined : decode(bytes);
}

/** The remote group's values at the root; undefined elsewhere. */
export function interGather(
  N: NativeAddon,
  comm: number,
  role: InterRole,
  remoteSize: number,
  value: unknown,
  root: number,
): unknown[] | undefined {
  if (role === 'member') {
    const mine = encodeBytes(value, 'obj');
    N.gather(comm, Int32Array.of(checkLength(mine.byteLength, 'gather')), null, root);
    N.gatherv(comm, mine, null, null, null, root);
    return undefined;
  }
  if (role === 'none') {
    N.gather(comm, null, null, root);
    N.gatherv(comm, null, null, null, null, root);
    return undefined;
  }
  const counts = new Int32Array(remoteSize);
  N.gather(comm, null, counts, root);
  const { displs, total } = layout(counts, 'gather');
  const buf = new Uint8Array(total);
  N.gatherv(comm, null, buf, counts, displs, root);
  return unpack(buf, counts, displs);
}

/** objs[i] (given at the root) to rank i of the remote group. */
export function interScatter(
  N: NativeAddon,
  comm: number,
  role: InterRole,
  objs: unknown[] | undefined,
  root: number,
): unknown {
  if (role === 'root') {
    const p = pack(
      (objs as unknown[]).map((v, i) => new Uint8Array(encodeBytes(v, `objs[${i}]`))),
      'scatter',
    );
    N.scatter(comm, p.counts, NONE, root);
    N.scatterv(comm, p.buf, p.counts, p.displs, EMPTY, root);
    return undefined;
  }
  if (role === 'none') {
    N.scatter(comm, null, NONE, root);
    N.scatterv(comm, null, null, null, EMPTY, root);
    return undefined;
  }
  const length = new Int32Array(1);
  N.scatter(comm, null, length, root);
  const bytes = new Uint8Array(length[0]);
  N.scatterv(comm, null, null, null, bytes, root);
  return decode(bytes);
}

/** Every rank gets the remote group's values, in rank order. */
export function interAllgather(N: NativeAddon, comm: number, remoteSize: number, value: unknown): unknown[] {
  const mine = new Uint8Array(encodeBytes(value, 'obj'));
  const counts = new Int32Array(remoteSize);
  N.allgather(comm, Int32Array.of(checkLength(mine.byteLength, 'allgather')), counts);
  const { displs, total } = layout(counts, 'allgather');
  const buf = new Uint8Array(total);
  N.allgatherv(comm, mine, buf, counts, displs);
  return unpack(buf, counts, displs);
}

/** objs[j] to remote rank j; the result holds what remote rank i sent here at [i]. */
export function interAlltoall(N: NativeAddon, comm: number, remoteSize: number, objs: unknown[]): unknown[] {
  const send = pack(
    objs.map((v, i) => new Uint8Array(encodeBytes(v, `objs[${i}]`))),
    'alltoall',
  );
  const rcounts = new Int32Array(remoteSize);
  N.alltoall(comm, send.counts, rcounts);
  const { displs, total } = layout(rcounts, 'alltoall');
  const buf = new Uint8Array(total);
  N.alltoallv(comm, send.buf, send.counts, send.displs, buf, rcounts, displs);
  return unpack(buf, rcounts, displs);
}
