// The Julia set, scanline by scanline, on a PoolExecutor: mpi4py.futures'
// julia.py example in mpi-loop. Writes julia.pgm (binary PGM).
//   npx mpi-loop futures -n 4 examples/julia.mjs       (ranks 1..3 are the workers)
//   node examples/julia.mjs                            (spawns MPI_LOOP_FUTURES_MAX_WORKERS workers, default 1)
import fs from 'node:fs';
import { PoolExecutor } from 'mpi-loop/futures';

const [w, h] = [640, 480];

// Self-contained, so it travels to the workers by source; what it needs comes as arguments.
const juliaLine = (k, w, h) => {
  const [x0, x1, y0, y1] = [-2.0, 2.0, -1.5, 1.5];
  const [dx, dy] = [(x1 - x0) / w, (y1 - y0) / h];
  const [cr, ci] = [0, 0.65];
  const line = new Uint8Array(w);
  const y = y1 - k * dy;
  for (let j = 0; j < w; j++) {
    let [zr, zi] = [x0 + j * dx, y];
    let n = 255;
    while (zr * zr + zi * zi < 9 && n > 1) {
      [zr, zi] = [zr * zr - zi * zi + cr, 2 * zr * zi + ci];
      n -= 1;
    }
    line[j] = n;
  }
  return line;
};

const executor = new PoolExecutor();
try {
  const out = fs.openSync('julia.pgm', 'w');
  fs.writeSync(out, `P5 ${w} ${h} 255\n`);
  const rows = Array.from({ length: h }, (_, k) => k);
  for await (const line of executor.map(
    juliaLine,
    rows,
    rows.map(() => w),
    rows.map(() => h),
    { chunksize: 8 },
  )) {
    fs.writeSync(out, line);
  }
  fs.closeSync(out);
  console.log(`julia.pgm: ${w}x${h} on ${await executor.workers()} worker(s)`);
} finally {
  await executor.shutdown();
}
