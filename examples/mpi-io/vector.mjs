// A distributed vector through MPI-IO, with no gather to one rank: each rank
// owns a contiguous block of x[0..length) and describes it to MPI as a
// subarray of the global vector (its file view), so the collective write and
// read move every block straight to its place in one shared file.
//
//   mpi-loop run -n 2 examples/mpi-io/vector.mjs write /tmp/x.bin 1000
//   mpi-loop run -n 3 examples/mpi-io/vector.mjs read  /tmp/x.bin 1000
//
// (or mpirun -n N node examples/mpi-io/vector.mjs ...). The rank counts may
// differ: the file is just `length` doubles, x[i] = sqrt(i).
import mpi from 'mpi-loop';

const { COMM_WORLD: comm, File, DOUBLE, SUM } = mpi;
const [mode, path, lengthText = '1000'] = process.argv.slice(2);
const length = Number(lengthText);
if ((mode !== 'write' && mode !== 'read') || !path || !Number.isInteger(length) || length < 1) {
  console.error('usage: vector.mjs write|read <file> [length]');
  process.exit(2);
}

// Block distribution: the first length % size ranks own one element more.
const { rank, size } = comm;
const base = Math.floor(length / size),
  extra = length % size;
const count = base + (rank < extra ? 1 : 0);
const start = rank * base + Math.min(rank, extra);

// This rank's part of the file: a subarray of the global vector. A rank
// owning nothing gets an empty contiguous type (subarrays need subsizes >= 1).
const block = count > 0 ? DOUBLE.createSubarray([length], [count], [start]) : DOUBLE.createContiguous(0);
block.commit();
const local = new Float64Array(count);

if (mode === 'write') {
  for (let i = 0; i < count; i++) local[i] = Math.sqrt(start + i);
  const file = File.open(comm, path, mpi.MODE_CREATE | mpi.MODE_WRONLY);
  file.setSize(0);
  file.setView(0, DOUBLE, block);
  file.Write_all(local);
  file.close();
  if (rank === 0) console.log(`wrote ${length} doubles from ${size} ranks to ${path}`);
} else {
  const file = File.open(comm, path, mpi.MODE_RDONLY);
  if (file.getSize() !== length * 8) throw new Error(`${path} holds ${file.getSize()} bytes, expected ${length * 8}`);
  file.setView(0, DOUBLE, block);
  file.Read_all(local);
  file.close();
  let wrong = 0;
  for (let i = 0; i < count; i++) if (local[i] !== Math.sqrt(start + i)) wrong++;
  const totals = new Float64Array(3);
  comm.Allreduce(
    Float64Array.of(
      count,
      wrong,
      local.reduce((a, b) => a + b, 0),
    ),
    totals,
    SUM,
  );
  if (rank === 0)
    console.log(`read ${totals[0]} doubles on ${size} ranks, ${totals[1]} wrong, sum ${totals[2].toFixed(6)}`);
}
block.free();
