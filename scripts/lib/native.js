'use strict';
// Shared by scripts/setup.js and scripts/install-addon.js. Node built-ins only:
// this runs before `npm install` (setup.js) and from npm's install hook, where
// devDependencies may be absent.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ADDON_FILE = path.join('build', 'Release', 'mpi_loop.node');

/**
 * Where the addon is built and loaded from: the package itself, or the folder
 * MPI_LOOP_ADDON names (a build against another MPI, e.g. MPICH beside the
 * Open MPI prebuild; the loader in src/mpi/addon-loader.ts reads it too).
 */
function addonRoot(root) {
  return process.env.MPI_LOOP_ADDON ? path.resolve(process.env.MPI_LOOP_ADDON) : root;
}

/** Absolute path of an executable named `cmd` on PATH, or null. */
function which(cmd, envPath = process.env.PATH || '') {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, cmd);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** mtime of the newest file under `dir` whose name passes `filter` (-1 if none). */
function newestMtime(dir, filter) {
  let newest = -1;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return -1;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      newest = Math.max(newest, newestMtime(full, filter));
    } else if (filter(e.name)) {
      newest = Math.max(newest, mtimeMs(full));
    }
  }
  return newest;
}

// Runs in a child process (`node -e`), so that a broken or foreign addon (a
// prebuild linked against another MPI's libmpi soname, a stale ABI, ...) can
// neither crash nor pollute the caller. Mirrors node-gyp-build's order: a
// local build in build/Release wins over prebuilds/<platform>-<arch>/.
// Prints one JSON line; exit code 0 iff the addon node-gyp-build would pick loads.
const PROBE_SOURCE = String.raw`
const fs = require('fs'), path = require('path');
const root = process.argv[1];
const out = { ok: false, file: null, kind: null, error: null, implementation: null };
const firstLine = (e) => String((e && e.message) || e).split('\n')[0];
function tryLoad(kind, file) {
  out.kind = kind; out.file = file;
  try {
    const addon = require(file);
    out.ok = true;
    out.implementation = (addon.constants && addon.constants.IMPLEMENTATION) || null;
  } catch (e) { out.error = firstLine(e); }
}
const release = path.join(root, 'build', 'Release', 'mpi_loop.node');
if (fs.existsSync(release)) {
  tryLoad('build', release);
} else {
  let prebuild = null;
  try {
    process.env.PREBUILDS_ONLY = '1';
    const ngb = require(require.resolve('node-gyp-build', { paths: [root] }));
    prebuild = ngb.resolve(root);
  } catch (e) {
    if (!/No native build was found/.test(String(e && e.message))) {
      // node-gyp-build not installed: minimal resolver for prebuilds/<platform>-<arch>/
      try {
        const dir = path.join(root, 'prebuilds', process.platform + '-' + process.arch);
        const fits = (f) => {
          const tags = f.split('.').slice(0, -1);
          if (tags.some((t) => t === 'electron' || t === 'node-webkit' || t === 'musl')) return false;
          const abi = tags.find((t) => /^abi\d+$/.test(t));
          return !abi || abi === 'abi' + process.versions.modules || tags.includes('napi');
        };
        const pick = fs.readdirSync(dir).filter((f) => f.endsWith('.node') && fits(f))[0];
        if (pick) prebuild = path.join(dir, pick);
      } catch {}
    }
  }
  if (prebuild) tryLoad('prebuild', prebuild);
  else out.error = 'no addon: neither build/Release/mpi_loop.node nor a prebuild for ' + process.platform + '-' + process.arch;
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exitCode = out.ok ? 0 : 1;
`;

/**
 * Does the addon load? Returns { ok, file, kind: 'build'|'prebuild'|null,
 * error, implementation } (the MPI it was compiled against, when it loads).
 */
function probeAddon(root) {
  // A folder for a build against another MPI (MPI_LOOP_ADDON) before its first build.
  if (!fs.existsSync(root)) return { ok: false, file: null, kind: null, error: `${root} holds no build yet` };
  const r = spawnSync(process.execPath, ['-e', PROBE_SOURCE, root], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = (r.stdout || '').trim().split('\n').pop();
  try {
    const out = JSON.parse(line);
    if (out && typeof out.ok === 'boolean') {
      if (out.ok && r.status !== 0) {
        out.ok = false;
        out.error = `${out.file} loaded, but node then exited with ${r.status === null ? 'signal ' + r.signal : 'code ' + r.status}`;
      }
      return out;
    }
  } catch {
    // fall through
  }
  const why = r.error
    ? r.error.message
    : `probe exited with ${r.status === null ? 'signal ' + r.signal : 'code ' + r.status}`;
  const stderr = (r.stderr || '').trim().split('\n').filter(Boolean).pop();
  return { ok: false, file: null, kind: null, error: stderr ? `${why}: ${stderr}` : why };
}

/** True when binding.gyp or a native source is newer than the local build (in `dir`, the package's by default). */
function localBuildIsStale(root, dir = root) {
  const built = mtimeMs(path.join(dir, ADDON_FILE));
  if (built < 0) return false;
  const srcNewest = Math.max(
    mtimeMs(path.join(root, 'binding.gyp')),
    newestMtime(path.join(root, 'src', 'native'), (n) => /\.(cc|cpp|cxx|c|h|hh|hpp)$/.test(n)),
  );
  return srcNewest > built;
}

/** The implementation ('Open MPI', 'MPICH', 'MPI') a build would compile against, or null without MPI. */
function mpiToBuild() {
  const found = require('../mpi-flags').detect();
  return found ? found.implementation : null;
}

/**
 * Why the addon that loads is the wrong one for this machine: it was compiled
 * against another MPI than the one a build would use (the Open MPI prebuild
 * where mpicc is MPICH's), else null. Unknown implementations never differ.
 */
function implementationMismatch(probe) {
  if (!probe.ok || !probe.implementation || probe.implementation === 'MPI') return null;
  const here = mpiToBuild();
  if (!here || here === 'MPI' || here === probe.implementation) return null;
  return `${probe.kind === 'prebuild' ? 'the prebuild' : ADDON_FILE} is built against ${probe.implementation}, but the MPI here (mpicc) is ${here}`;
}

/** Is an MPI C compiler wrapper available (what binding.gyp builds with)? */
function findMpicc() {
  if (process.env.MPICC && fs.existsSync(process.env.MPICC)) return process.env.MPICC;
  return which('mpicc');
}

/**
 * How to run node-gyp, without relying on devDependencies:
 * 1. the project's own node-gyp (devDependency; what `npm run build:native` uses),
 * 2. the one npm hands to install hooks (npm_config_node_gyp, bundled with npm),
 * 3. the node-gyp bundled with the npm installed next to this node,
 * 4. `npx --yes node-gyp@11` (downloads it from the registry).
 * Returns [command, argsPrefix].
 */
function nodeGypCommand(root) {
  const candidates = [];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] }));
  } catch {
    // not installed
  }
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  candidates.push(path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  for (const c of candidates) {
    if (c && /\.js$/.test(c) && fs.existsSync(c)) return [process.execPath, [c]];
  }
  return ['npx', ['--yes', 'node-gyp@11']];
}

