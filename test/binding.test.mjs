// The native binding and its mpi4py-style API (environment, communicators,
// values), on real MPI under mpirun.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import test from 'ava';
import { fixture, mpinode, root, run, tagged } from './helpers/mpirun.mjs';

function assertClean(t, r) {
  t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
  t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
}

for (const n of [1, 2, 4]) {
  test(`every value kind through every object method at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('object-messages.mjs')]);
    assertClean(t, r);
    t.deepEqual(tagged(r.stdout, 'FAIL'), []);
    t.true(r.stdout.includes('DONE'));
    const checks = tagged(r.stdout, 'CHECKS ').map((l) => Number(l.split(' ')[1]));
    t.is(checks.length, n);
    t.true(
      checks.every((c) => c > 100),
      `checks per rank: ${checks}`,
    );
  });

  test(`every TypedArray kind through every buffer method and op at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('buffer-messages.mjs')]);
    assertClean(t, r);
    t.deepEqual(tagged(r.stdout, 'FAIL'), []);
    t.true(r.stdout.includes('DONE'));
    t.is(tagged(r.stdout, 'CHECKS ').length, n);
  });
}

test('bad input: a clear error on the caller, nothing sent, still usable', async (t) => {
  const r = await mpinode(2, [fixture('bad-input.mjs')]);
  assertClean(t, r);
  const errors = Object.fromEntries(
    tagged(r.stdout, 'ERR ').map((l) => [l.split(' ')[0], l.slice(l.indexOf(' ') + 1)]),
  );
  t.deepEqual(tagged(r.stdout, 'NO-ERROR '), []);
  t.regex(errors['send-rank'], /RangeError: dest must be in 0\.\.1 .*got 5/);
  t.regex(errors['send-negative-rank'], /RangeError: dest must be in 0\.\.1 .*got -5/);
  t.regex(errors['send-tag'], /RangeError: tag must be in 0\.\.\d+ .*got -7/);
  t.regex(errors['recv-rank'], /RangeError: source must be in 0\.\.1.*got 3/);
  t.regex(errors['recv-raw-buffer'], /DecodeError: Malformed message/);
  t.regex(errors['buffer-kind'], /TypeError: buf must be an ArrayBufferView \(TypedArray, Buffer or DataView\)/);
  t.regex(errors['buffer-kind-string'], /TypeError: buf must be an ArrayBufferView/);
  t.regex(errors['gather-size'], /RangeError: recvbuf must hold at least 8 elements, got 1/);
  t.regex(
    errors['unserializable-symbol'],
    /EncodeError: Cannot send obj\.list\[1\]: .*symbol.*\[path obj\.list\[1\]\]/i,
  );
  t.regex(
    errors['unserializable-weakmap'],
    /EncodeError: Cannot send obj\.cache: a WeakMap cannot be sent.*\[path obj\.cache\]/,
  );
  t.regex(
    errors['unserializable-closure'],
    /EncodeError: Cannot send obj\.onDone: the function "onDone" .*uses "k".*\[path obj\.onDone\]/,
  );
  t.regex(errors['bcast-root'], /RangeError: .*root 4/);
  t.regex(errors['reduce-op'], /TypeError: .*built-in Op/);
  t.regex(
    errors['unregistered-class'],
    /EncodeError: Cannot send obj\[0\]: an instance of class Unregistered .*registerClass\(Unregistered\)/,
  );
  // MPI_Error_string's words: Open MPI's, or MPICH's (with its error stack after them).
  t.regex(
    errors.truncate,
    /MPIError: (MPI_ERR_TRUNCATE: message truncated|Message truncated, error stack:.*) \[class \d+\]/,
  );
  t.true(r.stdout.includes('SENT-NOTHING 0'));
  t.true(r.stdout.includes('SENT-NOTHING 1'));
  t.true(r.stdout.includes('RECEIVED {"echo":"errors"}'));
  t.true(r.stdout.includes('STILL-USABLE'));
});

