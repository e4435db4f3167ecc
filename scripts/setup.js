#!/usr/bin/env node
'use strict';
// Makes this checkout ready to run: `npm test`, `npm start` and `npm run bench`
// run it first. Node built-ins only (it runs before `npm install`).
// Idempotent, and silent when nothing is missing. Each step runs only if needed:
//   a. system packages (apt-get, as root or through `sudo -n`): Open MPI
//      (mpirun + mpicc); for the tests and the benchmarks, tmux, `script`
//      (bsdutils) and /usr/bin/python3's mpi4py and NumPy (python3-mpi4py,
//      python3-numpy; MPI_LOOP_SETUP_PYTHON=0 leaves them out); with
//      MPI_LOOP_SETUP_MPICH=1 also MPICH (mpich, libmpich-dev) beside Open
//      MPI (Debian's alternatives keep Open MPI the default: its priority is
//      higher). Without a way to install, it prints the command: Open MPI
//      (or the MPICH asked for) missing stops here, the others only make the
//      tests that need them skip;
//   b. npm dependencies: `npm install` when node_modules is missing or older
//      than package.json / package-lock.json;
//   c. the native addon: `node-gyp rebuild` when neither build/Release nor a
//      prebuild loads, the local build is older than its sources, or the
//      addon that loads is built against another MPI than mpicc's (the Open
//      MPI prebuild where MPICH is the default); into $MPI_LOOP_ADDON when set;
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

/** The Debian packages of `pkgs` that dpkg reports installed; null without dpkg. */
function debInstalled(pkgs) {
  if (!native.which('dpkg-query')) return null;
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...pkgs], { encoding: 'utf8' });
  return new Set(
    (r.stdout || '')
      .split('\n')
      .filter((l) => /\binstall ok installed$/.test(l))
      .map((l) => l.split(' ')[0]),
  );
}

// The bench's Python baselines run Debian's mpi4py and NumPy, which belong to
// /usr/bin/python3 (a python3 from pyenv or a venv cannot import them).
const PYTHON_MODULES = [
  { pkg: 'python3-mpi4py', module: 'mpi4py' },
  { pkg: 'python3-numpy', module: 'numpy' },
];

// Where Debian's packages put them: a file test, cheaper than asking dpkg.
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

function missingPythonModules() {
  if (process.env.MPI_LOOP_SETUP_PYTHON === '0') return [];
  const unseen = PYTHON_MODULES.filter((m) => !fs.existsSync(path.join(DIST_PACKAGES, m.module, '__init__.py')));
  if (unseen.length === 0) return [];
  const dpkg = debInstalled(PYTHON_MODULES.map((m) => m.pkg));
  if (dpkg) return PYTHON_MODULES.filter((m) => !dpkg.has(m.pkg)); // the fast answer, without starting Python
  const py = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : native.which('python3');
  return PYTHON_MODULES.filter(
    (m) => !py || spawnSync(py, ['-c', `import ${m.module}`], { stdio: 'ignore' }).status !== 0,
  );
}

/**
 * What is missing: `required` (nothing runs without it) or for the tests and
 * the benchmarks only (the tests that need a tool skip, saying so, without it).
 */
function missingSystemPackages() {
  const missing = [];
  if (!native.which('mpirun') || !native.which('mpicc')) {
    // openssh-client: Open MPI's launcher (plm rsh) looks for ssh/rsh when
    // mpirun starts, even for a purely local run, and aborts without one. It
    // is a hard dependency of openmpi-bin (openssh-client | ssh-client) anyway;
    // named here so that it is not left to the resolver.
    const pkgs = ['openmpi-bin', 'libopenmpi-dev', ...(native.which('ssh') ? [] : ['openssh-client'])];
    missing.push({ pkgs, what: 'Open MPI (mpirun, mpicc)', required: true });
  }
  // The suite's second run, under MPICH (scripts/test-mpich.sh), beside Open MPI.
  if (process.env.MPI_LOOP_SETUP_MPICH === '1' && !(native.which('mpicc.mpich') && native.which('mpiexec.mpich'))) {
    missing.push({ pkgs: ['mpich', 'libmpich-dev'], what: 'MPICH (mpiexec.mpich, mpicc.mpich)', required: true });
  }
  if (!native.which('tmux')) missing.push({ pkgs: ['tmux'], what: 'tmux (the REPL tests)', required: false });
  if (!native.which('script'))
    missing.push({ pkgs: ['bsdutils'], what: 'script (the progress-bar test)', required: false });
  for (const m of missingPythonModules()) {
    missing.push({
      pkgs: [m.pkg],
      what: `${m.module} for /usr/bin/python3 (the bench's Python baselines)`,
      required: false,
    });
  }
  return missing;
}

function stepSystem() {
  const missing = missingSystemPackages();
  if (missing.length === 0) return;
  const pkgs = missing.flatMap((m) => m.pkgs);
  const what = missing.map((m) => m.what).join(', ');

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = !!native.which('apt-get');
  const canSudo =
    !isRoot && hasApt && !!native.which('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;

  if (!hasApt || (!isRoot && !canSudo)) {
    const how = hasApt
      ? `install with: ${isRoot ? '' : 'sudo '}apt-get update && ${isRoot ? '' : 'sudo '}apt-get install -y --no-install-recommends ${pkgs.join(' ')}`
      : `install them (Debian package names: ${pkgs.join(' ')}) with your system's package manager`;
    if (missing.some((m) => m.required)) {
      say(`missing ${what}; ${how} (then run this command again)`);
      process.exit(1);
    }
    // Only the tests and the benchmarks need these: go on, and say how to add them.
    say(`missing ${what}; the tests that need them are skipped and say so; ${how}`);
    return;
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

  say(`installing ${what} with apt-get${isRoot ? '' : ' (sudo)'}: ${pkgs.join(' ')} ...`);
  const t0 = Date.now();
  apt(['update', '-q']);
  apt([...APT_INSTALL, ...pkgs]);

  const still = missingSystemPackages();
  if (still.length) {
    fail('a (system packages)', `apt-get succeeded but ${still.map((m) => m.what).join(', ')} still missing`);
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
  const dir = native.addonRoot(root);
  const probe = native.probeAddon(dir);
  const reason = !probe.ok
    ? probe.file
      ? `${path.relative(root, probe.file)} does not load (${probe.error})`
      : probe.error || 'the native addon does not load'
    : probe.kind === 'build' && native.localBuildIsStale(root, dir)
      ? `${path.relative(root, path.join(dir, native.ADDON_FILE))} is older than binding.gyp or src/native`
      : native.implementationMismatch(probe);
  if (!reason) return;

  say(`${reason}; running node-gyp rebuild${dir === root ? '' : ` in ${path.relative(root, dir) || dir}`} ...`);
  const b = native.buildAddon(root, dir);
  if (!b.ok) {
    process.stderr.write(native.tail(b.output, 60) + '\n');
    fail('c (native addon)', `\`${b.command}\` failed (${b.status})${b.logFile ? `; full log: ${b.logFile}` : ''}`);
  }
  const after = native.probeAddon(dir);
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
