// Compile-time tests of buffer specs, Datatype, Win and File (never run).
// Each `@ts-expect-error` line must fail to compile; one that compiles is itself an error.
import { COMM_WORLD, DOUBLE, INT32_T, Datatype, File, Win, MODE_RDONLY, REPLACE, type BufferSpec } from 'mpi-loop';

const grid = new Float64Array(16);
const column: Datatype = DOUBLE.createVector(4, 1, 4).commit();
const specs: BufferSpec[] = [
  [grid, DOUBLE],
  [grid, 2, column],
  [grid, [2, 1], DOUBLE],
];
COMM_WORLD.Send(specs[0], 1);
COMM_WORLD.Recv([grid, 1, column], 0);
COMM_WORLD.Allreduce([grid, 4, DOUBLE], [grid.subarray(4), 4, DOUBLE]);
// @ts-expect-error a spec ends with a Datatype, not a number
COMM_WORLD.Send([grid, 1, 2], 1);
// @ts-expect-error [count, displacement] is a pair
COMM_WORLD.Send([grid, [1, 2, 3], DOUBLE], 1);

const win = Win.allocate(64, 8, null, COMM_WORLD);
const mem: Float64Array = win.toMemory(Float64Array);
const [theirs, unit]: [Int32Array, number] = win.sharedQuery(0, Int32Array);
win.Put(mem.subarray(0, 1), 1, [0, 1, INT32_T]);
win.Accumulate([mem, 1, DOUBLE], 0, 0, REPLACE);
// @ts-expect-error the target rank is a number
win.Get(mem, '1');
// @ts-expect-error a view constructor, not a view
win.toMemory(mem);

const file: File = File.open(COMM_WORLD, '/tmp/x', MODE_RDONLY, { access_style: 'read_once' });
file.setView(0, DOUBLE, column);
const done: Promise<void> = file.Iread_at(0, grid).wait();
// @ts-expect-error offsets are numbers
file.Read_at('0', grid);

// @ts-expect-error the order is ORDER_C or ORDER_FORTRAN, a number
DOUBLE.createSubarray([4], [2], [1], 'C');
// @ts-expect-error a window exposes a view (or null), not a string
Win.create('memory');
// @ts-expect-error the communicator comes first
File.open('/tmp/x', MODE_RDONLY);

export const used = [theirs, unit, done];
