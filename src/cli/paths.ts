// This package's version, for the command line.
import path from 'node:path';
import { packageRoot } from '../util/package-root';

export function packageVersion(): string {
  return (require(path.join(packageRoot, 'package.json')) as { version: string }).version;
}
