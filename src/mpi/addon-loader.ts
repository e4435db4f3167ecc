// Finds the compiled addon: a local build (build/Release) or a prebuild for
// this platform, through node-gyp-build. An addon linked against another MPI
// library (an Open MPI prebuild on an MPICH machine) fails to load because the
// libmpi soname differs; then, or without any MPI library, the serial fallback
// is used and one line on stderr says why. MPI_LOOP_ADDON names a folder
// whose build is loaded instead (scripts/build-addon.js builds one, e.g.
// against MPICH beside the Open MPI prebuild). An addon built against another
// MPI than the launcher's that started this process is refused with an error:
// it would run every rank as a one-rank world.
import path from 'node:path';
import type { NativeAddon } from '../native/addon';
import { launcherFromEnv, loadMismatch } from './launcher';
import { createSerialAddon } from './serial-addon';
import { applyMpichUcxDefaults } from './ucx-settings';
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

/** The addon and the launcher belong to different MPIs: no fallback can help. */
class LauncherMismatch extends Error {
  override name = 'LauncherMismatchError';
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
      const file = resolve(process.env.MPI_LOOP_ADDON ? path.resolve(process.env.MPI_LOOP_ADDON) : packageRoot);
      applyMpichUcxDefaults(file);
      const addon = require(file) as NativeAddon;
      const mismatch = loadMismatch(addon.constants.IMPLEMENTATION, launcherFromEnv());
      if (mismatch) throw new LauncherMismatch(mismatch);
      const origin = file.includes(`${path.sep}prebuilds${path.sep}`) ? 'prebuild' : 'local build';
      return { addon, origin, file };
    } catch (e) {
      if (e instanceof LauncherMismatch) throw e;
      reason = firstLine(e);
    }
  }
  if (process.env.MPI_LOOP_QUIET !== '1') {
    process.stderr.write(`mpi-loop: no MPI library could be loaded (${reason}); running serially as one rank\n`);
  }
  return { addon: createSerialAddon(), origin: 'serial fallback', reason };
}
