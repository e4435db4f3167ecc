// Finding the processes a test started (by a mark in their environment) and
// waiting on a condition instead of sleeping.
import fs from 'node:fs';

/**
 * Processes whose environment (or, with `where` 'cmdline', command line)
 * contains `needle`, e.g. a job's REPL socket: the ranks and mpirun.
 */
export function processesWith(needle, where = 'environ') {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const text = fs.readFileSync(`/proc/${pid}/${where}`, 'latin1').replace(/\0/g, ' ');
      if (!text.includes(needle)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (/\) Z /.test(stat)) continue; // a zombie has ended
      found.push({
        pid: Number(pid),
        cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim(),
      });
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

/**
 * The processes descended from `pid`, children first, from /proc's lists of
 * each thread's children. A launcher may put its ranks in process groups of
 * their own, so killing its group does not reach them.
 */
export function descendants(pid) {
  const read = (f) => {
    try {
      return f();
    } catch {
      return null; // gone
    }
  };
  const found = [];
  const visit = (parent) => {
    for (const tid of read(() => fs.readdirSync(`/proc/${parent}/task`)) ?? []) {
      const children = read(() => fs.readFileSync(`/proc/${parent}/task/${tid}/children`, 'latin1')) ?? '';
      for (const child of children.split(' ').filter(Boolean).map(Number)) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

/**
 * Polls `check` every 100 ms until it returns a truthy value, which it
 * resolves with; after `timeout` ms resolves with the last (falsy) value, so
 * the test's own assertion says what was wrong.
 */
export async function waitUntil(check, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
