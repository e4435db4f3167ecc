// The codec's binary fast path for plain values (src/mpi/codec/binary-*.ts):
// what it carries, when it must decline, and hostile binary messages.
// Pure TypeScript, no MPI involved. Compile first: npx tsc -p tsconfig.json
import test from 'ava';
import { encode, decode, concatEncoded, messageFormat, EncodeError, DecodeError } from '../dist/mpi/codec/index.js';

const bytesOf = (value, options) => concatEncoded(encode(value, options));
const formatOf = (value) => messageFormat(bytesOf(value));
const roundTrip = (value) => decode(bytesOf(value));

/** A binary message around a hand-made body (layout in wire-format.ts). */
function binaryMessage(body) {
  const b = Buffer.from(body);
  const m = Buffer.alloc(16 + b.length);
  m[0] = 0xb1;
  m[1] = 4;
  m.writeUInt32LE(b.length, 4);
  b.copy(m, 16);
  return m;
}
const u32 = (n) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const key = (s) => [...u32(Buffer.byteLength(s)), ...Buffer.from(s)];

function assertNoPollution(t) {
  t.is({}.polluted, undefined);
  t.is(Object.getOwnPropertyNames(Object.prototype).includes('polluted'), false);
  t.is(Object.getOwnPropertyNames(Array.prototype).includes('polluted'), false);
}

test('every plain kind round-trips through the binary format', (t) => {
  const values = {
    'int32 extremes': [0, 1, -1, 2147483647, -2147483648, 2147483648, -2147483649],
    floats: [0.1, -1.5, 1e300, 5e-324, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER - 2],
    strings: ['', 'a', 'x'.repeat(31), 'y'.repeat(32), 'z'.repeat(33), 'é', '✓', '😀', 'ascii then ünïcödé'.repeat(5)],
    'booleans and null': [true, false, null],
    nested: { a: [{ b: [[], {}, [[[]]]] }], c: { d: { e: 'f' } } },
    bigints: [0n, -1n, 12345678901234567890123456789n, -(2n ** 200n)],
    'empty string key and value': { '': '' },
  };
  for (const [name, v] of Object.entries(values)) {
    const msg = bytesOf(v);
    t.is(messageFormat(msg), 'binary', name);
    t.deepEqual(decode(msg), v, name);
  }
});

test('NaN, +-Infinity and -0 keep their identity; undefined keeps its key', (t) => {
  const r = roundTrip({ n: NaN, p: Infinity, m: -Infinity, z: -0, u: undefined, list: [-0, NaN, undefined] });
  t.true(Number.isNaN(r.n));
  t.is(r.p, Infinity);
  t.is(r.m, -Infinity);
  t.true(Object.is(r.z, -0));
  t.true(Object.hasOwn(r, 'u'));
  t.is(r.u, undefined);
  t.true(Object.is(r.list[0], -0));
  t.true(Number.isNaN(r.list[1]));
  t.true(1 in r.list && 2 in r.list);
  t.is(r.list[2], undefined);
  t.true(Object.is(roundTrip(-0), -0));
  t.is(roundTrip(undefined), undefined);
  t.is(formatOf(undefined), 'binary');
});

test('holes of sparse arrays arrive as undefined, as on the general path', (t) => {
  const a = [1, , 3, ,]; // eslint-disable-line no-sparse-arrays
  t.is(formatOf(a), 'binary');
  const r = roundTrip(a);
  t.is(r.length, 4);
  t.deepEqual(
    [0, 1, 2, 3].map((i) => i in r),
    [true, true, true, true],
  );
  t.deepEqual([...r], [1, undefined, 3, undefined]);
  // Very sparse arrays keep the general path's compact form, with the same result.
  const sparse = [];
  sparse[5000] = 1;
  t.is(formatOf(sparse), 'superjson');
  const back = roundTrip(sparse);
  t.is(back.length, 5001);
  t.is(back[5000], 1);
  t.is(back[0], undefined);
  t.deepEqual(roundTrip([1, , new Date(1)])[1], roundTrip([1, , 3])[1]); // eslint-disable-line no-sparse-arrays
});

test('unicode: surrogate pairs travel as UTF-8, lone surrogates fall back to escaped JSON', (t) => {
  const pairs = { emoji: '😀👍🏽', mixed: 'a😀b', key: { 'ключ😀': 'значение' } };
  t.is(formatOf(pairs), 'binary');
  t.deepEqual(roundTrip(pairs), pairs);
  for (const lone of ['\ud800', 'x\udc00', '\udc00\ud800', `${'a'.repeat(40)}\ud83d`]) {
    t.is(formatOf({ s: lone }), 'json', JSON.stringify(lone));
    t.is(roundTrip({ s: lone }).s, lone);
  }
  // in a key too
  t.is(formatOf({ ['k\ud800']: 1 }), 'json');
  t.deepEqual(roundTrip({ ['k\ud800']: 1 }), { ['k\ud800']: 1 });
});

