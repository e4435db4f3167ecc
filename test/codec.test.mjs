// The value codec (src/mpi/codec): pure TypeScript, no MPI involved.
// Compile first: npx tsc -p tsconfig.json
import test from 'ava';
import {
  encode,
  decode,
  concatEncoded,
  messageFormat,
  EncodeError,
  DecodeError,
  registerClass,
  registerExtension,
} from '../dist/mpi/codec/index.js';

// ---------------------------------------------------------------- helpers

const roundTrip = (value, options) => decode(concatEncoded(encode(value)), options);
const formatOf = (value) => messageFormat(concatEncoded(encode(value)));
const align8 = (n) => n + ((8 - (n % 8)) % 8);

/** The buffer descriptors of a message: [{kind, offset, length}]. */
function descriptors(msg) {
  const b = Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength);
  const out = [];
  for (let i = 0; i < b.readUInt32LE(8); i++) {
    const at = 16 + 24 * i;
    out.push({ kind: b[at], offset: b.readDoubleLE(at + 8), length: b.readDoubleLE(at + 16) });
  }
  return out;
}

/** Builds a message by hand, following the wire format (wire-format.ts). */
function craft({ format = 1, json = '', buffers = [], magic = 0xb1 } = {}) {
  const text = Buffer.from(json, 'utf8');
  const start = 16 + 24 * buffers.length;
  let at = start + text.length;
  const offsets = buffers.map((b) => {
    const off = align8(at);
    at = off + b.bytes.length;
    return off;
  });
  const m = Buffer.alloc(at);
  m[0] = magic;
  m[1] = format;
  m.writeUInt32LE(text.length, 4);
  m.writeUInt32LE(buffers.length, 8);
  buffers.forEach((b, i) => {
    const d = 16 + 24 * i;
    m[d] = b.kind;
    m.writeDoubleLE(offsets[i], d + 8);
    m.writeDoubleLE(b.bytes.length, d + 16);
    m.set(b.bytes, offsets[i]);
  });
  text.copy(m, start);
  return m;
}
const craftSj = (json, meta, buffers) =>
  craft({ format: 1, json: JSON.stringify(meta ? { json, meta } : { json }), buffers });

function assertNoPollution(t) {
  t.is({}.polluted, undefined);
  t.is([].polluted, undefined);
  t.is(Object.prototype.polluted, undefined);
  t.is(Object.getOwnPropertyNames(Object.prototype).includes('polluted'), false);
  t.is(Object.getOwnPropertyNames(Array.prototype).includes('polluted'), false);
  t.is(Object.getOwnPropertyNames(Function.prototype).includes('polluted'), false);
  t.is(Object.getOwnPropertyNames(Error.prototype).includes('polluted'), false);
}

function throwsEncode(t, fn, path, messagePart) {
  const err = t.throws(fn, { instanceOf: EncodeError });
  t.true(err instanceof TypeError);
  t.is(err.name, 'EncodeError');
  t.is(err.path, path);
  t.true(err.message.includes(path), err.message);
  if (messagePart !== undefined) t.true(err.message.includes(messagePart), err.message);
  return err;
}

// Registrations (global to this process, as on every rank).
class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
  norm() {
    return Math.hypot(this.x, this.y);
  }
}
registerClass(Point);
class TreeNode {
  constructor(name) {
    this.name = name;
    this.parent = null;
    this.children = [];
  }
}
registerClass(TreeNode, 'test.TreeNode');
class AppError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}
AppError.prototype.name = 'AppError';
registerClass(AppError);

class Handle {
  constructor(id) {
    this.id = id;
  }
}
registerExtension({
  name: 'test-handle',
  isApplicable: (v) => v instanceof Handle,
  serialize: (h) => h.id,
  deserialize: (id) => new Handle(id),
});

const extFunctions = new Map();
const extPaths = [];
function extDouble(x) {
  return 2 * x;
}
function extSquare(x) {
  return x * x;
}
function extForbidden() {}
for (const f of [extDouble, extSquare, extForbidden]) extFunctions.set(f.name, f);
registerExtension({
  name: 'test-functions',
  isApplicable: (v) => typeof v === 'function' && extFunctions.has(v.name),
  serialize(f, path) {
    if (f === extForbidden) throw new EncodeError(path, 'this function may not travel');
    extPaths.push(path);
    return f.name;
  },
  deserialize: (name) => extFunctions.get(name),
});

const nested = Symbol('nested');
registerExtension({
  name: 'test-nested',
  isApplicable: (v) => v === nested,
  // encodes and decodes from inside the codec: the codec must be re-entrant
  serialize: () =>
    concatEncoded(encode({ inner: new Date(5), buf: new Float64Array([1.5]) }, { reuse: true })).toString('base64'),
  deserialize: (s) => decode(Buffer.from(s, 'base64')),
});

// ---------------------------------------------------------------- fast path

const plainValues = [
  { a: 7, b: 3.14, c: [1, 2, 3] },
  'just a string',
  42,
  0,
  -1.5,
  1e300,
  true,
  false,
  null,
  [],
  {},
  { s: 'héllo wörld ✓ 😀', ctl: 'a\u0001b\n"q"\\', empty: '' },
  { deep: { deeper: { deepest: [[[{ x: [1, { y: 'z' }] }]]] } } },
  { '': 1, 'a b': 2, 'x.y': 3, 10: 'ten', ünï: 4 },
  { text: '__proto__', list: ['constructor', '\\u0041'] },
];

