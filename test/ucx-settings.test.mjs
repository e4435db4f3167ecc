// UCX settings for an addon linked against MPICH: set before it loads, only
// for MPICH's library, never over a value the user chose.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './helpers/mpirun.mjs';
import { tempDir } from './helpers/tmpdir.mjs';

const settings = path.join(root, 'dist', 'mpi', 'ucx-settings.js');
const { applyMpichUcxDefaults, MPICH_UCX_DEFAULTS } = await import(settings);

test('an addon naming libmpich gets UCX_MEM_EVENTS=no; a value already set is kept; other addons get nothing', (t) => {
  const dir = tempDir(t, 'mpi-loop-ucx-');
  const mpich = path.join(dir, 'mpich.node');
  const ompi = path.join(dir, 'ompi.node');
  fs.writeFileSync(mpich, Buffer.concat([Buffer.alloc(64), Buffer.from('libmpich.so.12\0'), Buffer.alloc(64)]));
  fs.writeFileSync(ompi, Buffer.concat([Buffer.alloc(64), Buffer.from('libmpi.so.40\0'), Buffer.alloc(64)]));
  t.deepEqual(MPICH_UCX_DEFAULTS, { UCX_MEM_EVENTS: 'no' });

  const env = {};
  t.deepEqual(applyMpichUcxDefaults(mpich, env), ['UCX_MEM_EVENTS']);
  t.is(env.UCX_MEM_EVENTS, 'no');

  const chosen = { UCX_MEM_EVENTS: 'yes' };
  t.deepEqual(applyMpichUcxDefaults(mpich, chosen), []);
  t.is(chosen.UCX_MEM_EVENTS, 'yes', "the user's value stands");

  const other = {};
  t.deepEqual(applyMpichUcxDefaults(ompi, other), []);
  t.deepEqual(other, {});
  t.deepEqual(applyMpichUcxDefaults(path.join(dir, 'missing.node'), other), []);
});

test("loading the package sets the defaults exactly when the addon it loads is MPICH's", (t) => {
  const env = { ...process.env, MPI_LOOP_QUIET: '1' };
  delete env.UCX_MEM_EVENTS;
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `const m = require(${JSON.stringify(path.join(root, 'dist', 'index.js'))});` +
        'console.log(JSON.stringify([m.addonInfo.implementation, process.env.UCX_MEM_EVENTS ?? null]))',
    ],
    { encoding: 'utf8', env, timeout: 60_000 },
  );
  t.is(r.status, 0, r.stderr);
  const [implementation, value] = JSON.parse(r.stdout.trim());
  t.is(value, implementation === 'MPICH' ? 'no' : null, `addon: ${implementation}`);
});