/**
 * Extra node-gyp flags. npm passes its `nodedir` config to scripts as
 * npm_config_nodedir; when we are run outside npm (e.g. `node scripts/setup.js`)
 * and the headers installed with this node binary are present, build against
 * them instead of letting node-gyp download headers (there may be no network).
 */
function nodeGypExtraArgs() {
  const args = ['--jobs=max'];
  if (!process.env.npm_config_nodedir) {
    const prefix = path.resolve(path.dirname(process.execPath), '..');
    const inc = path.join(prefix, 'include', 'node');
    if (fs.existsSync(path.join(inc, 'node_api.h')) && fs.existsSync(path.join(inc, 'common.gypi'))) {
      args.push(`--nodedir=${prefix}`);
    }
  }
  return args;
}

/**
 * `node-gyp rebuild` with its output (stdout and stderr interleaved) captured
 * in a log file, shown by the caller on failure. Returns
 * { ok, command, status, output, logFile } (logFile kept only on failure).
 */
function buildAddon(root, dir = root) {
  if (dir !== root) writeBindingFor(root, dir);
  const [cmd, pre] = nodeGypCommand(root);
  const args = [...pre, 'rebuild', ...nodeGypExtraArgs()];
  const logFile = path.join(os.tmpdir(), `mpi-loop-node-gyp-${process.pid}-${Date.now()}.log`);
  const fd = fs.openSync(logFile, 'w');
  let r;
  try {
    r = spawnSync(cmd, args, {
      cwd: dir,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, npm_config_loglevel: process.env.npm_config_loglevel || 'error' },
    });
  } finally {
    fs.closeSync(fd);
  }
  let output = '';
  try {
    output = fs.readFileSync(logFile, 'utf8');
  } catch {
    // unreadable log: report the status only
  }
  if (r.error) output += `\n${r.error.message}\n`;
  const ok = !r.error && r.status === 0;
  if (ok) fs.rmSync(logFile, { force: true });
  return {
    ok,
    command: [cmd === process.execPath ? 'node' : cmd, ...args].join(' '),
    status: r.error ? r.error.message : r.status === null ? `signal ${r.signal}` : `code ${r.status}`,
    output,
    logFile: ok ? null : logFile,
  };
}

/**
 * A binding.gyp in `dir` that builds the package's sources there: source
 * paths relative to `dir` (gyp's make output wants them relative), and the
 * commands gyp runs (in `dir`) pointed at the package.
 */
function writeBindingFor(root, dir) {
  const gyp = JSON.parse(fs.readFileSync(path.join(root, 'binding.gyp'), 'utf8'));
  const addonApi = path.dirname(require.resolve('node-addon-api/package.json', { paths: [root] }));
  const flags = path.join(root, 'scripts', 'mpi-flags.js');
  const fix = (v) =>
    typeof v === 'string'
      ? v.replace(/require\('node-addon-api'\)/g, `require('${addonApi}')`).replace('scripts/mpi-flags.js', flags)
      : Array.isArray(v)
        ? v.map(fix)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)]))
          : v;
  for (const target of gyp.targets) target.sources = target.sources.map((s) => path.relative(dir, path.join(root, s)));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'binding.gyp'), `${JSON.stringify(fix(gyp), null, 2)}\n`);
}

/** The last `n` lines of `text`, for showing a failed build. */
function tail(text, n) {
  const lines = String(text).replace(/\s+$/, '').split('\n');
  return (lines.length > n ? [`... (${lines.length - n} earlier lines)`, ...lines.slice(-n)] : lines).join('\n');
}

module.exports = {
  ADDON_FILE,
  addonRoot,
  which,
  mtimeMs,
  newestMtime,
  probeAddon,
  localBuildIsStale,
  findMpicc,
  mpiToBuild,
  implementationMismatch,
  buildAddon,
  tail,
};
