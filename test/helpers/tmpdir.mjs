// Temporary directories for tests: nothing a test writes goes into the checkout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './mpirun.mjs';

/** A fresh directory under os.tmpdir(), removed when the test ends. */
export function tempDir(t, prefix = 'mpi-loop-test-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A temporary directory in which `mpi-loop` (and its type declarations, and
 * Node's, for tsc) resolve to this checkout, as in a project that installed it.
 */
export function tempProject(t, prefix = 'mpi-loop-project-') {
  const dir = tempDir(t, prefix);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'mpi-loop'), 'dir');
  fs.symlinkSync(path.join(root, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir');
  return dir;
}
