// An addon built against one MPI, started by the other MPI's launcher (Open
// MPI and MPICH side by side, as Debian installs them): every rank refuses to
// start with an error naming both and the fix, instead of running as a world
// of one rank; the install step and `mpi-loop info` see the mismatch too.
// Real launchers: MPICH's mpiexec.mpich (Hydra) and Open MPI's mpirun.openmpi.
import test from 'ava';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fixture, root, run } from './helpers/mpirun.mjs';
import { tempDir } from './helpers/tmpdir.mjs';
import { hasCommand, testIf } from './helpers/tools.mjs';
import { launchOptions } from '../dist/util/mpirun.js';

const native = createRequire(import.meta.url)('../scripts/lib/native.js');
const cli = path.join(root, 'dist', 'cli', 'main.js');
const spmd = fixture('spmd.mjs');

const mpiexecMpich = native.which('mpiexec.mpich');
const mpirunOpenMpi = native.which('mpirun.openmpi');
const mpichMissing = !mpiexecMpich || !hasCommand('mpicc.mpich');
const reason = 'MPICH is not installed (mpiexec.mpich, mpicc.mpich): apt-get install mpich libmpich-dev';

/** The MPI an addon folder's build (undefined: the package's own addon) is compiled against. */
async function implementationOf(addonDir) {
  const r = await run(process.execPath, ['-p', `require(${JSON.stringify(root)}).addonInfo.implementation`], {
    env: { MPI_LOOP_ADDON: addonDir, MPI_LOOP_QUIET: '1' },
  });
  return r.code === 0 ? r.stdout.trim() : `unloadable (${r.stderr.trim().split('\n')[0]})`;
}

