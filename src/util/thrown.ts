// What crosses ranks of a thrown value: anything may be thrown, and only a
// name, a message and a stack travel (the remote side builds its error from them).

export interface ThrownRecord {
  name: string;
  message: string;
  stack: string;
}

export function describeThrown(e: unknown): ThrownRecord {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` };
  let text: string;
  try {
    text = typeof e === 'string' ? e : (JSON.stringify(e) ?? String(e));
  } catch {
    text = String(e);
  }
  return { name: 'Error', message: `non-Error thrown: ${text}`, stack: `(a ${typeof e} was thrown: ${text})` };
}
