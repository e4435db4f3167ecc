#!/usr/bin/env node
'use strict';
// Prints the compiler/linker flags of the installed MPI for binding.gyp.
// Usage: node scripts/mpi-flags.js <include_dirs|cflags|libraries|ldflags>
//
// Tried in order: $MPICC (or mpicc) -showme:compile/-showme:link (Open MPI),
// mpicc -compile_info/-link_info (MPICH), pkg-config ompi / mpich / mpi.
// Output is whitespace separated for gyp's <!@(...) expansion. Required as a
// module, detect() also says which implementation that is (the install step
// compares it with the addon it would load).

const { execFileSync } = require('child_process');

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function split(text) {
  return text ? text.split(/\s+/).filter(Boolean) : [];
}

function fromOpenMpi(mpicc) {
  const compile = run(mpicc, ['-showme:compile']);
  const link = run(mpicc, ['-showme:link']);
  if (compile === null || link === null) return null;
  return { implementation: 'Open MPI', compile: split(compile), link: split(link) };
}

function fromMpich(mpicc) {
  const compile = run(mpicc, ['-compile_info']);
  const link = run(mpicc, ['-link_info']);
  if (compile === null || link === null) return null;
  // Both start with the underlying compiler; compile_info may carry -c.
  const drop = (tokens) => tokens.slice(1).filter((t) => t !== '-c');
  return { implementation: 'MPICH', compile: drop(split(compile)), link: drop(split(link)) };
}

const PKG_CONFIG = [
  { name: 'ompi', implementation: 'Open MPI' },
  { name: 'ompi-c', implementation: 'Open MPI' },
  { name: 'mpich', implementation: 'MPICH' },
  { name: 'mpi', implementation: 'MPI' },
];

function fromPkgConfig() {
  for (const { name, implementation } of PKG_CONFIG) {
    const compile = run('pkg-config', ['--cflags', name]);
    const link = run('pkg-config', ['--libs', name]);
    if (compile !== null && link !== null) return { implementation, compile: split(compile), link: split(link) };
  }
  return null;
}

/**
 * The MPI a build would use: { implementation: 'Open MPI' | 'MPICH' | 'MPI',
 * compile, link } (the tokens of the compile and link lines), or null.
 */
function detect() {
  const mpicc = process.env.MPICC || 'mpicc';
  return fromOpenMpi(mpicc) || fromMpich(mpicc) || fromPkgConfig();
}

function main() {
  const what = process.argv[2];
  const flags = detect();
  if (!flags) {
    process.stderr.write(
      'mpi-loop: no MPI found (tried mpicc -showme, mpicc -compile_info, pkg-config ompi/mpich).\n' +
        'Install Open MPI or MPICH development files, or set MPICC.\n',
    );
    process.exit(1);
  }
  const includeDirs = flags.compile.filter((t) => t.startsWith('-I')).map((t) => t.slice(2));
  const cflags = flags.compile.filter((t) => !t.startsWith('-I'));
  const libDirs = flags.link.filter((t) => t.startsWith('-L')).map((t) => t.slice(2));
  const libraries = flags.link.filter((t) => t.startsWith('-l'));
  // MPICH's -link_info repeats the -I of the compile line: not a linker flag.
  const otherLink = flags.link.filter((t) => !/^-[LlI]/.test(t));
  // rpath: the addon must find libmpi at run time without LD_LIBRARY_PATH.
  const ldflags = [...libDirs.map((d) => `-L${d}`), ...libDirs.map((d) => `-Wl,-rpath,${d}`), ...otherLink];

  const out = {
    include_dirs: includeDirs,
    cflags,
    libraries,
    ldflags,
  }[what];
  if (!out) {
    process.stderr.write('usage: node scripts/mpi-flags.js <include_dirs|cflags|libraries|ldflags>\n');
    process.exit(2);
  }
  process.stdout.write(out.join(' ') + '\n');
}

if (require.main === module) main();

module.exports = { detect };