test('objects keep numeric-like keys, their order, and "constructor"/"prototype" as own data', (t) => {
  const v = { b: 1, 10: 'ten', 2: 'two', a: 2, '-1': 'minus', '01': 'zero-one', constructor: 'c', prototype: { x: 1 } };
  t.is(formatOf(v), 'binary');
  const r = roundTrip(v);
  t.deepEqual(Object.keys(r), Object.keys(v));
  t.deepEqual(r, v);
  t.is(Object.getPrototypeOf(r), Object.prototype);
  t.is(typeof r.hasOwnProperty, 'function');
});

test('huge plain values: 600k numbers and a long string, larger than the reused scratch', (t) => {
  const floats = Array.from({ length: 600_000 }, (_, i) => i / 7);
  const e = encode(floats, { reuse: true });
  const msg = concatEncoded(e);
  t.is(messageFormat(msg), 'binary');
  t.true(msg.length > 4 << 20);
  const back = decode(msg);
  t.is(back.length, floats.length);
  t.true(back.every((x, i) => x === floats[i]));
  const long = 'αβγ'.repeat(100_000) + 'end';
  t.is(roundTrip([long])[0], long);
  // the scratch still serves small values afterwards
  t.deepEqual(roundTrip({ a: 1 }), { a: 1 });
});

test('nesting: deep plain values travel, beyond the binary limit by the general path', (t) => {
  const nest = (depth) => {
    let v = 'leaf';
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
    return v;
  };
  t.is(formatOf(nest(500)), 'binary');
  t.deepEqual(roundTrip(nest(500)), nest(500));
  t.not(formatOf(nest(600)), 'binary');
  t.deepEqual(roundTrip(nest(600)), nest(600));
});

test('the binary path declines what it cannot carry exactly; the general path takes over', (t) => {
  const shared = { k: 1 };
  const cycle = { k: 1 };
  cycle.self = cycle;
  const cases = {
    'shared object': { a: shared, b: shared },
    cycle: cycle,
    'typed array': { f: new Float64Array([1, 2]) },
    Date: [new Date(0)],
    'null prototype': Object.create(null),
    'class instance': new (class Foo {
      constructor() {
        this.x = 1;
      }
    })(),
  };
  for (const [name, v] of Object.entries(cases)) {
    let format;
    try {
      format = formatOf(v);
    } catch {
      format = 'refused';
    }
    t.not(format, 'binary', name);
  }
  const r = roundTrip({ a: shared, b: shared });
  t.is(r.a, r.b);
  const c = roundTrip(cycle);
  t.is(c.self, c);
  t.true(roundTrip({ f: new Float64Array([1, 2]) }).f instanceof Float64Array);
});

test('values that cannot be carried still name their path', (t) => {
  for (const [value, path] of [
    [{ list: [1, Symbol('s')] }, 'obj.list[1]'],
    [{ a: { f() {} } }, 'obj.a.f'],
    [[0, { p: Promise.resolve() }], 'obj[1].p'],
    [{ a: JSON.parse('{"__proto__": 1}') }, 'obj.a.__proto__'],
  ]) {
    const err = t.throws(() => encode(value, { root: 'obj' }), { instanceOf: EncodeError });
    t.is(err.path, path);
  }
});

test('a getter that throws becomes an EncodeError naming its path', (t) => {
  const v = {
    ok: 1,
    get bad() {
      throw new Error('boom');
    },
  };
  const err = t.throws(() => encode({ v }), { instanceOf: EncodeError });
  t.true(err.message.includes('boom'), err.message);
});

test('a getter that encodes during an encode does not corrupt either message', (t) => {
  let inner;
  const v = {
    a: 'outer',
    get b() {
      inner = encode({ inner: [1, 2, 3] }, { reuse: true });
      return 'x'.repeat(100);
    },
  };
  const outer = bytesOf(v, { reuse: true });
  t.deepEqual(decode(outer), { a: 'outer', b: 'x'.repeat(100) });
  t.deepEqual(decode(concatEncoded(inner)), { inner: [1, 2, 3] });
});

