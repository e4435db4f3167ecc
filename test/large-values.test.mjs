// Large typed arrays (16 MiB of every kind, several nested in an object,
// mixed with small parts) as call() arguments and through send/recv,
// isend/irecv, sendrecv, bcast and gather, on real MPI: bit-exact, of the
// right type, and where they travel as messages of their own, in memory of
// their own on the receiver. The wire-level pieces are checked without MPI.
import test from 'ava';
import { fixture, mpinode, tagged } from './helpers/mpirun.mjs';
import { allocateDetached, concatEncoded, decode, DecodeError, encode } from '../dist/mpi/codec/index.js';

const TIMEOUT = 240_000;
const register = ['-r', 'mpi-loop/register'];

function assertClean(t, r) {
  t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
  t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  t.deepEqual(tagged(r.stdout, 'FAIL'), []);
}

for (const n of [2, 4]) {
  test(`call() with large typed arrays arrives bit-exact in arrays of their own on every rank, ${n} ranks`, async (t) => {
    const r = await mpinode(n, [...register, fixture('large-call.mjs')], { timeout: TIMEOUT });
    assertClean(t, r);
    // 7 kinds, 3 arguments at once, 3 repeats, the EncodeError, the call after it
    t.deepEqual(tagged(r.stdout, 'CHECKS '), ['13']);
    t.deepEqual(tagged(r.stdout, 'DONE'), ['']);
  });

  test(`send/recv, isend/irecv, sendrecv, bcast and gather carry large typed arrays, ${n} ranks`, async (t) => {
    const r = await mpinode(n, [fixture('large-comm.mjs')], { timeout: TIMEOUT });
    assertClean(t, r);
    // per rank: 7 values x (5 point to point + n bcasts), n gathered values as root and n - 1 gathers
    // elsewhere, the EncodeError of send (and of bcast at rank 0), 3 checks after the errors
    const perRank = (rank) => 7 * (5 + n) + n + (n - 1) + 1 + (rank === 0 ? 1 : 0) + 3;
    const checks = Object.fromEntries(tagged(r.stdout, 'CHECKS ').map((l) => l.split(' ').map(Number)));
    t.deepEqual(checks, Object.fromEntries(Array.from({ length: n }, (_, rank) => [rank, perRank(rank)])));
    t.is(tagged(r.stdout, 'DONE ').length, n);
  });
}

// ---- the wire format of detached buffers, without MPI ----

const big = () => new Float64Array(1 << 14).map((_, i) => i * 0.5 - 3);

test('receive memory comes back: 256 calls with a fresh 8 MiB argument leave every worker far below 2 GiB', async (t) => {
  const r = await mpinode(2, [...register, fixture('large-call-memory.mjs')], { timeout: TIMEOUT });
  assertClean(t, r);
  t.deepEqual(tagged(r.stdout, 'DONE'), ['']);
  const rss = tagged(r.stdout, 'RSS ').map((l) => Number(l.split(' ')[1]));
  t.is(rss.length, 2, r.stdout);
  // Kept, the arguments alone would take 2,048 MB; reused, a few blocks.
  for (const mb of rss) t.true(mb > 0 && mb < 600, `resident ${mb} MB\n${r.stdout}`);
});

test('encode with detachFrom leaves large buffers out of the message, in order, as views of their memory', (t) => {
  const a = big();
  const b = new Int32Array(64).fill(7);
  const c = new Uint8Array(1 << 17).fill(9);
  const e = encode({ a, b, list: [c] }, { detachFrom: 4096 });
  t.is(e.detached.length, 2);
  t.is(e.detached[0].buffer, a.buffer);
  t.is(e.detached[1].buffer, c.buffer);
  t.true(e.byteLength < 1024, `the message holds ${e.byteLength} bytes`);
  t.is(encode({ a }).detached.length, 0, 'nothing is detached unless asked');
});

test('a message with detached buffers decodes once they are received, into arrays of their own', (t) => {
  const a = big();
  const tail = Buffer.from('tail of a buffer, long enough'.repeat(400));
  const value = { a, tail, small: new Uint16Array([1, 2, 3]), text: 'x' };
  const e = encode(value, { detachFrom: 4096 });
  const message = concatEncoded(e);
  const d = allocateDetached(message);
  t.truthy(d);
  t.is(d.bytes.length, 2);
  d.bytes.forEach((into, i) => into.set(e.detached[i])); // what MPI does on the receiver
  const got = decode(message, { detached: d });
  t.true(got.a instanceof Float64Array && got.a.byteOffset === 0 && got.a.buffer.byteLength === a.byteLength);
  t.deepEqual([...got.a], [...a]);
  t.true(Buffer.isBuffer(got.tail));
  t.deepEqual(got.tail, tail);
  t.deepEqual(got.small, value.small);
  t.is(allocateDetached(concatEncoded(encode(value))), null, 'an ordinary message has none');
});

test('a bare large buffer is detached too, and malformed detached descriptors are DecodeErrors', (t) => {
  const a = big();
  const message = concatEncoded(encode(a, { detachFrom: 1024 }));
  t.is(message.byteLength, 16 + 24, 'header and descriptor only');
  const err = t.throws(() => decode(message), { instanceOf: DecodeError });
  t.regex(err.message, /not received/);
  const badFlags = Buffer.from(message);
  badFlags[16 + 1] = 2;
  t.throws(() => decode(badFlags), { instanceOf: DecodeError, message: /unknown flags 2/ });
  t.throws(() => allocateDetached(Buffer.concat([message, Buffer.alloc(8)])), { instanceOf: DecodeError });
  const badOffset = Buffer.from(message);
  badOffset.writeDoubleLE(8, 16 + 8);
  t.throws(() => allocateDetached(badOffset), { instanceOf: DecodeError, message: /offset 8/ });
  const odd = Buffer.from(message);
  odd.writeDoubleLE(a.byteLength - 4, 16 + 16);
  t.throws(() => allocateDetached(odd), { instanceOf: DecodeError, message: /whole number of Float64Array/ });
});