test('plain values take the binary fast path and round-trip', (t) => {
  for (const v of plainValues) {
    const msg = concatEncoded(encode(v));
    t.is(messageFormat(msg), 'binary', JSON.stringify(v));
    t.deepEqual(decode(msg), v);
  }
});

test('a large plain value (beyond the quick JSON check) still takes the binary fast path', (t) => {
  const v = { rows: Array.from({ length: 500 }, (_, i) => ({ i, name: `row${i}`, tags: ['a', 'b'] })) };
  t.is(formatOf(v), 'binary');
  t.deepEqual(roundTrip(v), v);
});

test('the binary message is one tagged value behind a 16-byte header', (t) => {
  const e = encode({ a: 7, s: 'hé' });
  t.is(e.parts.length, 1);
  const msg = Buffer.from(concatEncoded(e));
  const body = Buffer.from([
    9,
    2,
    0,
    0,
    0, // object, 2 properties
    1,
    0,
    0,
    0,
    0x61,
    4,
    7,
    0,
    0,
    0, // "a": int32 7
    1,
    0,
    0,
    0,
    0x73,
    7,
    3,
    0,
    0,
    0,
    0x68,
    0xc3,
    0xa9, // "s": UTF-8 "hé"
  ]);
  t.deepEqual([...msg.subarray(0, 16)], [0xb1, 4, 0, 0, body.length, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  t.deepEqual(msg.subarray(16), body);
});

test('plain JSON the binary path declines (lone surrogates) is JSON text behind a 16-byte header', (t) => {
  const v = { lone: '\ud800x', low: ['\udc00'], ok: 'é' };
  const msg = concatEncoded(encode(v));
  t.is(messageFormat(msg), 'json');
  t.is(msg[1], 0);
  t.is(msg.length, 16 + Buffer.byteLength(JSON.stringify(v)));
  t.is(Buffer.from(msg).toString('utf8', 16), JSON.stringify(v));
  t.deepEqual(decode(msg), v);
});

const binaryBeyondJson = {
  'undefined at top level': undefined,
  'undefined property': { a: undefined },
  'undefined element': [1, undefined],
  NaN: { n: NaN },
  Infinity: [Infinity],
  '-Infinity': -Infinity,
  '-0': { z: -0 },
  bigint: { b: 1n },
};

test('undefined, NaN, +-Infinity, -0 and bigints take the binary path too', (t) => {
  for (const [name, v] of Object.entries(binaryBeyondJson)) {
    t.is(formatOf(v), 'binary', name);
    t.deepEqual(roundTrip(v), v, name);
  }
});

const notPlain = {
  Date: { d: new Date(0) },
  RegExp: /x/g,
  Map: new Map(),
  Set: new Set(),
  Error: new Error('e'),
  URL: new URL('https://example.org/'),
  'typed array inside': { f: new Float64Array(1) },
  'null-prototype object': Object.create(null),
  'registered class': new Point(1, 2),
  'extension value': { h: new Handle(3) },
  'shared reference': (() => {
    const s = { k: 1 };
    return { a: s, b: s };
  })(),
  'circular reference': (() => {
    const o = { k: 1 };
    o.self = o;
    return o;
  })(),
  'bigint beside a Date': { b: 1n, d: new Date(1) },
};

test('everything else does not take the fast path', (t) => {
  for (const [name, v] of Object.entries(notPlain)) t.is(formatOf(v), 'superjson', name);
  t.is(formatOf(new Float64Array(2)), 'buffer');
  t.is(formatOf(Buffer.from('x')), 'buffer');
});

// ---------------------------------------------------------------- value kinds

test('primitives beyond JSON round-trip', (t) => {
  const r = roundTrip({
    u: undefined,
    n: NaN,
    pi: Infinity,
    ni: -Infinity,
    z: -0,
    b: -12345678901234567890n,
    arr: [undefined, -0, NaN],
  });
  t.true('u' in r);
  t.is(r.u, undefined);
  t.true(Number.isNaN(r.n));
  t.is(r.pi, Infinity);
  t.is(r.ni, -Infinity);
  t.true(Object.is(r.z, -0));
  t.is(r.b, -12345678901234567890n);
  t.is(r.arr.length, 3);
  t.is(r.arr[0], undefined);
  t.true(Object.is(r.arr[1], -0));
  t.true(Number.isNaN(r.arr[2]));
  t.is(roundTrip(undefined), undefined);
  t.true(Object.is(roundTrip(-0), -0));
  t.true(Number.isNaN(roundTrip(NaN)));
  t.is(roundTrip(7n), 7n);
});

test('Date, RegExp, URL, Map and Set round-trip with their class', (t) => {
  const key = { k: 'object key' };
  const v = {
    d: new Date(Date.UTC(2020, 1, 29, 12, 0, 0, 123)),
    bad: new Date(NaN),
    re: /a+(b)?\/c/gimsu,
    url: new URL('https://user@example.org:8080/p/a?q=1#frag'),
    m: new Map([
      ['s', 1],
      [2, 'two'],
      [key, new Date(0)],
      [undefined, null],
    ]),
    s: new Set([1, 'x', key, new Set([2])]),
  };
  const r = roundTrip(v);
  t.true(r.d instanceof Date);
  t.is(r.d.getTime(), v.d.getTime());
  t.true(r.bad instanceof Date);
  t.true(Number.isNaN(r.bad.getTime()));
  t.true(r.re instanceof RegExp);
  t.is(r.re.source, v.re.source);
  t.is(r.re.flags, v.re.flags);
  t.true(r.url instanceof URL);
  t.is(r.url.href, v.url.href);
  t.true(r.m instanceof Map);
  t.deepEqual([...r.m.keys()].slice(0, 2), ['s', 2]);
  t.deepEqual(r.m, v.m);
  t.true(r.s instanceof Set);
  t.deepEqual(r.s, v.s);
  t.is([...r.m.keys()][2], [...r.s][2], 'the shared object key is one object');
});

test('null-prototype objects keep their null prototype; plain objects get Object.prototype', (t) => {
  const o = Object.assign(Object.create(null), {
    a: 1,
    d: new Date(3),
    nested: Object.assign(Object.create(null), { b: 2 }),
  });
  const r = roundTrip({ o });
  t.is(Object.getPrototypeOf(r.o), null);
  t.is(Object.getPrototypeOf(r.o.nested), null);
  t.is(r.o.a, 1);
  t.is(r.o.d.getTime(), 3);
  t.is(Object.getPrototypeOf(r), Object.prototype);
});

test('sparse array holes arrive as undefined', (t) => {
  const r = roundTrip([1, , 3, , new Date(1)]); // eslint-disable-line no-sparse-arrays
  t.is(r.length, 5);
  t.is(r[1], undefined);
  t.is(r[3], undefined);
  t.is(r[2], 3);
  t.is(r[4].getTime(), 1);
});

test('Errors keep class, name, message, stack, cause and own properties', (t) => {
  for (const Cls of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]) {
    const e = new Cls(`a ${Cls.name}`, { cause: { why: new Date(7) } });
    e.code = 'E_CODE';
    const r = roundTrip({ e }).e;
    t.is(Object.getPrototypeOf(r), Cls.prototype, Cls.name);
    t.true(r instanceof Error);
    t.is(Object.prototype.toString.call(r), '[object Error]');
    t.is(r.name, Cls.name);
    t.is(r.message, e.message);
    t.is(r.stack, e.stack);
    t.is(r.cause.why.getTime(), 7);
    t.is(r.code, 'E_CODE');
  }
  const agg = new AggregateError([new TypeError('one'), new RangeError('two')], 'many');
  const r = roundTrip(agg);
  t.true(r instanceof AggregateError);
  t.is(r.message, 'many');
  t.true(r.errors[0] instanceof TypeError);
  t.is(r.errors[1].message, 'two');
  t.true(r.errors[1] instanceof RangeError);
});

test('registered Error classes keep their class; unregistered subclasses keep the nearest built-in class and their name', (t) => {
  const r = roundTrip(new AppError('app failed', 42));
  t.true(r instanceof AppError);
  t.true(r instanceof Error);
  t.is(r.name, 'AppError');
  t.is(r.message, 'app failed');
  t.is(r.code, 42);
  t.true(r.stack.includes('app failed'));
  class LocalError extends RangeError {}
  LocalError.prototype.name = 'LocalError';
  const l = roundTrip(new LocalError('local'));
  t.is(Object.getPrototypeOf(l), RangeError.prototype);
  t.is(l.name, 'LocalError');
  t.is(l.message, 'local');
});

test('registered classes keep their class and nested values', (t) => {
  const p = new Point(3, 4);
  p.when = new Date(9);
  p.tags = new Set(['a']);
  const r = roundTrip({ list: [p], m: new Map([['p', new Point(1, 1)]]) });
  t.true(r.list[0] instanceof Point);
  t.is(r.list[0].norm(), 5);
  t.is(r.list[0].when.getTime(), 9);
  t.deepEqual(r.list[0].tags, new Set(['a']));
  t.true(r.m.get('p') instanceof Point);
  const top = roundTrip(new Point(6, 8));
  t.true(top instanceof Point);
  t.is(top.norm(), 10);
});

test('registerClass: same name and class is a no-op, a clash is an Error, slotted built-ins are refused', (t) => {
  t.notThrows(() => registerClass(Point));
  t.notThrows(() => registerClass(Point, 'Point'));
  t.notThrows(() => registerClass(TypeError));
  class Other {}
  t.throws(() => registerClass(Other, 'Point'), { instanceOf: Error, message: /already registered/ });
  t.throws(() => registerClass(Point, 'AnotherName'), { message: /already registered/ });
  class MyMap extends Map {}
  t.throws(() => registerClass(MyMap), { message: /Map/ });
  t.throws(() => registerClass(class extends Float64Array {}, 'F'), { message: /TypedArray/ });
  t.throws(() => registerClass(class {}, ''), { instanceOf: TypeError });
});

test('extensions carry values the codec does not know, with their path', (t) => {
  extPaths.length = 0;
  const h = new Handle(12);
  const r = roundTrip(
    { h, again: h, list: [new Handle(13)], fns: { extDouble, map: new Map([['sq', extSquare]]) } },
    undefined,
  );
  t.true(r.h instanceof Handle);
  t.is(r.h.id, 12);
  t.is(r.again, r.h, 'a shared extension value arrives as one object');
  t.is(r.list[0].id, 13);
  t.is(r.fns.extDouble, extDouble);
  t.is(r.fns.map.get('sq')(3), 9);
  t.deepEqual(extPaths, ['value.fns.extDouble', 'value.fns.map<Map>.get("sq")']);
  t.true(roundTrip(new Handle(1)) instanceof Handle);
  t.throws(
    () =>
      registerExtension({ name: 'test-handle', isApplicable: () => false, serialize: () => 0, deserialize: () => 0 }),
    { message: /already registered/ },
  );
});

test('the codec is re-entrant: an extension may encode and decode', (t) => {
  const r = roundTrip({ a: nested, d: new Date(1) });
  t.is(r.a.inner.getTime(), 5);
  t.deepEqual(r.a.buf, new Float64Array([1.5]));
  t.is(r.d.getTime(), 1);
});

// ---------------------------------------------------------------- references

test('shared references arrive as one object', (t) => {
  const s = { k: 1 };
  const arr = [1, 2];
  const d = new Date(4);
  const r = roundTrip({
    a: s,
    b: [s, arr],
    c: new Map([
      ['x', s],
      ['y', arr],
    ]),
    e: new Set([arr]),
    d1: d,
    d2: d,
    p: new Point(s, s),
  });
  t.is(r.a, r.b[0]);
  t.is(r.a, r.c.get('x'));
  t.is(r.b[1], r.c.get('y'));
  t.is([...r.e][0], r.b[1]);
  t.is(r.d1, r.d2);
  t.is(r.p.x, r.a);
  t.is(r.p.y, r.a);
  t.deepEqual(r.a, { k: 1 });
});

test('circular references are rebuilt', (t) => {
  const o = { name: 'o' };
  o.self = o;
  o.list = [o, { back: o }];
  let r = roundTrip(o);
  t.is(r.self, r);
  t.is(r.list[0], r);
  t.is(r.list[1].back, r);

  const a = [];
  a.push(a, { a });
  r = roundTrip(a);
  t.is(r[0], r);
  t.is(r[1].a, r);

  const m = new Map();
  m.set('self', m);
  m.set(m, 'key is the map');
  r = roundTrip({ m });
  t.is(r.m.get('self'), r.m);
  t.is(r.m.get(r.m), 'key is the map');

  const s = new Set();
  s.add(s);
  r = roundTrip(s);
  t.is([...r][0], r);
});

test('cycles through registered class instances, Errors and null-prototype objects', (t) => {
  const root = new TreeNode('root');
  for (const n of ['a', 'b']) {
    const c = new TreeNode(n);
    c.parent = root;
    root.children.push(c);
  }
  let r = roundTrip(root);
  t.true(r instanceof TreeNode);
  t.is(r.children.length, 2);
  t.is(r.children[0].parent, r);
  t.is(r.children[1].parent, r);
  t.true(r.children[1] instanceof TreeNode);

  const e = new Error('loop');
  e.cause = e;
  e.owner = { e };
  r = roundTrip({ e });
  t.is(r.e.cause, r.e);
  t.is(r.e.owner.e, r.e);

  const n = Object.create(null);
  n.me = n;
  r = roundTrip(n);
  t.is(r.me, r);
  t.is(Object.getPrototypeOf(r), null);
});

test('references are replayed shortest path first, whatever the key order', (t) => {
  // superjson's own replay handles integer-like keys first and gets this wrong
  const leaf = { leaf: true };
  const holder = { leaf };
  const r = roundTrip({ 0: leaf, a: { w: holder }, b: holder });
  t.is(r.b, r.a.w);
  t.is(r.b.leaf, r[0]);
});

test('shared Map keys and Set members keep their order', (t) => {
  const k1 = { n: 1 };
  const k2 = { n: 2 };
  const r = roundTrip({
    a: k1,
    b: k2,
    m: new Map([
      [k1, 'one'],
      [k2, 'two'],
      ['k3', 'three'],
    ]),
    s: new Set([k2, 'x', k1]),
  });
  t.deepEqual([...r.m.values()], ['one', 'two', 'three']);
  t.is(r.m.get(r.a), 'one');
  t.is(r.m.get(r.b), 'two');
  t.deepEqual([...r.s], [r.b, 'x', r.a]);
});

test('many objects with a late shared reference', (t) => {
  const items = Array.from({ length: 100 }, (_, i) => ({ i }));
  const v = { items, last: items[0] };
  const r = roundTrip(v);
  t.is(r.last, r.items[0]);
  t.is(r.items[99].i, 99);
});

// ---------------------------------------------------------------- buffers

const sab = new SharedArrayBuffer(5);
new Uint8Array(sab).set([5, 4, 3, 2, 1]);
const bufferSamples = () => [
  new Int8Array([-1, 2, -128]),
  new Uint8Array([1, 2, 255]),
  new Uint8ClampedArray([0, 128, 255]),
  new Int16Array([-3, 300]),
  new Uint16Array([65535, 1]),
  new Int32Array([-5, 1 << 30]),
  new Uint32Array([2 ** 32 - 1]),
  new Float32Array([1.5, -2.25, 3]),
  new Float64Array([Math.PI, -0, NaN, 1e-300]),
  new BigInt64Array([-5n, 2n ** 62n]),
  new BigUint64Array([2n ** 64n - 1n]),
  Buffer.from('héllo'),
  new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2),
  new Uint8Array([1, 2, 3]).buffer,
  sab,
];
const bytesOf = (v) =>
  v instanceof ArrayBuffer || v instanceof SharedArrayBuffer
    ? new Uint8Array(v)
    : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

