// The helpers every layer shares (src/util): durations and the status line
// that the bench and the futures progress bar draw with.
import { PassThrough } from 'node:stream';
import test from 'ava';
import { formatDuration, StatusLine } from '../dist/util/status-line.js';
import { TimeoutError, withTimeout } from '../dist/util/timeout.js';
import { isThenable } from '../dist/util/thenable.js';

test('formatDuration rounds up to whole seconds and never shows 60 seconds', (t) => {
  t.is(formatDuration(0), '0s');
  t.is(formatDuration(41.2), '42s');
  t.is(formatDuration(59.5), '1m00s');
  t.is(formatDuration(119.01), '2m00s');
  t.is(formatDuration(185), '3m05s');
  t.is(formatDuration(3599.5), '1h00m');
  t.is(formatDuration(7625), '2h07m');
  t.is(formatDuration(Infinity), '?');
});

function stream(isTTY, columns = 30) {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c) => {
    text += c;
  });
  Object.assign(s, { isTTY, columns });
  return { s, text: () => text };
}

test('StatusLine rewrites one line on a terminal, cut to its width, and clears it', (t) => {
  const { s, text } = stream(true, 21);
  const line = new StatusLine(s);
  line.update('short');
  line.update('a line much longer than twenty columns');
  line.done('finished');
  t.is(text(), '\r\x1b[Kshort\r\x1b[Ka line much longer …\r\x1b[Kfinished\n');
});

test('StatusLine off a terminal writes only the done() lines', (t) => {
  const { s, text } = stream(false);
  const line = new StatusLine(s);
  line.update('not shown');
  line.clear();
  line.done('one');
  t.is(text(), 'one\n');
  const forced = stream(false);
  new StatusLine(forced.s, true).update('shown');
  t.is(forced.text(), '\r\x1b[Kshown');
});

test('withTimeout rejects with a TimeoutError naming the operation, and passes results through', async (t) => {
  const e = await t.throwsAsync(withTimeout(new Promise(() => {}), 0.05, 'retrieve'));
  t.true(e instanceof TimeoutError);
  t.is(e.name, 'TimeoutError');
  t.regex(e.message, /^retrieve: the operation did not finish within 0\.05 s$/);
  t.is(await withTimeout(Promise.resolve(7), 5, 'x'), 7);
});

test('isThenable accepts promises and thenables only', (t) => {
  t.true(isThenable(Promise.resolve()));
  t.true(isThenable({ then() {} }));
  t.true(isThenable(Object.assign(() => {}, { then() {} })));
  for (const v of [null, undefined, 0, 'then', {}, { then: 1 }, []]) t.false(isThenable(v));
});

test('addonInfo says where the addon came from and hands out nothing native', async (t) => {
  const { addonInfo } = await import('../dist/index.js');
  t.true(['prebuild', 'local build', 'serial fallback'].includes(addonInfo.origin), addonInfo.origin);
  t.deepEqual(Object.keys(addonInfo).sort(), ['file', 'implementation', 'origin', 'reason']);
  t.true(['Open MPI', 'MPICH', 'MPI', 'serial'].includes(addonInfo.implementation), addonInfo.implementation);
  t.true(Object.isFrozen(addonInfo));
  t.false(Object.values(addonInfo).some((v) => typeof v === 'function' || (v !== null && typeof v === 'object')));
});
