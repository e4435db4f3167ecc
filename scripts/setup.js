#!/usr/bin/env node
'use strict';
// Makes this checkout ready to run: `npm test`, `npm start` and `npm run bench`
// run it first. Node built-ins only (it runs before `npm install`).
// Idempotent, and silent when nothing is missing. Each step runs only if needed:
//   a. system packages: Open MPI (mpirun + mpicc), tmux, and python3-mpi4py
//      when MPI_LOOP_SETUP_PYTHON=1 (apt-get, as root or through `sudo -n`);
//   b. npm dependencies: `npm install` when node_modules is missing or older
//      than package.json / package-lock.json;
//   c. the native addon: `node-gyp rebuild` when neither build/Release nor a
//      prebuild loads (or the local build is older than its sources);
//   d. TypeScript: `tsc -p tsconfig.json` when dist/ is missing or older than src/.
// Messages go to stderr, so `npm run bench > file` stays clean.

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const native = require('./lib/native');

const root = path.resolve(__dirname, '..');

function say(msg) {
  process.stderr.write(`mpi-loop setup: ${msg}\n`);
}

function fail(step, msg) {
  say(`step ${step} failed: ${msg}`);
  process.exit(1);
}

function exitText(r) {
  if (r.error) return r.error.message;
  return r.status === null ? `killed by signal ${r.signal}` : `exit code ${r.status}`;
}

// ---- a. system packages ---------------------------------------------------

