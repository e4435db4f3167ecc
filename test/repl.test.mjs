// The REPL on rank 0: driven in a real terminal (tmux) through `mpi-loop
// repl` and `mpi-loop attach`, and piped into `mpirun ... node -r
// mpi-loop/register` without a script.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { mpinode, root, run } from './helpers/mpirun.mjs';
import { processesWith, waitUntil } from './helpers/processes.mjs';
import { closeTerminals, hasTmux, noTmuxReason, Terminal } from './helpers/tmux.mjs';
import { testIf } from './helpers/tools.mjs';

const cli = path.join(root, 'dist', 'cli', 'main.js');
const register = ['-r', 'mpi-loop/register'];

test.after.always(closeTerminals);

// The terminal tests need tmux (scripts/setup.js installs it); checking that
// another user is refused needs root, to become `nobody`.
const terminalTest = testIf(test.serial, hasTmux, noTmuxReason);
const isRoot = process.getuid() === 0;

function tempHome(t) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-repl-home-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  return home;
}

/** Starts `mpi-loop repl -n 2` in a terminal; resolves with the terminal and the REPL's socket address. */
async function startRepl(t, home, n = 2) {
  const term = new Terminal([process.execPath, cli, 'repl', '-n', String(n)], { env: { HOME: home }, cwd: root });
  t.teardown(() => term.close());
  const screen = await term.waitFor(/^mpi> /m, 120_000);
  const address = /REPL on rank 0 at (\S+)/.exec(screen)[1];
  return { term, address };
}

const count = (screen, text) => screen.split(text).length - 1;

