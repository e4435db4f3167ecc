// Rank 0 of an Open MPI job on a host with more ranks than cores gets a larger
// pool of shared-memory send fragments, so that the commands it sends to every
// worker do not run it out of them; values the user set are kept.
import os from 'node:os';
import test from 'ava';
import { fixture, mpinode, tagged } from './helpers/mpirun.mjs';

const FREE_LIST = 'OMPI_MCA_btl_vader_free_list_max';
const SEGMENT = 'OMPI_MCA_btl_vader_segment_size';
const over = String(os.cpus().length + 1);

test('the choice: rank 0 of an oversubscribed Open MPI job, values the user set kept', async (t) => {
  const { applyRank0SharedMemoryDefaults } = await import('../dist/mpi/shared-memory-settings.js');
  const rank0 = { OMPI_COMM_WORLD_RANK: '0', OMPI_COMM_WORLD_LOCAL_SIZE: over };
  let env = { ...rank0 };
  t.deepEqual(applyRank0SharedMemoryDefaults('Open MPI', env).sort(), [FREE_LIST, SEGMENT].sort());
  t.is(env[FREE_LIST], '4096');
  t.is(env[SEGMENT], String(32 * 1024 * 1024));
  env = { ...rank0, [FREE_LIST]: '777' };
  t.deepEqual(applyRank0SharedMemoryDefaults('Open MPI', env), [SEGMENT]);
  t.is(env[FREE_LIST], '777');
  for (const other of [
    { ...rank0, OMPI_COMM_WORLD_RANK: '1' },
    { ...rank0, OMPI_COMM_WORLD_LOCAL_SIZE: '1' },
    { OMPI_COMM_WORLD_LOCAL_SIZE: over },
  ]) {
    env = { ...other };
    t.deepEqual(applyRank0SharedMemoryDefaults('Open MPI', env), []);
    t.is(env[FREE_LIST], undefined);
  }
  env = { ...rank0 };
  t.deepEqual(applyRank0SharedMemoryDefaults('MPICH', env), []);
});

async function settings(t, n, env = {}) {
  const r = await mpinode(n, [fixture('shared-memory-settings.mjs')], { env });
  t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  const [line] = tagged(r.stdout, 'SETTINGS ');
  t.truthy(line, r.stdout);
  return JSON.parse(line);
}

test(`in a job of ${over} ranks: rank 0 alone has them, under Open MPI, once MPI has started`, async (t) => {
  const { implementation, ranks } = await settings(t, Number(over));
  t.is(ranks.length, Number(over));
  const openMpi = implementation === 'Open MPI';
  t.deepEqual(ranks[0], {
    [FREE_LIST]: openMpi ? '4096' : null,
    [SEGMENT]: openMpi ? String(32 * 1024 * 1024) : null,
  });
  for (const r of ranks.slice(1)) t.deepEqual(r, { [FREE_LIST]: null, [SEGMENT]: null });
});

test('in a job: a value the user gave is kept', async (t) => {
  const { ranks } = await settings(t, Number(over), { [FREE_LIST]: '1024' });
  for (const r of ranks) t.is(r[FREE_LIST], '1024');
});