function sameBuffer(t, got, want, label) {
  t.is(Object.getPrototypeOf(got), Object.getPrototypeOf(want), `${label}: same type`);
  t.deepEqual([...bytesOf(got)], [...bytesOf(want)], `${label}: same bytes`);
  if (ArrayBuffer.isView(got) && !(got instanceof DataView)) {
    t.is(got.byteOffset % got.BYTES_PER_ELEMENT, 0, `${label}: aligned`);
  }
}

test('every buffer kind round-trips as the same type, anywhere in the value', (t) => {
  for (const b of bufferSamples()) {
    const name = Object.prototype.toString.call(b);
    sameBuffer(t, roundTrip(b), b, `${name} top level`);
    const r = roundTrip({ o: { deep: [b] }, m: new Map([['v', b]]), mk: new Map([[b, 1]]), s: new Set([b]) });
    sameBuffer(t, r.o.deep[0], b, `${name} nested`);
    sameBuffer(t, r.m.get('v'), b, `${name} Map value`);
    sameBuffer(t, [...r.mk.keys()][0], b, `${name} Map key`);
    sameBuffer(t, [...r.s][0], b, `${name} Set member`);
    t.is(r.m.get('v'), r.o.deep[0], `${name} shared`);
  }
  t.true(Buffer.isBuffer(roundTrip({ b: Buffer.from('x') }).b));
  t.false(Buffer.isBuffer(roundTrip({ b: new Uint8Array(1) }).b));
});

