// mpi-loop's tour in one script, in pyMOR's style:
//   npx mpi-loop run -n 4 examples/distributed-dataset.mjs
//   mpirun -n 4 node -r mpi-loop/register examples/distributed-dataset.mjs
// Rank 0 runs this script; the other ranks serve the event loop. Every call()
// runs its function on every rank; the registry keeps one object per rank
// behind each ObjectId.
import { call, comm, size, functionCallManage, methodCall, methodCallManage, mpiInfo } from 'mpi-loop';
import { makeDataset } from './lib/dataset.mjs';

const total = Number(process.argv[2] ?? 1_000_000);
console.log(`mpi-loop demo: ${size} rank(s), ${total.toLocaleString('en')} samples`);
mpiInfo();

// A self-contained function goes to every rank by source; collectives work inside.
console.log(
  'sum of ranks:',
  call(() => comm.allreduce(comm.rank)),
);

// A managed object on every rank, created by a function exported from a module.
const data = call(functionCallManage, makeDataset, total);
for (const { rank, offset, count } of call(methodCall, data, 'layout')) {
  console.log(`  rank ${rank} holds samples ${offset}..${offset + count - 1}`);
}
const t0 = performance.now();
const mean = call(methodCall, data, 'mean');
const std = call(methodCall, data, 'std');
const [lo, hi] = call(methodCall, data, 'range');
console.log(`mean ${mean.toFixed(4)}  std ${std.toFixed(4)}  range [${lo.toFixed(2)}, ${hi.toFixed(2)}]`);

// A method whose result stays distributed: managed on every rank, its handle returned here.
const z = call(methodCallManage, data, 'standardized');
console.log(
  `standardised: mean ${call(methodCall, z, 'mean').toExponential(2)}  std ${call(methodCall, z, 'std').toFixed(6)}`,
);
const counts = call(methodCall, z, 'histogram', 12, -3, 3);
const peak = Math.max(...counts);
counts.forEach((c, i) => {
  const left = (-3 + i * 0.5).toFixed(1).padStart(4);
  console.log(`  ${left} ${'#'.repeat(Math.round((40 * c) / peak))}`);
});
console.log(`statistics computed in ${(performance.now() - t0).toFixed(1)} ms`);

// Disposing an ObjectId frees its object on every rank (so does garbage collection).
z[Symbol.dispose]();
data[Symbol.dispose]();