/** A folder of scripts named after MPI commands that exec the given ones: a PATH entry that picks an MPI. */
function shims(t, commands) {
  const dir = tempDir(t, 'mpi-loop-shims-');
  for (const [name, target] of Object.entries(commands)) {
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\nexec ${target} "$@"\n`, { mode: 0o755 });
  }
  return `${dir}${path.delimiter}${process.env.PATH}`;
}

// The package's own addon (the Open MPI prebuild or build) and an MPICH build:
// MPI_LOOP_ADDON's or build-mpich/'s when current (scripts/test-mpich.sh makes
// them), else one built here into a temporary folder.
let openMpiAddon = false;
let mpichAddon = null;
const builtHere = [];

test.before(async (t) => {
  t.timeout(900_000, 'building the addon against MPICH');
  openMpiAddon = (await implementationOf(undefined)) === 'Open MPI';
  if (mpichMissing) return;
  for (const dir of [process.env.MPI_LOOP_ADDON, path.join(root, 'build-mpich')]) {
    if (dir && !native.localBuildIsStale(root, dir) && (await implementationOf(dir)) === 'MPICH') {
      mpichAddon = dir;
      return;
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-mpich-addon-'));
  builtHere.push(dir);
  const b = await run(process.execPath, [path.join(root, 'scripts', 'build-addon.js'), dir], {
    env: { MPICC: 'mpicc.mpich' },
    timeout: 900_000,
  });
  if (b.code !== 0) throw new Error(`building the addon against MPICH failed:\n${b.stderr}`);
  mpichAddon = dir;
});

test.after.always(() => {
  for (const dir of builtHere) fs.rmSync(dir, { recursive: true, force: true });
});

const withMpich = testIf(test, !mpichMissing, reason);
const withBoth = testIf(test, !mpichMissing && !!mpirunOpenMpi, `${reason}; and Open MPI's mpirun.openmpi`);

const mpichLaunch = (n, command, env) =>
  run(mpiexecMpich, ['-n', String(n), ...command], { env: { MPI_LOOP_QUIET: '1', ...env } });
const openMpiLaunch = (n, command, env) =>
  run(mpirunOpenMpi, [...launchOptions('Open MPI', n, { oversubscribe: true }), ...command], {
    env: { MPI_LOOP_QUIET: '1', ...env },
  });

/**
 * openMpiLaunch, with mpirun keeping the ranks running when one exits
 * non-zero: by default it ends the others at once, which can be before a
 * slower rank has printed its own refusal. Its exit status is then 0 whatever
 * the ranks' are.
 */
const openMpiLaunchEveryRank = (n, command, env) =>
  openMpiLaunch(n, command, { OMPI_MCA_orte_abort_on_non_zero_status: '0', ...env });

/** The lines of `text` that carry `phrase`. */
const linesWith = (text, phrase) => text.split('\n').filter((l) => l.includes(phrase));

withMpich(
  "the Open MPI addon under MPICH's mpiexec: every rank refuses to start, naming both MPIs and the fix",
  async (t) => {
    if (!openMpiAddon) return t.fail(`the package's own addon is not an Open MPI build: ${await implementationOf()}`);
    const r = await mpichLaunch(2, [process.execPath, spmd], { MPI_LOOP_ADDON: undefined });
    t.not(r.code, 0, r.stdout);
    t.deepEqual(linesWith(r.stdout, 'SPMD rank'), [], 'the script ran nowhere');
    const said = linesWith(
      r.stderr,
      "the addon is built against Open MPI, but MPICH's mpiexec (Hydra) started this process",
    );
    t.is(said.length, 2, r.stderr);
    t.true(
      said.every((l) => l.includes('rebuild the addon against MPICH') && l.includes('(mpirun.openmpi)')),
      said[0],
    );
  },
);

withBoth(
  "an MPICH build under Open MPI's mpirun: every rank refuses to start, naming both MPIs and the fix",
  async (t) => {
    const phrase = "the addon is built against MPICH, but Open MPI's mpirun started this process";
    const r = await openMpiLaunch(2, [process.execPath, spmd], { MPI_LOOP_ADDON: mpichAddon });
    t.not(r.code, 0, r.stdout);
    t.deepEqual(linesWith(r.stdout, 'SPMD rank'), []);
    t.true(linesWith(r.stderr, phrase).length > 0, r.stderr);
    const every = await openMpiLaunchEveryRank(2, [process.execPath, spmd], { MPI_LOOP_ADDON: mpichAddon });
    t.deepEqual(linesWith(every.stdout, 'SPMD rank'), []);
    const said = linesWith(every.stderr, phrase);
    t.is(said.length, 2, every.stderr);
    t.true(
      said.every((l) => l.includes('rebuild the addon against Open MPI') && l.includes('(mpiexec.mpich)')),
      said[0],
    );
  },
);

withMpich(
  'a launcher whose MPI cannot be told: several ranks started, a world of one seen, an error on each rank',
  async (t) => {
    if (!openMpiAddon) return t.fail(`the package's own addon is not an Open MPI build: ${await implementationOf()}`);
    // Without Hydra's MPI_LOCALNRANKS the ranks see what srun's PMI plugin
    // gives: PMI_SIZE and PMI_RANK, no word on the MPI. The addon loads; MPI
    // then starts each rank as a singleton.
    const r = await mpichLaunch(2, ['env', '-u', 'MPI_LOCALNRANKS', process.execPath, spmd], {
      MPI_LOOP_ADDON: undefined,
    });
    t.not(r.code, 0, r.stdout);
    t.deepEqual(linesWith(r.stdout, 'SPMD rank'), [], 'the script stopped before its first collective');
    for (const rank of [0, 1]) {
      t.is(
        linesWith(
          r.stderr,
          `a PMI launcher started 2 ranks (this is its rank ${rank}), but MPI (Open MPI) sees a world of one rank`,
        ).length,
        1,
        r.stderr,
      );
    }
    t.regex(r.stderr, /the launcher and the MPI library do not match\. To fix: rebuild the addon/);
  },
);

withMpich("the MPICH build under MPICH's mpiexec is one world of all its ranks", async (t) => {
  const r = await mpichLaunch(3, [process.execPath, spmd], { MPI_LOOP_ADDON: mpichAddon });
  t.is(r.code, 0, r.stderr);
  t.deepEqual(
    linesWith(r.stdout, 'SPMD rank')
      .map((l) => /rank (\d) of (\d) sum (\d)/.exec(l).slice(1).join(' '))
      .sort(),
    ['0 3 3', '1 3 3', '2 3 3'],
  );
});

withMpich("info: the Open MPI addon with MPICH's mpirun first on PATH is flagged, with the fix", async (t) => {
  if (!openMpiAddon) return t.fail(`the package's own addon is not an Open MPI build: ${await implementationOf()}`);
  const PATH = shims(t, { mpirun: mpiexecMpich, mpiexec: mpiexecMpich });
  const r = await run(process.execPath, [cli, 'info'], { env: { PATH, MPI_LOOP_ADDON: undefined } });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^addon built for:\s+Open MPI$/m);
  t.regex(r.stdout, /^mpirun:\s+\S+ \(MPICH [\d.]+/m);
  t.regex(
    r.stdout,
    /^mismatch:\s+the addon is built against Open MPI but mpirun is MPICH's: it would start every rank as a one-rank world\. To fix: rebuild the addon against MPICH/m,
  );

  const same = await run(process.execPath, [cli, 'info'], { env: { PATH, MPI_LOOP_ADDON: mpichAddon } });
  t.is(same.code, 0, same.stderr);
  t.regex(same.stdout, /^addon built for:\s+MPICH$/m);
  t.notRegex(same.stdout, /^mismatch:/m);
});

withMpich(
  "install step: with MPICH's mpicc first on PATH, an Open MPI addon that loads is found to be the wrong one",
  async (t) => {
    if (!openMpiAddon) return t.fail(`the package's own addon is not an Open MPI build: ${await implementationOf()}`);
    // The Open MPI addon, as the folder the install step would load.
    const dir = tempDir(t);
    fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
    const file = createRequire(import.meta.url)('node-gyp-build').resolve(root);
    fs.copyFileSync(file, path.join(dir, native.ADDON_FILE));
    const check = `const n = require(${JSON.stringify(path.join(root, 'scripts', 'lib', 'native.js'))});
    const p = n.probeAddon(${JSON.stringify(dir)});
    console.log(JSON.stringify({ ok: p.ok, implementation: p.implementation, wrong: n.implementationMismatch(p) }));`;
    const ask = async (PATH) =>
      JSON.parse((await run(process.execPath, ['-e', check], { env: { PATH, MPICC: undefined } })).stdout);

    const underMpich = await ask(shims(t, { mpicc: 'mpicc.mpich' }));
    t.like(underMpich, { ok: true, implementation: 'Open MPI' });
    t.is(underMpich.wrong, `${native.ADDON_FILE} is built against Open MPI, but the MPI here (mpicc) is MPICH`);

    if (native.which('mpicc.openmpi')) {
      const underOpenMpi = await ask(shims(t, { mpicc: 'mpicc.openmpi' }));
      t.like(underOpenMpi, { ok: true, implementation: 'Open MPI', wrong: null });
    }
  },
);
