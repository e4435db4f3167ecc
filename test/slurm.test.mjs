// Slurm as a launcher: a one-node Slurm on this machine (test/helpers/slurm.mjs);
// the loop, a fault and the REPL through salloc + mpirun, sbatch and srun.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyed, mpirunFlavour, root, tagged } from './helpers/mpirun.mjs';
import { slurmUnavailable, startSlurm } from './helpers/slurm.mjs';

const unavailable = slurmUnavailable();
const serial = unavailable ? test.serial.skip : test.serial;
if (unavailable) test.skip(`Slurm tests skipped: ${unavailable}`, () => {});

const node = process.execPath;
const cli = path.join(root, 'dist', 'cli', 'main.js');
const register = path.join(root, 'dist', 'register.js');
const fx = (name) => path.join(root, 'test', 'fixtures', 'cluster', name);
/** Each rank's spin after a command with 4 ranks on this one node: none when they outnumber the cores. */
const spin4 = 4 > os.cpus().length ? 0 : 2000;

let slurm;
test.before(async () => {
  if (!unavailable) slurm = await startSlurm();
});
test.after.always(async () => {
  await slurm?.stop();
});

serial("salloc: mpi-loop run takes the allocation's size, refuses more, and ends on a fault", async (t) => {
  const script = [
    `${node} ${cli} run ${fx('loop.mjs')}; echo STATUS $?`,
    `${node} ${cli} run -n 6 ${fx('loop.mjs')}; echo STATUS $?`,
    `FAULT=throw ${node} ${cli} run ${fx('fault.mjs')}; echo STATUS $?`,
  ].join('\n');
  const r = await slurm.cmd(['salloc', '-n', '4', 'sh', '-c', script], { timeout: 120_000 });
  t.is(r.code, 0, r.stderr);
  const out = keyed(r.stdout);
  t.is(out.HOSTS.length, 4, 'four ranks, from SLURM_NTASKS');
  t.is(out.AFTER_ERROR, 4);
  const statuses = tagged(r.stdout, 'STATUS ').map(Number);
  t.deepEqual(statuses.slice(0, 2), [0, 2]);
  t.not(statuses[2], 0);
  t.regex(r.stderr, /mpi-loop run: -n 6 is more than the 4 tasks of Slurm job \d+ \(SLURM_NTASKS\)/);
  t.regex(r.stderr, /RemoteError: rank 3: Error: failed on/);
});

serial("salloc: mpi-loop repl without -n starts the allocation's ranks", async (t) => {
  const r = await slurm.cmd(['salloc', '-n', '3', node, cli, 'repl'], {
    input: '.px rank * 10\nawait call((x) => x + 1, 41)\n',
  });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '[rank 0] 0\n[rank 1] 10\n[rank 2] 20\n42\n');
  t.regex(r.stderr, /starting 3 ranks/);
});

serial('sbatch: mpi-loop run in a batch script, the loop and a killed worker', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-batch-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const batch = path.join(dir, 'job.sh');
  fs.writeFileSync(
    batch,
    [
      '#!/bin/sh',
      '#SBATCH -n 4',
      `${node} ${cli} run ${fx('loop.mjs')}; echo STATUS $?`,
      `FAULT=kill ${node} ${cli} run ${fx('fault.mjs')}; echo STATUS $?`,
      '',
    ].join('\n'),
  );
  const output = path.join(dir, 'out.txt');
  const r = await slurm.cmd(['sbatch', '--wait', '-o', output, batch], { timeout: 120_000 });
  t.is(r.code, 0, r.stderr);
  const text = fs.readFileSync(output, 'utf8');
  const out = keyed(text);
  t.is(out.HOSTS.length, 4);
  t.like(out.REMOTE_ERROR, { remote: true, rank: 3 });
  const statuses = tagged(text, 'STATUS ').map(Number);
  t.is(statuses[0], 0, text);
  t.not(statuses[1], 0, 'the killed worker ends the second job');
  // Open MPI's mpirun names the rank; MPICH's Hydra only the signal.
  t.regex(text, mpirunFlavour === 'Open MPI' ? /rank 3 .*(signal 9|Killed)/ : /Killed \(signal 9\)/);
});

serial(
  "srun: ranks, node-local counts and the idle strategy from Slurm's variables; a fault ends the step",
  async (t) => {
    const r = await slurm.cmd(['srun', '-n', '4', node, '-r', register, fx('loop.mjs')]);
    t.is(r.code, 0, r.stderr);
    const out = keyed(r.stdout);
    t.deepEqual(out.HOSTS, Array(4).fill(out.HOSTS[0]));
    t.deepEqual(out.LOCAL, Array(4).fill([4, spin4]), 'four ranks on this node, as srun says');
    t.is(out.AFTER_ERROR, 4);
    const f = await slurm.cmd(['srun', '-n', '4', node, '-r', register, fx('fault.mjs')], { env: { FAULT: 'throw' } });
    t.false(f.timedOut);
    t.not(f.code, 0);
    t.notRegex(f.stdout, /NOT-REACHED/);
    t.regex(f.stderr, /RemoteError: rank 3: Error: failed on/);
  },
);

serial('srun: a REPL piped in runs on rank 0 only, though srun feeds every task', async (t) => {
  const r = await slurm.cmd(['srun', '-n', '4', node, '-r', register], {
    input: '.px rank * 10\nawait call((x) => x + 1, 41)\n',
  });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '[rank 0] 0\n[rank 1] 10\n[rank 2] 20\n[rank 3] 30\n42\n');
  t.notRegex(r.stderr, /ReferenceError/);
});