test('buffers travel out of band at 8-aligned offsets, not as JSON numbers', (t) => {
  const v = {
    a: new Uint8Array([1, 2, 3]),
    b: new Float64Array([1.25, 2.5]),
    c: Buffer.from('zz'),
    d: new BigInt64Array([3n]),
  };
  const msg = concatEncoded(encode(v));
  const ds = descriptors(msg);
  t.is(ds.length, 4);
  for (const d of ds) t.is(d.offset % 8, 0);
  t.deepEqual(
    ds.map((d) => d.kind),
    [2, 9, 12, 10],
  );
  t.deepEqual(
    ds.map((d) => d.length),
    [3, 16, 2, 8],
  );
  const jsonText = Buffer.from(msg).toString('utf8', 16 + 24 * 4, ds[0].offset);
  t.false(jsonText.includes('1.25'));
  t.deepEqual([...msg.subarray(ds[1].offset, ds[1].offset + 16)], [...new Uint8Array(v.b.buffer)]);
});

test('encode does not copy buffers: parts are views of the original memory', (t) => {
  const big = new Float64Array(2 * 1024 * 1024); // 16 MiB
  big[0] = 1;
  const e = encode({ big, note: 'x' });
  const part = e.parts.find((p) => p.byteLength === big.byteLength);
  t.truthy(part);
  t.is(part.buffer, big.buffer);
  t.is(part.byteOffset, big.byteOffset);
  t.true(e.byteLength > big.byteLength && e.byteLength < big.byteLength + 1024);
  big[1] = 42; // visible through the part: same memory
  const r = decode(concatEncoded(e));
  t.is(r.big[1], 42);
  t.is(r.big.length, big.length);
  const top = encode(big);
  t.true(top.parts.some((p) => p.buffer === big.buffer && p.byteLength === big.byteLength));
});

