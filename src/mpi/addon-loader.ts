// Finds the compiled addon: a local build (build/Release) or a prebuild for
// this platform, through node-gyp-build. An addon linked against another MPI
// library (an Open MPI prebuild on an MPICH machine) fails to load because the
// libmpi soname differs; then, or without any MPI library, the serial fallback
// is used and one line on stderr says why.
import path from 'node:path';
import type { NativeAddon } from '../native/addon';
import { createSerialAddon } from './serial-addon';
import { packageRoot } from '../util/package-root';

export type AddonOrigin = 'prebuild' | 'local build' | 'serial fallback';

export interface LoadedAddon {
  addon: NativeAddon;
  origin: AddonOrigin;
  /** The .node file, when one was loaded. */
  file?: string;
  /** Why the serial fallback is used. */
  reason?: string;
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0];
}

export function loadAddon(): LoadedAddon {
  let reason: string;
  if (process.env.MPI_LOOP_SERIAL === '1') {
    reason = 'MPI_LOOP_SERIAL=1 is set';
  } else {
    try {
      const resolve = (require('node-gyp-build') as { resolve(dir: string): string }).resolve;
      const file = resolve(packageRoot);
      const addon = require(file) as NativeAddon;
      const origin = file.includes(`${path.sep}prebuilds${path.sep}`) ? 'prebuild' : 'local build';
      return { addon, origin, file };
    } catch (e) {
      reason = firstLine(e);
    }
  }
  if (process.env.MPI_LOOP_QUIET !== '1') {
    process.stderr.write(`mpi-loop: no MPI library could be loaded (${reason}); running serially as one rank\n`);
  }
  return { addon: createSerialAddon(), origin: 'serial fallback', reason };
}