test('nonblocking: timers run while an irecv waits; many requests complete in any order', async (t) => {
  const r = await mpinode(2, [fixture('nonblocking.mjs')]);
  assertClean(t, r);
  const [ticks] = tagged(r.stdout, 'TICKS ');
  t.truthy(ticks, r.stdout + r.stderr);
  const [count, , waited, , value] = ticks.split(' ');
  t.true(Number(waited) >= 250, `waited ${waited} ms`);
  t.true(Number(count) >= 10, `only ${count} timer ticks while waiting ${waited} ms`);
  t.is(value, '{"hello":"world"}');
  t.regex(tagged(r.stdout, 'MANY ')[0] ?? '', /^ok FIRST \d+ LAST \d+$/);
  t.deepEqual(tagged(r.stdout, 'TEST-PENDING '), ['false']);
  t.deepEqual(tagged(r.stdout, 'CANCEL '), ['CancelledError true true ABORT_ERR']);
  t.true(r.stdout.includes('IBARRIER done'));
});

test('a message over 2 GiB, buffer and value, between two ranks', async (t) => {
  const r = await mpinode(2, ['--max-old-space-size=8192', fixture('large-message.mjs')], { timeout: 180_000 });
  assertClean(t, r);
  const bytes = 2 ** 31 + 4096 + 3;
  t.deepEqual(tagged(r.stdout, 'BUFFER '), [`${bytes} 1,2,3,4,5 COUNT ${bytes}`]);
  t.deepEqual(tagged(r.stdout, 'VALUE '), [`big Uint8Array ${bytes} 1,2,3,4,5`]);
});

/**
 * The libmpi (Open MPI's libmpi, MPICH's libmpich) the addon loads: from `ldd`
 * of the file node-gyp-build picks (in MPI_LOOP_ADDON's folder when set),
 * else from mpicc's library directories.
 */
function libmpiOfAddon() {
  const addon = createRequire(import.meta.url)('node-gyp-build').resolve(process.env.MPI_LOOP_ADDON || root);
  const ldd = spawnSync('ldd', [addon], { encoding: 'utf8' });
  const linked = /^\s*libmpi(ch)?\.so[.\d]*\s+=>\s+(\/\S+)/m
    .exec(ldd.stdout ?? '')
    ?.slice(1)
    .pop();
  if (linked) return linked;
  const dirs = spawnSync('mpicc', ['-showme:libdirs'], { encoding: 'utf8' }).stdout?.trim().split(/\s+/) ?? [];
  for (const dir of dirs.filter((d) => d && fs.existsSync(d))) {
    const found = fs
      .readdirSync(dir)
      .filter((f) => /^libmpi\.so(\.\d+)*$/.test(f))
      .sort((a, b) => b.length - a.length)[0];
    if (found) return path.join(dir, found);
  }
  return null;
}

test('serial fallback: with the MPI library hidden, the package imports and runs as one rank', async (t) => {
  // A private mount namespace hides libmpi from this child only.
  const lib = libmpiOfAddon();
  t.truthy(lib, 'could not tell which libmpi the addon loads (ldd, mpicc -showme:libdirs)');
  const script = `mount --bind /dev/null "$(readlink -f '${lib}')" && exec "${process.execPath}" "${fixture('serial.mjs')}"`;
  const r = await run('unshare', ['-m', 'sh', '-c', script]);
  t.is(r.code, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('mpi-loop:'));
  t.is(warnings.length, 1, r.stderr);
  t.regex(warnings[0], /no MPI library could be loaded \(.*libmpi(ch)?\b.*\)/);
  t.true(r.stdout.includes('AVAILABLE false SIZE 1 RANK 0'), r.stdout);
  t.true(r.stdout.includes('BCAST {"a":1} ALLREDUCE 5 GATHER ["x"] SCATTER y'));
  t.true(r.stdout.includes('BUFFER 1,2'));
  t.true(r.stdout.includes('SELF {"self":true}'));
  t.true(r.stdout.includes('CALL 42 LOOP-SIZE 1'));
});
