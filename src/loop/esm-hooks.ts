// Module customization hooks (module.register) for rank 0: every ES module
// loaded from a file registers its namespace with esm-registry when it has
// finished evaluating. The appended import is of the module itself, which ES
// modules allow, and it sits on the last line so line numbers do not move.
interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: object) => Promise<LoadResult>;

export async function load(url: string, context: object, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  if (result.format !== 'module' || !url.startsWith('file:') || result.source == null) return result;
  const source =
    typeof result.source === 'string' ? result.source : Buffer.from(result.source as ArrayBuffer).toString('utf8');
  const u = JSON.stringify(url);
  return {
    ...result,
    source:
      `${source}\n;import * as __mpiLoopSelf from ${u}; ` +
      `globalThis[Symbol.for('mpi-loop.esm-registry')]?.(${u}, __mpiLoopSelf);\n`,
  };
}
