#!/usr/bin/env node
'use strict';
// Builds the native addon against the MPI that mpicc ($MPICC, else the first
// on PATH) belongs to, into a folder of its own, so that one checkout can hold
// an Open MPI and an MPICH build side by side:
//   MPICC=mpicc.mpich node scripts/build-addon.js build-mpich
//   MPI_LOOP_ADDON=build-mpich mpiexec.mpich -n 2 node script.mjs
// The folder defaults to $MPI_LOOP_ADDON, else the package (build/Release).
// Prints the built file and its implementation; exits non-zero on failure.

const path = require('path');
const native = require('./lib/native');

const root = path.resolve(__dirname, '..');

function main() {
  const arg = process.argv[2];
  if (arg === '--help' || arg === '-h' || process.argv.length > 3) {
    process.stderr.write('usage: node scripts/build-addon.js [folder]\n');
    return arg === '--help' || arg === '-h' ? 0 : 2;
  }
  const dir = arg ? path.resolve(arg) : native.addonRoot(root);
  const implementation = native.mpiToBuild();
  if (!implementation) {
    process.stderr.write('mpi-loop: no MPI compiler found (mpicc on PATH, or set MPICC)\n');
    return 1;
  }
  const b = native.buildAddon(root, dir);
  if (!b.ok) {
    process.stderr.write(native.tail(b.output, 40) + '\n');
    process.stderr.write(`mpi-loop: \`${b.command}\` failed (${b.status}); full log: ${b.logFile}\n`);
    return 1;
  }
  const probe = native.probeAddon(dir);
  if (!probe.ok) {
    process.stderr.write(`mpi-loop: built, but the addon does not load: ${probe.error}\n`);
    return 1;
  }
  process.stdout.write(`${probe.file} (${probe.implementation})\n`);
  return 0;
}

process.exitCode = main();