terminalTest('a terminal session: call, .px, errors, Ctrl-C, Ctrl-D, history', async (t) => {
  const home = tempHome(t);
  const { term, address } = await startRepl(t, home);
  t.is(fs.statSync(path.dirname(address)).mode & 0o777, 0o700);
  // The job: mpirun and both ranks carry the socket's address in their environment.
  t.true(processesWith(address).length >= 3, JSON.stringify(processesWith(address)));

  // Ctrl-Z does not stop rank 0 (the next steps would time out).
  term.keys('C-z');

  // A function typed at the prompt goes to the other ranks by source.
  term.type('function twice(x) { return x * 2 }');
  term.type('await call(twice, 21)');
  await term.waitFor(/^42$/m);
  term.type('await call((x) => x + rank * 1000, 5)');
  await term.waitFor(/^5$/m);

  // .px: each rank's output and value, labelled.
  term.type('.px console.log("out-" + rank); rank * 10');
  let s = await term.waitFor(/^\[rank 1\] 10$/m);
  for (const line of ['[rank 0] out-0', '[rank 0] 0', '[rank 1] out-1', '[rank 1] 10']) {
    t.true(s.split('\n').includes(line), `missing ${line}:\n${s}`);
  }
  t.true(s.indexOf('[rank 0] out-0') < s.indexOf('[rank 1] out-1'));

  // A failure on rank 1 arrives as a RemoteError (at the next call) and the session goes on.
  term.type('await call(() => { if (rank === 1) throw new Error("boom-on-one"); return "rank0-fine" })');
  await term.waitFor(/'rank0-fine'/);
  // Rank 1's error reaches rank 0 a moment later; the next command raises it.
  s = await term.typeUntil('.ranks', /RemoteError: rank 1: Error: boom-on-one/);
  t.regex(s, /--- remote stack \(rank 1\) ---/);
  const tables = (x) => (x.match(/^rank\s+host\s+pid$/gm) ?? []).length;
  const before = tables(s);
  term.type('.ranks');
  s = await term.waitFor((x) => tables(x) > before && /^1\s+\S+\s+\d+$/m.test(x.slice(x.lastIndexOf('.ranks'))));
  const table = s.slice(s.lastIndexOf('.ranks'));
  t.regex(table, /^rank\s+host\s+pid$/m);
  t.regex(table, /^0\s+\S+\s+\d+$/m);

  // A syntax error prints and the prompt returns.
  term.type('1 +* 2');
  await term.waitFor(/SyntaxError/);
  term.type('await call(twice, 50)');
  await term.waitFor(/^100$/m);

  // A closure over a prompt variable is refused, with its name.
  term.type('const secret = 3');
  term.type('await call(() => secret)');
  await term.waitFor(/uses "secret"/);

  // Output that arrives between inputs (rank 0's through the socket, the others'
  // through mpirun) shows above the prompt, which is drawn again with what was typed.
  term.type('call(() => { setTimeout(() => console.log("late-" + rank), 1500) })');
  term.keys('-l', 'half typed');
  const lastLine = (x) => x.trimEnd().split('\n').at(-1);
  s = await term
    .waitFor((x) => /^late-0$/m.test(x) && /^late-1$/m.test(x) && /^mpi> half typed$/.test(lastLine(x)))
    .catch(() => term.screen());
  t.regex(lastLine(s), /^mpi> half typed$/, s);
  term.keys('C-u');

  // Ctrl-C clears the line and never ends the job, even pressed again and again.
  // An interrupted call goes on on the ranks; a new call waits for it to end.
  term.type('await call(() => { console.log(`busy-${rank}`); return new Promise((r) => setTimeout(r, 5000)) })');
  await term.waitFor(/^busy-0$/m); // the call runs
  term.keys('C-c');
  await term.waitFor(/interrupted by `SIGINT`/);
  term.type('await call(() => 1000 + 43)');
  await term.waitFor(/the previous call is still running on the ranks/);
  // Once the interrupted call has ended on the ranks, a new one runs.
  await term.typeUntil('await call(() => 1000 + 43)', /^1043$/m, { every: 2000 });
  term.keys('-l', 'this line is cleared');
  term.keys('C-c');
  term.keys('C-c');
  term.keys('C-c');
  await term.waitFor((x) => count(x, '(To exit, press Ctrl-D or type .exit)') >= 2);
  // In a pending multi-line input, Ctrl-C drops that input (no reminder to exit).
  const reminders = count(term.screen(), '(To exit, press Ctrl-D or type .exit)');
  term.type('[1,');
  await term.waitFor(/^\.\.\./m);
  term.keys('C-c');
  term.type('6 * 7 + 200');
  s = await term.waitFor(/^242$/m);
  t.is(count(s, '(To exit, press Ctrl-D or type .exit)'), reminders, s);
  term.type('6 * 7 + 100');
  await term.waitFor(/^142$/m);
  t.false(/EXIT-STATUS/.test(term.screen()));

  // Ctrl-D quits every rank; the job exits 0 and is gone.
  term.keys('C-d');
  s = await term.waitFor(/EXIT-STATUS \d+/, 120_000);
  t.regex(s, /EXIT-STATUS 0/);
  t.deepEqual(processesWith(address), []);
  t.false(fs.existsSync(path.dirname(address)));

  // History persists into a second session.
  const history = fs.readFileSync(path.join(home, '.mpi_loop_repl_history'), 'utf8');
  t.true(history.includes('6 * 7 + 100'), history);
  t.is(fs.statSync(path.join(home, '.mpi_loop_repl_history')).mode & 0o777, 0o600);
  const second = await startRepl(t, home);
  second.term.keys('Up');
  await second.term.waitFor(/^mpi> 6 \* 7 \+ 100$/m);
  second.term.keys('Enter');
  await second.term.waitFor(/^142$/m);
  second.term.type('.exit');
  s = await second.term.waitFor(/EXIT-STATUS \d+/, 120_000);
  t.regex(s, /EXIT-STATUS 0/);
});

/**
 * As user nobody: `mpi-loop attach` and a bare connect() are both refused.
 * Nobody runs a copy of dist/ in a world-readable temporary directory: the
 * checkout itself may be private (a clone in a 0700 directory).
 */
function refusesNobody(t, address) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-nobody-'));
  t.teardown(() => fs.rmSync(copy, { recursive: true, force: true }));
  fs.cpSync(path.join(root, 'dist'), path.join(copy, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(copy, 'package.json'));
  fs.chmodSync(copy, 0o755);
  const asNobody = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];
  const options = { cwd: copy, encoding: 'utf8', timeout: 60_000 };
  const refused = spawnSync(
    'setpriv',
    [...asNobody, process.execPath, path.join(copy, 'dist', 'cli', 'main.js'), 'attach', address],
    options,
  );
  t.is(refused.status, 1, refused.stderr);
  t.regex(refused.stderr, /^mpi-loop attach: permission denied: the REPL at .* belongs to another user\n$/);
  const raw = spawnSync(
    'setpriv',
    [
      ...asNobody,
      process.execPath,
      '-e',
      `require('net').connect(${JSON.stringify(address)}).on('connect', () => process.exit(0))` +
        '.on("error", (e) => { console.log(e.code); process.exit(3); })',
    ],
    options,
  );
  t.is(raw.status, 3, raw.stderr);
  t.is(raw.stdout.trim(), 'EACCES');
}

