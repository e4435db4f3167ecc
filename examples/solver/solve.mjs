// Solves the 2D Poisson problem with distributed CG, driven from rank 0:
//   mpirun -n 4 node -r mpi-loop/register examples/solver/solve.mjs 256
//   npx mpi-loop run -n 4 examples/solver/solve.mjs
// Options: --tol T (default 1e-10); --repeat R (for benchmarks: one untimed
// solve, then R timed solves from zero, reported as totals); --json prints one
// JSON line (with the whole solution when --solution is given too).
import { size, wtime } from 'mpi-loop';
import { distribute } from 'mpi-loop/parallel';
import { PoissonOperator } from './poisson.mjs';
import { cg, relativeResidual } from './cg.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const n = Number(args.find((a, i) => /^\d+$/.test(a) && !String(args[i - 1]).startsWith('--')) ?? 128);
const tol = Number(option('--tol', '1e-10'));
const repeat = Number(option('--repeat', '0'));

const A = await distribute(PoissonOperator, n);
const b = await A.manage.rhs();
const x = await A.manage.zeros();

let iterations = 0,
  residual = NaN,
  seconds = 0;
for (let k = repeat > 0 ? -1 : 0; k < Math.max(repeat, 1); k++) {
  await x.scal(0); // every solve starts from zero; k = -1 is the untimed warm-up
  const t0 = wtime();
  const run = await cg(A, b, x, { tol });
  if (k < 0) continue;
  seconds += wtime() - t0;
  iterations += run.iterations;
  residual = run.residual;
}

const trueResidual = await relativeResidual(A, b, x);
// b = A u for the grid sample u of a known function, so u solves the
// discrete system exactly: the error measures the solver alone.
const e = await A.manage.exact();
const unorm = await e.norm();
await e.axpy(-1, x);
const error = (await e.norm()) / unorm;

const result = {
  ranks: size,
  n,
  iterations,
  residual,
  trueResidual,
  error,
  seconds,
  itersPerSecond: iterations / seconds,
};
if (args.includes('--json')) {
  if (args.includes('--solution')) result.solution = Array.from(await x.toArray());
  console.log(JSON.stringify(result));
} else {
  console.log(
    `Poisson ${n}x${n} on ${size} rank(s): ${iterations} CG iterations, ` +
      `relative residual ${trueResidual.toExponential(2)} (recurrence ${residual.toExponential(2)}), ` +
      `error vs exact ${error.toExponential(2)}, ${seconds.toFixed(3)} s (${(iterations / seconds).toFixed(0)} it/s)`,
  );
}
for (const v of [A, b, x, e]) v[Symbol.dispose]();
