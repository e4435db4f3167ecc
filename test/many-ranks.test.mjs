// The event loop at 64 ranks on this one host (oversubscribed: workers sleep
// between commands instead of spinning), where commands reach the workers
// through the shared-memory command ring (the default) or travel down the
// fan-out tree several hops deep: the loop, the registry, futures and the
// REPL's .px. A few launches, each checking several things.
import test from 'ava';
import { fanoutChildren, fanoutParent, setRingReaders } from '../dist/loop/fanout.js';
import { fixture, mpinode, tagged } from './helpers/mpirun.mjs';

const RANKS = 64;
const SECONDS = (ms) => (ms / 1000).toFixed(1);
const register = ['-r', 'mpi-loop/register'];
// Rank 0 picks the command ring on its own host: impose the tree to test it.
const treeEnv = { MPI_LOOP_FANOUT: 'tree' };
// Starting 64 Node processes on a shared 2-core machine takes a while.
const TIMEOUT = 600_000;

/** Walks the fan-out tree from rank 0, checking each child's parent: hops to every rank reached, each once. */
function hopsFromRank0(t) {
  const reached = new Map([[0, 0]]);
  const queue = [0];
  while (queue.length > 0) {
    const r = queue.shift();
    for (const c of fanoutChildren(r, RANKS)) {
      t.false(reached.has(c), `rank ${c} reached twice`);
      t.is(fanoutParent(c), r);
      reached.set(c, reached.get(r) + 1);
      queue.push(c);
    }
  }
  return reached;
}

test.serial(`the fan-out tree at ${RANKS} ranks reaches every worker once, within log2 P hops`, (t) => {
  const reached = hopsFromRank0(t);
  t.is(reached.size, RANKS);
  t.is(Math.max(...reached.values()), Math.log2(RANKS));
  t.deepEqual(fanoutChildren(0, RANKS), [32, 16, 8, 4, 2, 1]);
});

test.serial(`beside the command ring, the tree over the other hosts' ${RANKS - 8} workers reaches each once`, (t) => {
  // Ranks 1 to 7 share rank 0's host and read the ring.
  setRingReaders(
    Int32Array.from({ length: 7 }, (_, i) => i + 1),
    RANKS,
  );
  try {
    const reached = hopsFromRank0(t);
    t.is(reached.size, RANKS - 7);
    for (let r = 1; r <= 7; r++) {
      t.false(reached.has(r), `ring reader ${r} got a command over MPI`);
      t.deepEqual(fanoutChildren(r, RANKS), []);
      t.is(fanoutParent(r), 0);
    }
    const depth = Math.max(...reached.values());
    t.true(depth <= Math.ceil(Math.log2(RANKS - 7)), `${depth} hops`);
    t.deepEqual(fanoutChildren(0, RANKS), [39, 23, 15, 11, 9, 8]);
  } finally {
    setRingReaders(new Int32Array(0), RANKS);
  }
});

for (const [fanout, env] of [
  ['command ring', {}],
  ['fan-out tree', treeEnv],
])
  test.serial(
    `a script at ${RANKS} ranks through the ${fanout}: order, collectives, large arrays, errors, registry, futures`,
    async (t) => {
      t.timeout(TIMEOUT + 10_000);
      const r = await mpinode(RANKS, [...register, fixture('many-ranks/script.mjs')], { env, timeout: TIMEOUT });
      t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
      t.deepEqual(tagged(r.stdout, 'BAD '), [], r.stderr);
      t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      const ok = new Set(tagged(r.stdout, 'OK '));
      for (const name of [
        'in-order',
        'gather',
        'ring-readers',
        'ring-carries-calls',
        'allreduce',
        'large-array',
        'large-array-rank0-copy',
        'remote-errors',
        'usable-after-errors',
        'method-call',
        'collective-in-method',
        'object-everywhere',
        'removed-everywhere',
        'pool-workers',
        'pool-map',
        'pool-spread',
      ])
        t.true(ok.has(name), `missing OK ${name}\n${r.stdout}\n${r.stderr}`);
      t.true(r.stdout.includes('END'), r.stdout);
    },
  );

test.serial(`the REPL at ${RANKS} ranks: .px labels every rank, errors name the rank`, async (t) => {
  t.timeout(TIMEOUT + 10_000);
  const input = [
    'await call((x) => comm.allreduce(x), 3)',
    '.px rank * 10',
    'call(() => { if (rank === 37) throw new Error("px-failure") })',
    '.px rank',
    '"last line"',
  ].join('\n');
  const r = await mpinode(RANKS, register, { input, timeout: TIMEOUT });
  t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
  t.is(r.code, 0, r.stderr);
  const out = r.stdout.split('\n');
  t.is(out[0], String(3 * RANKS), r.stdout);
  t.deepEqual(
    out.slice(1, 1 + RANKS),
    Array.from({ length: RANKS }, (_, i) => `[rank ${i}] ${i * 10}`),
  );
  // The failure surfaces at a later input at the latest, named by rank.
  t.regex(r.stderr + r.stdout, /rank 37: Error: px-failure/);
  t.is(out.at(-2), "'last line'", r.stdout);
});

for (const [what, env] of [
  ['an interior worker of the fan-out tree', treeEnv],
  ['a reader of the command ring', {}],
])
  test.serial(`a killed worker, ${what}, ends the job, not a hang`, async (t) => {
    t.timeout(130_000);
    const r = await mpinode(8, [...register, fixture('many-ranks/dead-interior.mjs')], { env, timeout: 120_000 });
    t.false(r.timedOut, `the job hung\n${r.stdout}\n${r.stderr}`);
    t.not(r.code, 0);
    t.true(r.stdout.includes('READY'), r.stdout);
    t.false(r.stdout.includes('NOT-REACHED'));
    // Within seconds of the kill, not the quit timeout or the test's.
    t.true(r.ms < 60_000, `took ${SECONDS(r.ms)} s`);
  });