terminalTest('a second terminal attaches; another user is refused', async (t) => {
  const home = tempHome(t);
  const { term, address } = await startRepl(t, home);

  // Another user cannot reach the socket: its directory is 0700.
  t.is(fs.statSync(path.dirname(address)).mode & 0o777, 0o700);
  const nobodyRunsNode =
    isRoot &&
    spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', '0'])
      .status === 0;
  if (!isRoot) t.log('not root: cannot become another user to check that they are refused');
  else if (!nobodyRunsNode)
    t.log(`user nobody cannot run ${process.execPath}: cannot check that another user is refused`);
  else refusesNobody(t, address);

  // The owner attaches a second terminal: its own session, the same rank 0.
  const other = new Terminal([process.execPath, cli, 'attach', address], { env: { HOME: home }, cwd: root });
  t.teardown(() => other.close());
  await other.waitFor(/^mpi> /m);
  other.type('var sharedValue = 6');
  other.type('.px rank + 100');
  await other.waitFor(/^\[rank 1\] 101$/m);
  term.type('sharedValue * 7');
  await term.waitFor(/^42$/m);
  // .detach leaves the job running.
  other.type('.detach');
  const left = await other.waitFor(/EXIT-STATUS \d+/);
  t.regex(left, /detached; the job goes on/);
  t.regex(left, /EXIT-STATUS 0/);
  // Closing an attached terminal only leaves, too.
  const third = new Terminal([process.execPath, cli, 'attach', address], { env: { HOME: home }, cwd: root });
  await third.waitFor(/^mpi> /m);
  third.close();
  t.true(
    await waitUntil(() => processesWith(`attach ${address}`, 'cmdline').length === 0, 10_000),
    "the closed terminal's client is gone",
  );
  term.type('await call(() => size)');
  await term.waitFor(/^2$/m);
  // .exit in the first terminal ends the job.
  term.type('.exit');
  const s = await term.waitFor(/EXIT-STATUS \d+/, 120_000);
  t.regex(s, /EXIT-STATUS 0/);
  t.deepEqual(processesWith(address), []);
});

test('piped into mpirun without a script: results on stdout, exit 0 at end of input', async (t) => {
  const r = await mpinode(2, register, { input: 'await call(x => x + 1, 1)\n' });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '2\n', r.stderr);
});

test('piped: lines run in order, errors print and later lines still run', async (t) => {
  const input = [
    'function sq(x) {',
    '  return x * x',
    '}',
    'await call(sq, 12)',
    '.px rank * 10',
    '.px await Promise.resolve("async-" + rank)',
    'call(() => { throw new Error("piped-failure") })',
    '1 +* 2',
    '"last line"',
  ].join('\n');
  const r = await mpinode(3, register, { input });
  t.is(r.code, 0, r.stderr);
  const out = r.stdout.split('\n');
  t.deepEqual(out.slice(0, 7), [
    '144',
    '[rank 0] 0',
    '[rank 1] 10',
    '[rank 2] 20',
    "[rank 0] 'async-0'",
    "[rank 1] 'async-1'",
    "[rank 2] 'async-2'",
  ]);
  t.is(out.at(-2), "'last line'");
  t.regex(r.stderr + r.stdout, /Uncaught Error: piped-failure/);
  t.regex(r.stderr + r.stdout, /SyntaxError: Unexpected token/);
});

test('piped: quit() ends the session and the job', async (t) => {
  const r = await mpinode(2, register, { input: '"before"\nquit()\n"after"\n' });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, "'before'\n");
});

test('piped outside mpirun: the same REPL at one rank', async (t) => {
  const r = await run(process.execPath, register, { input: 'await call(x => x + 1, 1)\n.px size\n.ranks\n' });
  t.is(r.code, 0, r.stderr);
  const out = r.stdout.split('\n');
  t.deepEqual(out.slice(0, 2), ['2', '[rank 0] 1']);
  t.regex(out[2], /^rank\s+host\s+pid$/);
  t.regex(out[3], new RegExp(`^0\\s+\\S+\\s+\\d+$`));
});

test('piped into `mpi-loop repl`: the socket session reads lines too', async (t) => {
  const r = await run(process.execPath, [cli, 'repl', '-n', '2'], { input: 'await call(x => x * 3, 14)\n.px rank\n' });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '42\n[rank 0] 0\n[rank 1] 1\n');
  t.regex(r.stderr, /REPL on rank 0 at \/.*repl\.sock/);
});
