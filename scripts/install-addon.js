#!/usr/bin/env node
'use strict';
// npm's "install" hook, both in this repository and for users installing
// mpi-loop from the registry (where devDependencies such as node-gyp are
// absent). Node built-ins only. Never fails the install:
//   - the addon (build/Release, else a prebuild as node-gyp-build resolves it;
//     or the folder MPI_LOOP_ADDON names) loads in a child process, and was
//     built against the MPI that mpicc belongs to -> nothing to do;
//   - else, with an MPI compiler wrapper (mpicc) -> build it with node-gyp
//     (a prebuild for Open MPI that does not load on an MPICH machine, with
//     another libmpi soname, ends up here too; so does the Open MPI prebuild
//     where MPICH is the default MPI beside Open MPI's libraries: it would
//     load, and run under MPICH's mpirun as N one-rank worlds);
//   - else -> one line saying the serial fallback will be used.
// Under scripts/setup.js (MPI_LOOP_SETUP=1) it does nothing: setup's own
// step c builds the addon, and reports a failure once.

const path = require('path');
const native = require('./lib/native');

const root = path.resolve(__dirname, '..');

function main() {
  if (process.env.MPI_LOOP_SETUP === '1') return;

  const dir = native.addonRoot(root);
  const probe = native.probeAddon(dir);
  const wrong = native.implementationMismatch(probe);
  if (probe.ok && !wrong) return;

  if (!native.findMpicc()) {
    console.error(
      'mpi-loop: no MPI library found; the serial fallback will be used (install Open MPI: apt-get install openmpi-bin libopenmpi-dev)',
    );
    return;
  }

  if (wrong) console.error(`mpi-loop: ${wrong}; building the addon from source ...`);
  const b = native.buildAddon(root, dir);
  if (b.ok) {
    const after = native.probeAddon(dir);
    if (after.ok) return;
    console.error(
      `mpi-loop: the native addon was built but does not load (${after.error}); the serial fallback will be used`,
    );
    return;
  }
  console.error(native.tail(b.output, 40));
  console.error(
    `mpi-loop: building the native addon failed (\`${b.command}\`: ${b.status}${b.logFile ? `; full log: ${b.logFile}` : ''}); the serial fallback will be used`,
  );
}

try {
  main();
} catch (err) {
  // An install hook must not break `npm install` over an optional addon.
  console.error(`mpi-loop: native addon check failed (${err && err.message}); the serial fallback will be used`);
}
process.exitCode = 0;
