// Tests that need a tool the machine may lack: they skip, saying which tool
// and how to install it, only when that tool is truly not there.
import { spawnSync } from 'node:child_process';

/** Whether `name` is a command on PATH. */
export function hasCommand(name) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

/**
 * `declare` (ava's test, test.serial, ...) when `available`; otherwise a
 * function that declares the test skipped, the reason in its title.
 */
export function testIf(declare, available, reason) {
  return available ? declare : (title, ...rest) => declare.skip(`${title} [skipped: ${reason}]`, ...rest);
}
