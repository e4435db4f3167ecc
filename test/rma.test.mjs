// One-sided communication (Win) on real MPI at 1, 2 and 4 ranks: every RMA
// operation and synchronisation mode, created, allocated and shared windows,
// and bad input that fails on the caller, before anything is sent.
import test from 'ava';
import { fixture, mpinode, mpirunFlavour } from './helpers/mpirun.mjs';
import { assertChecks } from './helpers/fixture-checks.mjs';

// Open MPI 4.1 picks its osc/rdma component by default, which on this kind
// of machine (shared memory only) fails MPI_Win_create on one-process
// communicators, fails window creation on some ranks of a split, and crashes
// on 64-bit Compare_and_swap, all reproducible in C. The sm and pt2pt
// components implement the whole of MPI-3 RMA correctly: the tests use them,
// so that they test this binding rather than that component.
const env = mpirunFlavour === 'Open MPI' ? { OMPI_MCA_osc: 'sm,pt2pt' } : {};

for (const n of [1, 2, 4]) {
  test(`Win: Put/Get/Accumulate/Get_accumulate/Fetch_and_op/Compare_and_swap in every epoch kind at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('rma.mjs')], { timeout: 110_000, env });
    assertChecks(t, r, n, 100);
  });
}
