#!/usr/bin/env bash
# Runs the test suite under MPICH, beside the Open MPI that stays the system's
# default: installs MPICH if missing (scripts/setup.js, MPI_LOOP_SETUP_MPICH=1),
# puts a folder of shims first on PATH (mpicc, mpicxx, mpirun, mpiexec ->
# Debian's *.mpich commands; the system alternatives are left alone; scripts
# that exec, not symlinks: Hydra looks for hydra_pmi_proxy beside the
# mpiexec it was started as), builds
# the addon against MPICH into build-mpich/ (MPI_LOOP_ADDON, so the Open MPI
# build and prebuild stay as they are) and runs ava with the arguments given:
#   scripts/test-mpich.sh                      # the whole suite
#   scripts/test-mpich.sh test/cli.test.mjs    # one file
# The tests that start many processes (test/bench*.test.mjs and
# test/many-ranks.test.mjs) run after the rest under their own config
# (ava.alone.config.mjs), as in npm test; name them on their own to run them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

MPI_LOOP_SETUP_MPICH=1 node scripts/setup.js </dev/null

shims="$(mktemp -d "${TMPDIR:-/tmp}/mpi-loop-mpich.XXXXXX")"
trap 'rm -rf "$shims"' EXIT
for pair in mpicc:mpicc.mpich mpicxx:mpicxx.mpich mpirun:mpirun.mpich mpiexec:mpiexec.mpich; do
  target="$(command -v "${pair#*:}")"
  printf '#!/bin/sh\nexec %s "$@"\n' "$target" >"$shims/${pair%%:*}"
  chmod +x "$shims/${pair%%:*}"
done
export PATH="$shims:$PATH"
export MPI_LOOP_ADDON="$root/build-mpich"

# Builds build-mpich/ when missing or older than the native sources.
node scripts/setup.js </dev/null
echo "mpirun: $(mpirun --version 2>&1 | head -n 1)"
echo "addon: $(node -p "const i = require('./dist/index.js').addonInfo; i.file + ' (' + i.implementation + ')'")"

if [ $# -eq 0 ]; then
  npx --no ava && npx --no -- ava --config ava.alone.config.mjs
elif [[ "$1" == *bench*.test.mjs || "$1" == *many-ranks.test.mjs ]]; then
  npx --no -- ava --config ava.alone.config.mjs "$@"
else
  npx --no ava "$@"
fi
