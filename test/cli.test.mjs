// The `mpi-loop` command line: help, usage errors, `run` and its
// exit statuses, `info`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { cores, mpirunFlavour, mpirunOptions as mpirunArgs, mpirunPath, root, run } from './helpers/mpirun.mjs';
import { processesWith, waitUntil } from './helpers/processes.mjs';
import { closeTerminals, hasTmux, noTmuxReason, Terminal } from './helpers/tmux.mjs';
import { testIf } from './helpers/tools.mjs';

const cli = path.join(root, 'dist', 'cli', 'main.js');
const fixture = (name) => path.join('test', 'fixtures', 'cli', name);
const mpiLoop = (args, options) => run(process.execPath, [cli, ...args], options);
const isRoot = process.getuid() === 0;
const subcommands = ['run', 'repl', 'attach', 'info', 'bench', 'futures'];

test.after.always(closeTerminals);

/** One line on stderr, naming the command. */
function oneLine(t, r, pattern) {
  t.is(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
  t.regex(r.stderr, pattern);
}

test('--help lists every subcommand', async (t) => {
  const r = await mpiLoop(['--help']);
  t.is(r.code, 0);
  t.regex(r.stdout, /^Usage: mpi-loop <command>/);
  for (const c of subcommands) t.regex(r.stdout, new RegExp(`^  ${c}\\s+\\S`, 'm'));
});

for (const c of subcommands) {
  test(`mpi-loop ${c} --help`, async (t) => {
    const r = await mpiLoop([c, '--help']);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`^usage: mpi-loop ${c}`, 'i'));
    const viaHelp = await mpiLoop(['help', c]);
    t.is(viaHelp.stdout, r.stdout);
  });
}

test('bad usage: a non-zero exit and a one-line reason', async (t) => {
  const cases = [
    [[], 2, /^mpi-loop: missing a command/],
    [['frobnicate'], 2, /^mpi-loop: unknown command "frobnicate"/],
    [['run', fixture('exit-code.mjs')], 2, /^mpi-loop run: missing -n N/],
    [['run', '-n', '0', fixture('exit-code.mjs')], 2, /^mpi-loop run: -n needs a positive number of ranks, got "0"/],
    [['run', '-n', 'two', fixture('exit-code.mjs')], 2, /^mpi-loop run: -n needs a positive number/],
    [['run', '-n', '2'], 2, /^mpi-loop run: missing the script to run/],
    [['run', '-n', '2', '-x'], 2, /^mpi-loop run: -x needs a value/],
    [['repl', '-n', '2', 'script.js'], 2, /^mpi-loop repl: unexpected argument "script.js"/],
    [['repl'], 2, /^mpi-loop repl: missing -n N/],
    [['attach'], 2, /^mpi-loop attach: missing the address/],
    [['attach', '/nonexistent/repl.sock'], 1, /^mpi-loop attach: no REPL at \/nonexistent\/repl.sock/],
    [['info', 'extra'], 2, /^mpi-loop info: unexpected argument "extra"/],
  ];
  for (const [args, code, pattern] of cases) {
    const r = await mpiLoop(args);
    t.is(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    oneLine(t, r, pattern);
    t.is(r.stdout, '', args.join(' '));
  }
});

test('run: a script that ends normally exits 0', async (t) => {
  const r = await mpiLoop(['run', '-n', '2', fixture('exit-code.mjs'), '0']);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'RANKS 2\n');
});

test("run: the job's status is the script's exit status", async (t) => {
  const r = await mpiLoop(['run', '-n', '2', fixture('exit-code.mjs'), '3']);
  t.is(r.code, 3, r.stderr);
  t.true(r.stdout.includes('RANKS 2'));
});

test('run: an uncaught error on rank 0 fails the job', async (t) => {
  const r = await mpiLoop(['run', '-n', '2', fixture('throws.mjs')]);
  t.not(r.code, 0);
  t.regex(r.stderr, /cli-fixture-failure/);
});

test('run: a missing script', async (t) => {
  const r = await mpiLoop(['run', '-n', '2', 'test/fixtures/cli/no-such-script.mjs']);
  t.is(r.code, 2);
  oneLine(t, r, /^mpi-loop run: script not found: test\/fixtures\/cli\/no-such-script.mjs\n$/);
});

