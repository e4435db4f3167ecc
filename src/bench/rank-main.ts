// The mpi-loop side of one launch, run on every rank of an mpirun job:
//   node [-r mpi-loop/register] dist/bench/rank-main.js <benchmark> <params JSON>
// Under the event loop only rank 0 runs this (the others serve); otherwise
// every rank does. Rank 0 prints one "BENCH-RESULT {...}" line.
import { writeSync } from 'node:fs';
import { findBenchmark } from './registry';

async function main(): Promise<void> {
  const [name, json = '{}'] = process.argv.slice(2);
  const { measure } = findBenchmark(name);
  if (!measure) throw new Error(`benchmark ${name} runs scripts: it has no measure()`);
  const figures = await measure(JSON.parse(json) as Record<string, unknown>);
  // Synchronously: MPI is finalised at exit, and stdout to a pipe is asynchronous.
  if (figures) writeSync(1, `BENCH-RESULT ${JSON.stringify(figures)}\n`);
}

main().catch((e: unknown) => {
  writeSync(2, `bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