test('an encode without reuse owns its memory; with reuse it is valid until the next one', (t) => {
  const kept = encode({ a: 1, s: 'kept' });
  const reused = encode({ z: 'first' }, { reuse: true });
  const copy = Buffer.from(concatEncoded(reused));
  encode({ other: 'second value, longer than the first' }, { reuse: true });
  t.deepEqual(decode(concatEncoded(kept)), { a: 1, s: 'kept' });
  t.deepEqual(decode(copy), { z: 'first' });
});

test('Object.prototype with an enumerable property: only own properties travel', (t) => {
  Object.prototype.injected = 1;
  try {
    const r = roundTrip({ a: 1 });
    t.deepEqual(Object.keys(r), ['a']);
  } finally {
    delete Object.prototype.injected;
  }
});

test('decode reads a binary message from any view: ArrayBuffer, offset Uint8Array, DataView', (t) => {
  const msg = bytesOf({ a: [1.5, 'two'] });
  const big = new Uint8Array(msg.length + 13);
  big.set(msg, 13);
  const view = big.subarray(13);
  t.deepEqual(decode(view), { a: [1.5, 'two'] });
  t.deepEqual(decode(new DataView(big.buffer, 13, msg.length)), { a: [1.5, 'two'] });
  t.deepEqual(decode(view.slice().buffer), { a: [1.5, 'two'] });
});

// ---------------------------------------------------------------- hostile binary messages

test('a "__proto__" key in a binary message is refused and sets no prototype', (t) => {
  const body = [9, ...u32(1), ...key('__proto__'), 9, ...u32(1), ...key('polluted'), 3];
  const err = t.throws(() => decode(binaryMessage(body)), { instanceOf: DecodeError });
  t.regex(err.message, /__proto__/);
  assertNoPollution(t);
  const nested = [8, ...u32(1), ...body];
  t.throws(() => decode(binaryMessage(nested)), { instanceOf: DecodeError });
  assertNoPollution(t);
  // "constructor" and "prototype" become plain own data
  const r = decode(
    binaryMessage([
      9,
      ...u32(2),
      ...key('constructor'),
      9,
      ...u32(1),
      ...key('prototype'),
      9,
      ...u32(1),
      ...key('polluted'),
      3,
      ...key('prototype'),
      1,
    ]),
  );
  t.is(Object.getPrototypeOf(r), Object.prototype);
  t.deepEqual(r.constructor, { prototype: { polluted: true } });
  assertNoPollution(t);
});

test('malformed binary messages are DecodeErrors, never crashes or huge allocations', (t) => {
  const bad = {
    'empty body': [],
    'unknown tag': [99],
    'tag 10 (unassigned)': [10],
    'truncated int32': [4, 1, 2],
    'truncated float64': [5, 0, 0, 0, 0],
    'string longer than the message': [6, ...u32(1000), 0x61],
    'array length beyond the message': [8, ...u32(0xffffffff)],
    'object count beyond the message': [9, ...u32(0x7fffffff), 0],
    'key longer than the message': [9, ...u32(1), ...u32(500), 0x61],
    'bytes after the value': [1, 1],
    'bigint with bad text': [11, ...u32(3), 0x31, 0x2e, 0x35],
    'bigint with no digits': [11, ...u32(0)],
    'nesting bomb': [...Array.from({ length: 100_000 }, () => [8, ...u32(1)]).flat(), 1],
  };
  for (const [name, body] of Object.entries(bad)) {
    t.throws(() => decode(binaryMessage(body)), { instanceOf: DecodeError }, name);
  }
  const withBuffers = binaryMessage([1]);
  withBuffers.writeUInt32LE(1, 8);
  t.throws(() => decode(withBuffers), { instanceOf: DecodeError });
  const large = binaryMessage([1]);
  large[1] = 3; // a large-message header is never a value by itself
  t.throws(() => decode(large), { instanceOf: DecodeError, message: /large-message header, not a value/ });
  const unknown = binaryMessage([1]);
  unknown[1] = 5;
  t.throws(() => decode(unknown), { instanceOf: DecodeError, message: /unknown format 5/ });
});

test('many distinct short keys and strings (more than the decoder caches) come back exactly', (t) => {
  const v = {};
  for (let i = 0; i < 5000; i++) v[`k${i}`] = `v${i % 777}-${i}`;
  for (let round = 0; round < 2; round++) {
    const r = roundTrip(v);
    t.deepEqual(Object.keys(r), Object.keys(v));
    t.true(Object.keys(v).every((k) => r[k] === v[k]));
  }
  // same length and similar bytes, one after the other
  t.deepEqual(roundTrip(['ab', 'ba', 'ab', 'aB', 'a\u0000b', 'a\u0000c']), [
    'ab',
    'ba',
    'ab',
    'aB',
    'a\u0000b',
    'a\u0000c',
  ]);
});