test('run: mpirun options pass through, script arguments reach the script', async (t) => {
  // Each launcher's own option that tags output lines with the rank: Open
  // MPI's --tag-output ("[job,0]<stdout>:"), MPICH's Hydra -prepend-rank ("[0] ").
  const openMpi = mpirunFlavour === 'Open MPI';
  const options = openMpi
    ? ['--tag-output', '-x', 'MPI_LOOP_CLI_TEST']
    : ['-prepend-rank', '-genv', 'MPI_LOOP_CLI_TEST', '1'];
  const r = await mpiLoop(['run', '-n', '3', ...options, fixture('args.mjs'), 'a b', '--not-ours'], {
    env: { MPI_LOOP_CLI_TEST: '1' },
  });
  t.is(r.code, 0, r.stderr);
  const tag = openMpi ? String.raw`\[\d+,0\]<stdout>:` : String.raw`\[0\] `;
  t.regex(r.stdout, new RegExp(String.raw`^${tag}ARGS \["a b","--not-ours"\]$`, 'm'));
  t.regex(r.stdout, new RegExp(String.raw`^${tag}RANKS \[0,1,2\]$`, 'm'));
});

test('run --dry-run: the mpirun command, with the options this machine needs', async (t) => {
  const over = cores + 1;
  const r = await mpiLoop(['run', '-n', String(over), '--map-by', 'core', '--dry-run', fixture('args.mjs'), 'x']);
  t.is(r.code, 0, r.stderr);
  const line = r.stdout.trim();
  const script = path.join(root, 'test', 'fixtures', 'cli', 'args.mjs');
  t.true(
    line.endsWith(
      `-n ${over} --map-by core ${process.execPath} -r ${path.join(root, 'dist', 'register.js')} ${script} x`,
    ),
    line,
  );
  t.regex(line, /^\S*(mpirun|mpiexec) /);
  if (mpirunFlavour !== 'Open MPI') {
    // MPICH's Hydra runs more ranks than cores, and as root, as it is: it has neither option.
    t.false(line.includes('--oversubscribe') || line.includes('--allow-run-as-root'), line);
    return;
  }
  t.true(line.includes(' --oversubscribe '));
  t.is(line.includes(' --allow-run-as-root '), isRoot);
  const one = await mpiLoop(['run', '-n', '1', '--dry-run', fixture('args.mjs')]);
  t.false(one.stdout.includes('--oversubscribe'), one.stdout);
  const given = await mpiLoop(['run', '-n', String(over), '--oversubscribe', '--dry-run', fixture('args.mjs')]);
  t.is(given.stdout.split(' --oversubscribe').length - 1, 1, given.stdout);
});

test('run: no mpirun installed says how to install it', async (t) => {
  const r = await mpiLoop(['run', '-n', '2', fixture('exit-code.mjs')], { env: { PATH: '/nonexistent' } });
  t.is(r.code, 127);
  oneLine(t, r, /^mpi-loop run: mpirun was not found .*apt-get install -y openmpi-bin libopenmpi-dev\n$/);
});

