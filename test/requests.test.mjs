// Requests with MPI's semantics (mpi4py's test suite idioms): an object irecv
// is a real MPI receive, test() completes every kind of request, PROC_NULL
// gives undefined everywhere; on real MPI at 1, 2 and 4 ranks, and in the
// serial fallback. Every launch has a timeout, so a hang fails the test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { fixture, mpinode, run, tagged } from './helpers/mpirun.mjs';

const TIMEOUT = 90_000;

function assertRan(t, r, ranks) {
  const output = `${r.stdout}\n${r.stderr}`;
  t.false(r.timedOut, `timed out (a request never completed)\n${output}`);
  t.is(r.code, 0, `exit ${r.code}\n${output}`);
  t.deepEqual(tagged(r.stdout, 'FAIL '), [], output);
  t.is(tagged(r.stdout, 'DONE ').length, ranks, output);
  const checks = tagged(r.stdout, 'CHECKS ').map((l) => Number(l.split(' ')[1]));
  t.is(checks.length, ranks, output);
  // Every rank ran every check (none skipped by an early failure).
  t.true(
    checks.every((c) => c === checks[0] && c > 100),
    `checks per rank: ${checks}`,
  );
}

for (const n of [1, 2, 4]) {
  test(`irecv then send at every size, test() polling of every request kind, PROC_NULL, at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('request-semantics.mjs')], { timeout: TIMEOUT });
    assertRan(t, r, n);
  });
}

test('the same in the serial fallback (no MPI library)', async (t) => {
  const r = await run(process.execPath, [fixture('request-semantics.mjs')], {
    env: { MPI_LOOP_SERIAL: '1', MPI_LOOP_QUIET: '1' },
    timeout: TIMEOUT,
  });
  assertRan(t, r, 1);
});

test('a large value sent just before process.exit() is still delivered', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-requests-'));
  try {
    const r = await mpinode(2, [fixture('request-semantics.mjs'), 'exit', path.join(dir, 'exiting')], {
      timeout: TIMEOUT,
    });
    t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
    t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    t.deepEqual(tagged(r.stdout, 'FAIL '), []);
    t.deepEqual(tagged(r.stdout, 'EXIT-DELIVERED '), [String(1 << 20)], r.stdout + r.stderr);
    t.false(r.stderr.includes('unreceived'), r.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
