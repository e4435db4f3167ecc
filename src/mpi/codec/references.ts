// Shared and circular references on the receiver.
//
// superjson records every object reached more than once as
// meta.referentialEqualities: {representativePath: [otherPaths...]} (or
// [[pathsEqualToRoot], {...}] when the root itself recurs); at the other
// paths the JSON holds a copy (shared object) or null (cycle). Its own
// replay of these annotations only assigns inside plain objects, arrays,
// Maps and Sets, and applies them in key order, so references inside class
// instances and Errors are lost, integer-like paths run first, and replacing
// a Map key or Set member moves it to the end. This replay handles every
// container (assigning own properties with defineProperty), keeps Map and Set
// order, and runs the shortest paths first so that every prefix of a path is
// final before the path is used. Paths only follow own properties.

import { DecodeError } from './errors';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** superjson v1 path syntax: segments joined by '.', with '\\.' and '\\\\' escapes. */
export function parsePath(s: unknown): string[] {
  if (typeof s !== 'string') throw new DecodeError('a reference path is not a string');
  const out: string[] = [];
  let seg = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if (next !== '\\' && next !== '.') throw new DecodeError(`invalid reference path ${JSON.stringify(s)}`);
      seg += next;
      i++;
    } else if (c === '.') {
      out.push(seg);
      seg = '';
    } else {
      seg += c;
    }
  }
  out.push(seg);
  for (const p of out) if (FORBIDDEN.has(p)) throw new DecodeError(`reference path contains ${p}`);
  return out;
}

function position(seg: string | undefined, size: number): number {
  const n = Number(seg);
  if (seg === undefined || seg === '' || !Number.isInteger(n) || n < 0 || n >= size) {
    throw new DecodeError(`bad position ${JSON.stringify(seg)} in a reference path`);
  }
  return n;
}

function isContainer(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

function getChild(cur: unknown, path: string[], i: number): unknown {
  if (cur instanceof Map) {
    const entry = [...cur.entries()][position(path[i], cur.size)];
    return entry[position(path[i + 1], 2)];
  }
  if (cur instanceof Set) return [...cur][position(path[i], cur.size)];
  if (!isContainer(cur) || !Object.prototype.hasOwnProperty.call(cur, path[i])) {
    throw new DecodeError(`reference path ${path.join('.')} leads nowhere`);
  }
  return (cur as Record<string, unknown>)[path[i]];
}

function step(cur: unknown): number {
  return cur instanceof Map ? 2 : 1;
}

function getAt(root: unknown, path: string[]): unknown {
  let cur = root;
  let i = 0;
  while (i < path.length) {
    const width = step(cur);
    if (i + width > path.length) throw new DecodeError(`reference path ${path.join('.')} is incomplete`);
    cur = getChild(cur, path, i);
    i += width;
  }
  return cur;
}

function setChild(cur: unknown, path: string[], i: number, value: unknown): void {
  if (cur instanceof Map) {
    const entries = [...cur.entries()];
    const row = position(path[i], entries.length);
    if (position(path[i + 1], 2) === 1) {
      cur.set(entries[row][0], value);
    } else {
      entries[row] = [value, entries[row][1]];
      cur.clear();
      for (const [k, v] of entries) cur.set(k, v);
    }
    return;
  }
  if (cur instanceof Set) {
    const items = [...cur];
    items[position(path[i], items.length)] = value;
    cur.clear();
    for (const v of items) cur.add(v);
    return;
  }
  const key = path[i];
  const desc = isContainer(cur) ? Object.getOwnPropertyDescriptor(cur, key) : undefined;
  if (desc === undefined || !('value' in desc) || !desc.writable) {
    throw new DecodeError(`reference path ${path.join('.')} leads nowhere`);
  }
  Object.defineProperty(cur, key, { value });
}

function setAt(root: unknown, path: string[], value: unknown): void {
  let cur = root;
  let i = 0;
  for (;;) {
    const width = step(cur);
    if (i + width >= path.length) {
      if (i + width !== path.length) throw new DecodeError(`reference path ${path.join('.')} is incomplete`);
      setChild(cur, path, i, value);
      return;
    }
    cur = getChild(cur, path, i);
    i += width;
  }
}

interface Link {
  at: string[];
  target: string[];
}

function collect(list: unknown, target: string[], links: Link[]): void {
  if (!Array.isArray(list)) throw new DecodeError('reference annotations must list paths');
  for (const p of list) links.push({ at: parsePath(p), target });
}

function collectObject(annotations: unknown, links: Link[]): void {
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) {
    throw new DecodeError('reference annotations must be an object');
  }
  for (const [rep, list] of Object.entries(annotations)) collect(list, parsePath(rep), links);
}

/** Replays superjson's referentialEqualities on the decoded value; returns the (same) root. */
export function applyReferences(root: unknown, annotations: unknown): unknown {
  if (annotations === undefined) return root;
  const links: Link[] = [];
  if (Array.isArray(annotations)) {
    if (annotations.length < 1 || annotations.length > 2) throw new DecodeError('bad root reference annotation');
    collect(annotations[0], [], links);
    if (annotations.length === 2) collectObject(annotations[1], links);
  } else {
    collectObject(annotations, links);
  }
  links.sort((a, b) => a.at.length - b.at.length);
  for (const { at, target } of links) {
    if (at.length === 0) throw new DecodeError('the root cannot refer to another object');
    setAt(root, at, getAt(root, target));
  }
  return root;
}