test('run: a signal to mpi-loop ends every rank', async (t) => {
  const mark = `MPI_LOOP_CLI_MARK=${process.pid}-${Date.now()}`;
  const [key, value] = mark.split('=');
  const child = spawn(process.execPath, [cli, 'run', '-n', '2', fixture('waits.mjs')], {
    cwd: root,
    env: { ...process.env, [key]: value },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  t.true(await waitUntil(() => out.includes('READY 2'), 120_000), out);
  t.true(processesWith(mark).length >= 3);
  child.kill('SIGINT');
  const { code } = await exited;
  t.not(code, 0);
  const gone = await waitUntil(() => processesWith(mark).length === 0, 10_000);
  t.deepEqual(gone ? [] : processesWith(mark), []);
  t.false(out.includes('NOT-REACHED'));
});

test('run: a job ended by our signal is not reported as success, whatever its launcher exits with', async (t) => {
  for (const [launcherExit, expected] of [
    ['0', 130],
    ['3', 3],
  ]) {
    const child = spawn(process.execPath, [fixture('job-status.mjs'), launcherExit], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    t.teardown(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    t.true(await waitUntil(() => out.includes('UP'), 30_000), out);
    child.kill('SIGINT');
    await exited;
    t.regex(out, new RegExp(`^STATUS ${expected}$`, 'm'), `launcher exiting ${launcherExit}`);
  }
});

test('info: MPI library, standard, thread level, addon origin and file, node', async (t) => {
  const r = await mpiLoop(['info']);
  t.is(r.code, 0, r.stderr);
  const field = (name) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(r.stdout)?.[1];
  t.regex(field('MPI library'), /^(Open MPI v\d|MPICH Version:\s*\d)/);
  t.regex(field('MPI standard'), /^\d\.\d$/);
  t.regex(field('thread level'), /^(single|funneled|serialized|multiple) \(requested funneled\)$/);
  t.regex(field('addon'), /^(prebuild|local build)$/);
  t.true(fs.existsSync(field('addon file')), field('addon file'));
  t.true(field('addon file').endsWith('.node'));
  t.regex(field('mpirun'), /mpirun \((Open MPI|MPICH) [\d.]+/);
  t.true(field('node').startsWith(process.version));
});

test('info: the serial fallback says so', async (t) => {
  const r = await mpiLoop(['info'], { env: { MPI_LOOP_SERIAL: '1' } });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^MPI library:\s+none, serial fallback \(MPI_LOOP_SERIAL=1 is set\)$/m);
  t.regex(r.stdout, /^addon:\s+serial fallback$/m);
});

test('mpirun --version tells Open MPI from MPICH; MPICH needs no extra options', async (t) => {
  const { identify } = await import('../dist/cli/mpirun.js');
  const { launchLayout } = await import('../dist/cli/layout.js');
  t.deepEqual(identify('mpirun (Open MPI) 4.1.4\n\nReport bugs to http://www.open-mpi.org/community/help/\n'), {
    flavour: 'Open MPI',
    version: '4.1.4',
  });
  const hydra =
    'HYDRA build details:\n    Version:                                 4.0.2\n    Release Date:   Thu Apr  7 2022\n';
  t.deepEqual(identify(hydra), { flavour: 'MPICH', version: '4.0.2' });
  t.deepEqual(identify('Intel(R) MPI Library for Linux* OS, Version 2021.6 Build 20220227'), {
    flavour: 'Intel MPI',
    version: '2021.6',
  });
  t.deepEqual(launchLayout({ path: 'mpiexec', flavour: 'MPICH', version: '4.0.2' }, 64, [], {}), {
    n: 64,
    options: [],
  });
  const open = launchLayout({ path: 'mpirun', flavour: 'Open MPI', version: '4.1.4' }, 64, [], {}).options;
  t.true(open.includes('--oversubscribe'));
  t.is(open.includes('--allow-run-as-root'), isRoot);
  t.false(
    launchLayout(
      { path: 'mpirun', flavour: 'Open MPI', version: '4.1.4' },
      64,
      ['--map-by', 'core:OVERSUBSCRIBE'],
      {},
    ).options.includes('--oversubscribe'),
  );
});

test("run's layout: hosts and Slurm decide the slots; -n from the allocation; launch variables forwarded", async (t) => {
  const { launchLayout } = await import('../dist/cli/layout.js');
  const openMpi = { path: 'mpirun', flavour: 'Open MPI', version: '4.1.4' };
  const layout = (n, opts, env) => launchLayout(openMpi, n, opts, env);
  // Hosts given: their slots decide, as with mpirun itself.
  for (const hosts of [
    ['--hostfile', 'hf'],
    ['-hostfile', 'hf'],
    ['--host', 'a:2,b:2'],
    ['-H', 'a,b'],
    ['--hostfile=hf'],
  ]) {
    t.false(layout(64, hosts, {}).options.includes('--oversubscribe'), hosts.join(' '));
  }
  t.false(layout(64, [], { OMPI_MCA_orte_default_hostfile: '/etc/hf' }).options.includes('--oversubscribe'));
  // Inside an allocation: its size by default, never more without --oversubscribe.
  const slurm = { SLURM_JOB_ID: '17', SLURM_NTASKS: '4' };
  t.is(layout(undefined, [], slurm).n, 4);
  t.false(layout(undefined, [], slurm).options.includes('--oversubscribe'));
  t.is(layout(2, [], slurm).n, 2);
  const tooMany = t.throws(() => layout(6, [], slurm));
  t.regex(tooMany.message, /-n 6 is more than the 4 tasks of Slurm job 17 \(SLURM_NTASKS\)/);
  t.is(layout(6, ['--oversubscribe'], slurm).n, 6);
  t.regex(t.throws(() => layout(undefined, [], {})).message, /missing -n N/);
  // Variables needed before MPI starts go to every host with -x, once.
  const env = { NODE_OPTIONS: '--no-warnings', MPI_LOOP_AUTO_LAUNCH: '0', MPI_LOOP_SPIN_US: '5' };
  const opts = layout(2, [], env).options;
  t.true(opts.join(' ').includes('-x NODE_OPTIONS -x MPI_LOOP_AUTO_LAUNCH'));
  t.false(opts.includes('MPI_LOOP_SPIN_US'), 'loop settings come from rank 0 instead');
  t.false(layout(2, ['-x', 'NODE_OPTIONS'], env).options.includes('NODE_OPTIONS'));
});

// ---- colours: only when the output is a terminal -------------------------------

const ESC = '\x1b';
const colourLines = (text) =>
  text
    .split('\n')
    .filter((l) =>
      /^(2|\{ a: 1, s: 'x' \}|\{ worker: 1 \})$/.test(l.replaceAll(new RegExp(`${ESC}\\[\\d+m`, 'g'), '')),
    );

function plainOutput(t, r) {
  t.is(r.code, 0, r.stderr);
  t.false(r.stdout.includes(ESC), JSON.stringify(r.stdout));
  t.deepEqual(colourLines(r.stdout).sort(), ['2', "{ a: 1, s: 'x' }", '{ worker: 1 }'], r.stdout);
}

test('run: piped output is plain text, on every rank', async (t) => {
  plainOutput(t, await mpiLoop(['run', '-n', '2', fixture('colours.mjs')]));
});

test('futures: piped output is plain text', async (t) => {
  plainOutput(t, await mpiLoop(['futures', '-n', '2', fixture('colours.mjs')]));
});

test('mpirun with the preload: piped output is plain text', async (t) => {
  const r = await run(mpirunPath, [
    ...mpirunArgs(2),
    process.execPath,
    '-r',
    'mpi-loop/register',
    fixture('colours.mjs'),
  ]);
  plainOutput(t, r);
});

test('a colour choice of the user stands: FORCE_COLOR=1 colours piped output', async (t) => {
  const r = await mpiLoop(['run', '-n', '2', fixture('colours.mjs')], { env: { FORCE_COLOR: '1' } });
  t.is(r.code, 0, r.stderr);
  t.true(r.stdout.includes(`${ESC}[33m2${ESC}[39m`), JSON.stringify(r.stdout));
});

const terminalTest = testIf(test.serial, hasTmux, noTmuxReason);

/** Runs a shell command in a terminal; resolves with the screen, colour sequences included. */
async function onTerminal(t, command) {
  const term = new Terminal(['sh', '-c', command], { cwd: root });
  t.teardown(() => term.close());
  await term.waitFor(/EXIT-STATUS \d+/, 120_000);
  const screen = term.screen({ escapes: true });
  t.regex(screen, /EXIT-STATUS 0/);
  return screen;
}

const sh = (argv) => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

terminalTest('on a terminal the ranks colour their output; piped into another program, not', async (t) => {
  const runCmd = sh([process.execPath, cli, 'run', '-n', '2', fixture('colours.mjs')]);
  const mpirunCmd = sh([
    mpirunPath,
    ...mpirunArgs(2),
    process.execPath,
    '-r',
    'mpi-loop/register',
    fixture('colours.mjs'),
  ]);
  for (const command of [runCmd, mpirunCmd]) {
    const coloured = await onTerminal(t, command);
    t.true(coloured.includes(`${ESC}[33m2`), `no colour on a terminal: ${command}\n${JSON.stringify(coloured)}`);
    t.regex(coloured, /worker/);
    const piped = await onTerminal(t, `${command} | cat`);
    t.deepEqual(
      colourLines(piped).filter((l) => l.includes(ESC)),
      [],
      `colour through a pipe: ${command}`,
    );
    t.is(colourLines(piped).length, 3, piped);
  }
});
