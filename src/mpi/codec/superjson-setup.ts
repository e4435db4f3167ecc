// The codec's own superjson instance and its custom transformers.
//
// superjson runs synchronously inside encode() and decode(), so the
// transformers find the per-message state in a module-level "current
// context" (saved and restored around each call, so a nested encode from an
// extension is safe):
//   'v'         leaf values decided by the walk (walk.ts): an out-of-band
//               buffer [0, i] (i = descriptor index), an extension value
//               [1, extensionName, data], an invalid Date [2] (superjson
//               would send it as null)
//   'Error'     Errors keep their class, stack, cause and own properties (error-values.ts)
//   'nullproto' null-prototype objects keep their null prototype
//   'sparse'    arrays with holes: holes arrive as undefined (superjson: null)

import type * as SuperJSONModule from 'superjson' with { 'resolution-mode': 'import' };
import { DecodeError } from './errors';
import { restoreError, serializeError } from './error-values';
import { classesByName, errorClassNames, extensionsByName } from './registry';

// superjson is an ES module; Node >= 20.19 loads it with require() (this file compiles to CommonJS).
const { SuperJSON } = require('superjson') as typeof SuperJSONModule;
export const superjson = new SuperJSON();

export type LeafJson = [0, number] | [1, string, unknown] | [2];

export interface EncodeContext {
  /** Values superjson must send as a 'v' leaf, with their JSON. */
  leaf: Map<unknown, LeafJson>;
  /** Arrays with holes. */
  sparse: Set<unknown> | null;
}

export interface DecodeContext {
  /** Turns descriptor `index` into its value (cached, so a shared buffer stays shared). */
  buffer(index: unknown): unknown;
}

let encodeContext: EncodeContext | null = null;
let decodeContext: DecodeContext | null = null;

export function withEncodeContext<T>(ctx: EncodeContext, run: () => T): T {
  const saved = encodeContext;
  encodeContext = ctx;
  try {
    return run();
  } finally {
    encodeContext = saved;
  }
}

export function withDecodeContext<T>(ctx: DecodeContext, run: () => T): T {
  const saved = decodeContext;
  decodeContext = ctx;
  try {
    return run();
  } finally {
    decodeContext = saved;
  }
}

function restoreLeaf(j: unknown): unknown {
  if (!Array.isArray(j)) throw new DecodeError('bad leaf value');
  switch (j[0]) {
    case 0:
      if (decodeContext === null) throw new DecodeError('buffer outside a message');
      return decodeContext.buffer(j[1]);
    case 1: {
      const ext = typeof j[1] === 'string' ? extensionsByName.get(j[1]) : undefined;
      if (ext === undefined)
        throw new DecodeError(`unknown value extension ${JSON.stringify(j[1])} (register it on every rank)`);
      return ext.deserialize(j[2]);
    }
    case 2:
      return new Date(NaN);
    default:
      throw new DecodeError('bad leaf value');
  }
}

type Json = SuperJSONModule.SuperJSONResult['json'];

superjson.registerCustom<unknown, Json>(
  {
    isApplicable: (v): v is unknown => encodeContext !== null && encodeContext.leaf.has(v),
    serialize: (v) => (encodeContext as EncodeContext).leaf.get(v) as Json,
    deserialize: restoreLeaf,
  },
  'v',
);

superjson.registerCustom<Error, Json>(
  {
    isApplicable: (v): v is Error => v instanceof Error,
    serialize: (e) => serializeError(e) as Json,
    deserialize: (j) => restoreError(j),
  },
  'Error',
);

function copyOwn(from: object, to: object): void {
  for (const k of Object.keys(from)) {
    Object.defineProperty(to, k, {
      value: (from as Record<string, unknown>)[k],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
}

superjson.registerCustom<object, Json>(
  {
    isApplicable: (v): v is object => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === null,
    serialize: (v) => {
      const j = {};
      copyOwn(v, j);
      return j as Json;
    },
    deserialize: (j) => {
      if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new DecodeError('bad null-prototype object');
      const o = Object.create(null) as object;
      copyOwn(j, o);
      return o;
    },
  },
  'nullproto',
);

superjson.registerCustom<unknown[], Json>(
  {
    isApplicable: (v): v is unknown[] =>
      encodeContext !== null && encodeContext.sparse !== null && encodeContext.sparse.has(v),
    serialize: (v) => Array.from(v) as Json,
    deserialize: (j) => {
      if (!Array.isArray(j)) throw new DecodeError('bad sparse array');
      return j;
    },
  },
  'sparse',
);

const CUSTOM = new Set(['v', 'Error', 'nullproto', 'sparse']);
const SIMPLE = new Set(['undefined', 'bigint', 'Date', 'regexp', 'set', 'map', 'number', 'URL']);

function checkType(t: unknown): void {
  if (typeof t === 'string') {
    if (SIMPLE.has(t)) return;
  } else if (Array.isArray(t) && t.length === 2 && typeof t[1] === 'string') {
    if (t[0] === 'custom' && CUSTOM.has(t[1])) return;
    if (t[0] === 'class') {
      const cls = classesByName.get(t[1]);
      if (cls !== undefined && !errorClassNames.has(cls)) return;
      throw new DecodeError(`unknown class ${JSON.stringify(t[1])} (call registerClass on every rank)`);
    }
  }
  throw new DecodeError(`unexpected type annotation ${JSON.stringify(t)}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Accepts only the annotations this codec writes (superjson's meta.values tree). */
export function checkAnnotations(tree: unknown): void {
  if (tree === undefined) return;
  if (Array.isArray(tree)) {
    if (tree.length < 1 || tree.length > 2) throw new DecodeError('bad annotation node');
    checkType(tree[0]);
    if (tree.length === 2) {
      if (!isRecord(tree[1])) throw new DecodeError('bad annotation children');
      for (const k in tree[1]) checkAnnotations(tree[1][k]);
    }
    return;
  }
  if (!isRecord(tree)) throw new DecodeError('bad annotation tree');
  for (const k in tree) checkAnnotations(tree[k]);
}
