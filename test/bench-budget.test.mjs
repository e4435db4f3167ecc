// The value-collectives benchmark keeps each batch within its time budget:
// a count of calls no launch could finish is cut down to what fits, so a
// slow MPI (ranks busy-polling for a core) still reports every figure.
import test from 'ava';
import path from 'node:path';
import { mpinode, root } from './helpers/mpirun.mjs';

const rankMain = path.join(root, 'dist', 'bench', 'rank-main.js');

test('value-collectives: a billion calls a batch under a 200 ms budget still ends, with every figure', async (t) => {
  t.timeout(110_000);
  const args = { iterations: 1e9, batches: 2, budgetMs: 200 };
  const r = await mpinode(2, [rankMain, 'value-collectives', JSON.stringify(args)], { timeout: 100_000 });
  t.false(r.timedOut, 'the batches ran past their budget');
  t.is(r.code, 0, r.stderr);
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH-RESULT '));
  t.truthy(line, r.stdout);
  const figures = JSON.parse(line.slice('BENCH-RESULT '.length));
  t.deepEqual(Object.keys(figures), ['gather', 'allgather', 'bcast', 'allreduce']);
  for (const [op, us] of Object.entries(figures)) t.true(Number.isFinite(us) && us > 0, `${op}: ${us}`);
});