test('a subarray sends only its own bytes', (t) => {
  const whole = new Float64Array(1000).map((_, i) => i);
  const sub = whole.subarray(10, 20);
  const e = encode({ sub });
  t.true(e.byteLength < 80 + 200);
  const part = e.parts.find((p) => p.byteLength === 80);
  t.is(part.buffer, whole.buffer);
  t.is(part.byteOffset, 80);
  const r = roundTrip({ sub });
  t.is(r.sub.length, 10);
  t.deepEqual([...r.sub], [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  const sliced = roundTrip(Buffer.from('hello world').subarray(6));
  t.is(sliced.toString(), 'world');
});

test('decode makes views over the message unless copyBuffers; ArrayBuffer is always a copy', (t) => {
  const msg = concatEncoded(
    encode({
      f: new Float64Array([1, 2]),
      b: Buffer.from('ab'),
      dv: new DataView(new ArrayBuffer(4)),
      ab: new ArrayBuffer(8),
    }),
  );
  const r = decode(msg);
  t.is(r.f.buffer, msg.buffer);
  t.is(r.b.buffer, msg.buffer);
  t.is(r.dv.buffer, msg.buffer);
  t.true(r.ab instanceof ArrayBuffer);
  t.not(r.ab, msg.buffer);
  t.is(r.ab.byteLength, 8);
  msg[descriptors(msg)[0].offset] ^= 0xff; // the view sees the message memory
  t.not(r.f[0], 1);
  const c = decode(concatEncoded(encode({ f: new Float64Array([1, 2]), b: Buffer.from('ab') })), { copyBuffers: true });
  t.deepEqual([...c.f], [1, 2]);
  t.true(Buffer.isBuffer(c.b));
  t.is(c.b.toString(), 'ab');
  const again = concatEncoded(encode({ f: new Float64Array([3]) }));
  t.not(decode(again, { copyBuffers: true }).f.buffer, again.buffer);
});

test('a message at an unaligned address still decodes (typed arrays are copied then)', (t) => {
  const msg = concatEncoded(encode({ f: new Float64Array([1.5, -2]), u: new Uint8Array([7]) }));
  const shifted = new Uint8Array(new ArrayBuffer(msg.length + 1), 1, msg.length);
  shifted.set(msg);
  const r = decode(shifted);
  t.deepEqual([...r.f], [1.5, -2]);
  t.is(r.f.byteOffset % 8, 0);
  t.is(r.u.buffer, shifted.buffer, 'bytes need no alignment: still a view');
  t.deepEqual(decode(shifted.buffer.slice(1)), r);
});

test('decode accepts Buffer, Uint8Array at an offset, DataView and ArrayBuffer', (t) => {
  const v = { a: [1, 'x'], d: new Date(2) };
  const msg = concatEncoded(encode(v));
  const holder = new Uint8Array(msg.length + 16);
  holder.set(msg, 8);
  t.deepEqual(decode(msg), v);
  t.deepEqual(decode(holder.subarray(8, 8 + msg.length)), v);
  t.deepEqual(decode(new DataView(holder.buffer, 8, msg.length)), v);
  t.deepEqual(decode(msg.buffer.slice(msg.byteOffset, msg.byteOffset + msg.length)), v);
});

test('messages over 2 GiB (through a buffer) encode and decode', (t) => {
  const big = new Uint8Array(2.5 * 2 ** 30); // untouched pages: cheap
  big[big.length - 1] = 7;
  const e = encode({ big, tag: 'large' });
  t.true(e.byteLength > 2 ** 31);
  t.true(e.parts.some((p) => p.buffer === big.buffer && p.byteLength === big.length));
  const msg = new Uint8Array(e.byteLength);
  msg.set(e.parts[0], 0);
  msg[e.byteLength - 1] = 7;
  t.deepEqual(descriptors(msg)[0].length, big.length);
  const r = decode(msg);
  t.is(r.tag, 'large');
  t.is(r.big.length, big.length);
  t.is(r.big[r.big.length - 1], 7);
  t.is(r.big.buffer, msg.buffer);
});

test('reuse: the scratch part is valid until the next encode with reuse; other encodes are unaffected', (t) => {
  const kept = encode({ kept: true, d: new Date(3) });
  const e1 = encode({ first: 1 }, { reuse: true });
  t.deepEqual(decode(e1.parts[0]), { first: 1 });
  const e2 = encode({ second: 'a longer value', list: [1, 2, 3], f: new Float32Array([2]) }, { reuse: true });
  const r2 = decode(concatEncoded(e2));
  t.is(r2.second, 'a longer value');
  t.deepEqual([...r2.f], [2]);
  t.deepEqual(decode(concatEncoded(kept)), { kept: true, d: new Date(3) });
  const huge = 'x'.repeat(3 * 1024 * 1024);
  t.is(decode(concatEncoded(encode({ huge }, { reuse: true }))).huge, huge);
});

// ---------------------------------------------------------------- errors on the sender

test('unserializable values throw EncodeError naming their path', (t) => {
  throwsEncode(t, () => encode([1, { onDone() {} }], { root: 'args' }), 'args[1].onDone', 'function onDone');
  throwsEncode(t, () => encode({ s: Symbol('sym') }), 'value.s', 'Symbol(sym)');
  throwsEncode(t, () => encode(Symbol('top')), 'value');
  throwsEncode(t, () => encode({ w: new WeakMap() }), 'value.w', 'WeakMap');
  throwsEncode(t, () => encode({ w: [new WeakSet()] }), 'value.w[0]', 'WeakSet');
  throwsEncode(t, () => encode({ r: new WeakRef({}) }), 'value.r', 'WeakRef');
  throwsEncode(t, () => encode({ p: Promise.resolve(1) }), 'value.p', 'Promise');
  class Unregistered {}
  throwsEncode(t, () => encode({ 'odd key': new Unregistered() }), 'value["odd key"]', 'registerClass(Unregistered)');
  throwsEncode(
    t,
    () => encode({ m: new Map([['close', () => 1]]) }),
    'value.m<Map>.get("close")',
    'anonymous function',
  );
  throwsEncode(
    t,
    () =>
      encode({
        m: new Map([
          [1, 'a'],
          [Symbol.iterator, 'b'],
        ]),
      }),
    'value.m<Map>[1].key',
  );
  throwsEncode(t, () => encode({ m: new Map([[{}, Promise.resolve()]]) }), 'value.m<Map>[0].value');
  throwsEncode(t, () => encode({ s: new Set([1, 2, new WeakMap()]) }), 'value.s<Set>[2]');
  throwsEncode(t, () => encode({ e: new Error('x', { cause: { f: Math.max } }) }), 'value.e.cause.f', 'function max');
  throwsEncode(t, () => encode({ p: new Point(1, Symbol('y')) }), 'value.p.y');
  throwsEncode(t, () => encode({ n: new Number(1) }), 'value.n', 'boxed Number');
  throwsEncode(t, () => encode({ mm: new (class MyMap extends Map {})() }), 'value.mm', 'subclass of Map');
  throwsEncode(t, () => encode({ a: { b: [0, 0, extForbidden] } }), 'value.a.b[2]', 'may not travel');
});

test('a "__proto__" key is refused; "constructor"/"prototype" keys only travel in plain values', (t) => {
  throwsEncode(t, () => encode({ a: JSON.parse('{"__proto__": {"x": 1}}') }), 'value.a.__proto__', '__proto__');
  const plain = { constructor: 'c', prototype: { x: 1 } };
  t.is(formatOf(plain), 'binary');
  const r = roundTrip(plain);
  t.is(r.constructor, 'c');
  t.deepEqual(r.prototype, { x: 1 });
  t.is(Object.getPrototypeOf(r), Object.prototype);
  throwsEncode(t, () => encode({ obj: { constructor: 'c' }, d: new Date(0) }), 'value.obj.constructor', 'superjson');
});

test('a getter that fails when superjson reads it becomes an EncodeError', (t) => {
  let reads = 0;
  const p = new Point(1, 2);
  Object.defineProperty(p, 'flaky', {
    enumerable: true,
    get() {
      if (++reads > 1) throw new Error('second read');
      return 1;
    },
  });
  const err = throwsEncode(t, () => encode({ p }), 'value', 'second read');
  t.truthy(err.cause);
});

test('a value nested too deeply is an EncodeError', (t) => {
  let deep = [];
  for (let i = 0; i < 200000; i++) deep = [deep];
  throwsEncode(t, () => encode(deep), 'value', 'nested too deeply');
});

// ---------------------------------------------------------------- hostile messages

test('fast path: "__proto__" keys are refused and prototypes stay clean', (t) => {
  for (const json of [
    '{"__proto__": {"polluted": 1}}',
    '{"a": [{"__proto__": {"polluted": 1}}]}',
    '{"\\u005f_proto__": {"polluted": 1}}',
    '{"a": {"__pro\\u0074o__": {"polluted": 1}}}',
  ]) {
    t.throws(() => decode(craft({ format: 0, json })), { instanceOf: DecodeError }, json);
  }
  const r = decode(
    craft({
      format: 0,
      json: '{"constructor": {"prototype": {"polluted": 1}}, "prototype": {"polluted": 1}, "s": "__proto__"}',
    }),
  );
  t.is(Object.getPrototypeOf(r), Object.prototype);
  t.deepEqual(r.constructor, { prototype: { polluted: 1 } });
  t.is(r.s, '__proto__');
  assertNoPollution(t);
});

test('superjson path: crafted payloads cannot set __proto__ or pollute prototypes', (t) => {
  const attacks = [
    // JSON keys
    [{ __x__: 1 }, { values: [['class', 'Point']], v: 1 }, '__x__', '__proto__'],
    [{ a: { __x__: { polluted: 1 } } }, { values: { a: [['custom', 'nullproto']] }, v: 1 }, '__x__', '__proto__'],
    [
      { name: 'E', message: 'm', __x__: { polluted: 1 } },
      { values: [['custom', 'Error']], v: 1 },
      '__x__',
      '__proto__',
    ],
    // annotation paths
    [{ a: 1 }, { values: { '__proto__.polluted': ['undefined'] }, v: 1 }],
    [{ a: 1 }, { values: { 'constructor.prototype.polluted': ['undefined'] }, v: 1 }],
    [{ a: [] }, { values: { 'a.constructor.prototype.polluted': ['bigint'] }, v: 1 }],
    // annotation types we never write
    [{ a: [1] }, { values: { a: [['typed-array', 'constructor']] }, v: 1 }],
    [{ a: [1] }, { values: { a: [['typed-array', '__proto__']] }, v: 1 }],
    [{ a: {} }, { values: { a: [['class', 'constructor']] }, v: 1 }],
    [{ a: {} }, { values: { a: [['class', '__proto__']] }, v: 1 }],
    [{ a: 1 }, { values: { a: [['custom', 'constructor']] }, v: 1 }],
    [{ a: 1 }, { values: { a: [['symbol', 'x']] }, v: 1 }],
    [{ a: 1 }, { values: { a: ['Error'] }, v: 1 }],
    // reference paths
    [{ a: {} }, { referentialEqualities: { a: ['constructor.prototype'] }, v: 1 }],
    [{ a: {} }, { referentialEqualities: { a: ['b.__proto__'] }, v: 1 }],
    [{ a: { polluted: 1 } }, { referentialEqualities: [['__proto__']], v: 1 }],
    [{ a: { polluted: 1 } }, { referentialEqualities: { a: ['toString.prototype'] }, v: 1 }],
    [{ a: { polluted: 1 } }, { referentialEqualities: { a: ['hasOwnProperty.polluted'] }, v: 1 }],
    // unknown version
    [{ a: 1 }, { values: { a: ['undefined'] }, v: 0 }],
  ];
  for (const [json, meta, from, to] of attacks) {
    let text = JSON.stringify({ json, meta });
    if (from !== undefined) text = text.replaceAll(from, to);
    t.throws(() => decode(craft({ format: 1, json: text })), { instanceOf: DecodeError }, text);
  }
  assertNoPollution(t);
});

test('superjson path: harmless odd keys stay own properties of the right objects', (t) => {
  const err = decode(
    craftSj(
      { name: 'TypeError', message: 'm', '@@class': 'TypeError', constructor: { prototype: { polluted: 1 } } },
      { values: [['custom', 'Error']], v: 1 },
    ),
  );
  t.true(err instanceof TypeError);
  t.deepEqual(err.constructor, { prototype: { polluted: 1 } });
  const p = decode(craftSj({ x: 1, constructor: 'c' }, { values: [['class', 'Point']], v: 1 }));
  t.true(p instanceof Point);
  t.is(Object.getPrototypeOf(p), Point.prototype);
  const n = decode(craftSj({ constructor: 1, prototype: 2 }, { values: [['custom', 'nullproto']], v: 1 }));
  t.is(Object.getPrototypeOf(n), null);
  // a Map may legitimately have the key "__proto__"
  const m = roundTrip(new Map([['__proto__', { polluted: 1 }]]));
  t.deepEqual(m.get('__proto__'), { polluted: 1 });
  assertNoPollution(t);
});

test('malformed messages throw DecodeError', (t) => {
  const good = concatEncoded(encode({ f: new Float64Array([1]), d: new Date(0) }));
  const mutate = (fn) => {
    const m = Buffer.from(good);
    fn(m);
    return m;
  };
  const f64 = craft({
    json: JSON.stringify({ json: [0, 0], meta: { values: [['custom', 'v']], v: 1 } }),
    buffers: [{ kind: 9, bytes: new Uint8Array(8) }],
  });
  const cases = {
    empty: new Uint8Array(0),
    short: new Uint8Array(8),
    'bad magic': mutate((m) => {
      m[0] = 0x7b;
    }),
    'unknown format': mutate((m) => {
      m[1] = 9;
    }),
    'reserved bytes': mutate((m) => {
      m[13] = 1;
    }),
    'JSON length past the end': mutate((m) => {
      m.writeUInt32LE(1e6, 4);
    }),
    'huge buffer count': mutate((m) => {
      m.writeUInt32LE(2 ** 31, 8);
    }),
    truncated: good.subarray(0, good.length - 3),
    'trailing bytes': Buffer.concat([good, Buffer.alloc(8)]),
    'misaligned buffer offset': mutate((m) => {
      m.writeDoubleLE(m.readDoubleLE(24) + 4, 24);
    }),
    'negative buffer length': mutate((m) => {
      m.writeDoubleLE(-8, 32);
    }),
    'unknown buffer kind': mutate((m) => {
      m[16] = 99;
    }),
    'length not a whole number of elements': craft({
      json: JSON.stringify({ json: [0, 0], meta: { values: [['custom', 'v']], v: 1 } }),
      buffers: [{ kind: 9, bytes: new Uint8Array(7) }],
    }),
    'buffer index out of range': craft({
      json: JSON.stringify({ json: [0, 1], meta: { values: [['custom', 'v']], v: 1 } }),
      buffers: [{ kind: 9, bytes: new Uint8Array(8) }],
    }),
    'bad leaf tag': craftSj([7], { values: [['custom', 'v']], v: 1 }),
    'unknown extension': craftSj([1, 'nobody', 0], { values: [['custom', 'v']], v: 1 }),
    'unknown class': craftSj({}, { values: [['class', 'NotRegistered']], v: 1 }),
    'invalid JSON (fast)': craft({ format: 0, json: '{"a": ' }),
    'invalid JSON (superjson)': craft({ format: 1, json: '{"json": [' }),
    'no json member': craft({ format: 1, json: '{"meta": {}}' }),
    'payload not an object': craft({ format: 1, json: '[1, 2]' }),
    'bad meta': craftSj(1, 'meta'),
    'bad annotation tree': craftSj(1, { values: 5, v: 1 }),
    'bad reference list': craftSj({ a: {} }, { referentialEqualities: { a: 'b' }, v: 1 }),
    'reference to nowhere': craftSj({ a: {} }, { referentialEqualities: { a: ['x.y.z'] }, v: 1 }),
    'bad reference escape': craftSj({ a: {} }, { referentialEqualities: { a: ['x\\y'] }, v: 1 }),
    'bad regexp': craftSj('/(/', { values: ['regexp'], v: 1 }),
    'bad map entries': craftSj(5, { values: ['map'], v: 1 }),
    'bad Error payload': craftSj(5, { values: [['custom', 'Error']], v: 1 }),
    'JSON message with buffers': craft({ format: 0, json: '1', buffers: [{ kind: 2, bytes: new Uint8Array(1) }] }),
    'buffer message with JSON': craft({ format: 2, json: '1', buffers: [{ kind: 2, bytes: new Uint8Array(1) }] }),
  };
  t.notThrows(() => decode(f64), 'the crafting helper itself makes valid messages');
  for (const [name, msg] of Object.entries(cases)) {
    t.throws(() => decode(msg), { instanceOf: DecodeError }, name);
  }
  t.throws(() => decode('not bytes'), { instanceOf: DecodeError });
  t.throws(() => messageFormat(new Uint8Array(3)), { instanceOf: DecodeError });
  t.is(new DecodeError('x').name, 'DecodeError');
});

test('concatEncoded is one contiguous, 8-aligned copy', (t) => {
  const e = encode({ a: new Uint8Array([1]), b: new Float64Array([2]), c: 'x'.repeat(13) });
  t.true(e.parts.length > 2, 'buffers and padding are separate parts');
  const m = concatEncoded(e);
  t.is(m.byteLength, e.byteLength);
  t.is(m.byteOffset % 8, 0);
  let at = 0;
  for (const p of e.parts) {
    t.deepEqual([...m.subarray(at, at + p.byteLength)], [...new Uint8Array(p.buffer, p.byteOffset, p.byteLength)]);
    at += p.byteLength;
  }
});