const APT_INSTALL = ['install', '-y', '-q', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300'];

function debInstalled(pkg) {
  if (!native.which('dpkg-query')) return false;
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /\binstall ok installed\b/.test(r.stdout);
}

function pythonHasMpi4py() {
  if (debInstalled('python3-mpi4py')) return true;
  const py = native.which('python3');
  if (!py) return false;
  return spawnSync(py, ['-c', 'import mpi4py'], { stdio: 'ignore' }).status === 0;
}

function missingSystemPackages() {
  const pkgs = [];
  const what = [];
  if (!native.which('mpirun') || !native.which('mpicc')) {
    // openssh-client: Open MPI's launcher (plm rsh) looks for ssh/rsh when
    // mpirun starts, even for a purely local run, and aborts without one. It
    // is a hard dependency of openmpi-bin (openssh-client | ssh-client) anyway;
    // named here so that it is not left to the resolver.
    pkgs.push('openmpi-bin', 'libopenmpi-dev');
    if (!native.which('ssh')) pkgs.push('openssh-client');
    what.push('Open MPI (mpirun, mpicc)');
  }
  if (!native.which('tmux')) {
    pkgs.push('tmux');
    what.push('tmux');
  }
  if (process.env.MPI_LOOP_SETUP_PYTHON === '1' && !pythonHasMpi4py()) {
    pkgs.push('python3-mpi4py');
    what.push('mpi4py');
  }
  return { pkgs, what };
}

function stepSystem() {
  const { pkgs, what } = missingSystemPackages();
  if (pkgs.length === 0) return;

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = !!native.which('apt-get');
  const canSudo =
    !isRoot && hasApt && !!native.which('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;

  if (!hasApt || (!isRoot && !canSudo)) {
    const how = hasApt
      ? `install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}`
      : `install them (Debian package names: ${pkgs.join(' ')}) with your system's package manager`;
    say(`missing ${what.join(', ')}; ${how} (then run this command again)`);
    process.exit(1);
  }

  const prefix = isRoot ? [] : ['sudo', '-n'];
  const apt = (args) => {
    const argv = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args];
    const r = spawnSync(argv[0], argv.slice(1), {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.error || r.status !== 0) {
      process.stderr.write(native.tail(`${r.stdout || ''}${r.stderr || ''}`, 40) + '\n');
      fail('a (system packages)', `\`${argv.join(' ')}\` failed (${exitText(r)})`);
    }
  };

  say(`installing ${what.join(', ')} with apt-get${isRoot ? '' : ' (sudo)'}: ${pkgs.join(' ')} ...`);
  const t0 = Date.now();
  apt(['update', '-q']);
  apt([...APT_INSTALL, ...pkgs]);

  const still = missingSystemPackages();
  if (still.pkgs.length) {
    fail('a (system packages)', `apt-get succeeded but ${still.what.join(', ')} still missing`);
  }
  say(`installed in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
}

// ---- b. npm dependencies ---------------------------------------------------

function stepNpm() {
  const nm = path.join(root, 'node_modules');
  const stamp = path.join(nm, '.package-lock.json'); // npm's hidden lockfile
  const installed = native.mtimeMs(stamp);
  const reason =
    native.mtimeMs(nm) < 0
      ? 'node_modules is missing'
      : installed < 0
        ? 'node_modules/.package-lock.json is missing'
        : native.mtimeMs(path.join(root, 'package.json')) > installed
          ? 'package.json changed'
          : native.mtimeMs(path.join(root, 'package-lock.json')) > installed
            ? 'package-lock.json changed'
            : null;
  if (!reason) return;

  say(`${reason}; running npm install ...`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: root,
    // npm's stdout goes to our stderr: setup never writes to stdout.
    stdio: ['inherit', 2, 2],
    // The package's install hook (scripts/install-addon.js) leaves the addon to step c.
    env: { ...process.env, MPI_LOOP_SETUP: '1' },
  });
  if (r.error || r.status !== 0) fail('b (npm install)', `\`npm install\` failed (${exitText(r)})`);
  // npm leaves the hidden lockfile alone when nothing changed; mark this
  // install as current so that the next run stays quiet.
  try {
    const now = new Date();
    fs.utimesSync(stamp, now, now);
  } catch {
    // no dependencies at all: nothing to mark
  }
}

// ---- c. native addon ------------------------------------------------------

function stepAddon() {
  const probe = native.probeAddon(root);
  let reason = null;
  if (!probe.ok) {
    reason = probe.file
      ? `${path.relative(root, probe.file)} does not load (${probe.error})`
      : probe.error || 'the native addon does not load';
  } else if (probe.kind === 'build' && native.localBuildIsStale(root)) {
    reason = `${native.ADDON_FILE} is older than binding.gyp or src/native`;
  }
  if (!reason) return;

  say(`${reason}; running node-gyp rebuild ...`);
  const b = native.buildAddon(root);
  if (!b.ok) {
    process.stderr.write(native.tail(b.output, 60) + '\n');
    fail(
      'c (native addon)',
      `\`${b.command}\` failed (${b.status})${b.logFile ? `; full log: ${b.logFile}` : ''}`,
    );
  }
  const after = native.probeAddon(root);
  if (!after.ok) fail('c (native addon)', `built, but the addon does not load: ${after.error}`);
}

// ---- d. TypeScript --------------------------------------------------------

const TSC_FAILED_MARK = '.setup-tsc-failed'; // dist/ holds output even when tsc reports errors

function stepTypeScript() {
  const dist = path.join(root, 'dist');
  const srcNewest = Math.max(
    native.newestMtime(path.join(root, 'src'), (n) => /\.(c|m)?ts$/.test(n)),
    native.mtimeMs(path.join(root, 'tsconfig.json')),
  );
  const distNewest = native.newestMtime(dist, (n) => !n.startsWith('.'));
  const failedBefore = fs.existsSync(path.join(dist, TSC_FAILED_MARK));
  const reason =
    distNewest < 0
      ? 'dist/ is missing'
      : failedBefore
        ? 'the last compile failed'
        : srcNewest > distNewest
          ? 'src/ is newer than dist/'
          : null;
  if (!reason) return;

  say(`${reason}; running tsc -p tsconfig.json ...`);
  let cmd = 'npx';
  let args = ['--no', 'tsc', '-p', 'tsconfig.json'];
  try {
    const tscBin = require.resolve('typescript/bin/tsc', { paths: [root] });
    cmd = process.execPath;
    args = [tscBin, '-p', 'tsconfig.json'];
  } catch {
    // fall back to npx
  }
  const r = spawnSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error || r.status !== 0) {
    try {
      fs.mkdirSync(dist, { recursive: true });
      fs.writeFileSync(path.join(dist, TSC_FAILED_MARK), `${new Date().toISOString()}\n`);
    } catch {
      // best effort
    }
    process.stderr.write(native.tail(`${r.stdout || ''}${r.stderr || ''}`, 80) + '\n');
    fail('d (TypeScript)', `\`tsc -p tsconfig.json\` failed (${exitText(r)})`);
  }
  fs.rmSync(path.join(dist, TSC_FAILED_MARK), { force: true });
}

// ---------------------------------------------------------------------------

function main() {
  stepSystem();
  stepNpm();
  stepAddon();
  stepTypeScript();
}

main();
