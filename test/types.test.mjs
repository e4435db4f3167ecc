// Compile-time types: the typed registry helpers and mpi-loop/parallel's
// proxies and pools. Each file under test/types must compile, and without
// its `@ts-expect-error` markers exactly the marked lines must fail, so a
// marker can neither hide a typo nor outlive the error it expects.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import test from 'ava';
import { root } from './helpers/mpirun.mjs';
import { tempProject } from './helpers/tmpdir.mjs';

const typesDir = path.join(root, 'test', 'types');
const files = JSON.parse(fs.readFileSync(path.join(typesDir, 'tsconfig.json'), 'utf8')).files;

/** Compiles `sources` ({name: text}) in a temporary project that has the package installed. */
function compile(t, sources) {
  const dir = tempProject(t, 'mpi-loop-types-');
  const config = JSON.parse(fs.readFileSync(path.join(typesDir, 'tsconfig.json'), 'utf8'));
  config.files = Object.keys(sources);
  for (const [name, text] of Object.entries(sources)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const sources = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(typesDir, f), 'utf8')]));

test('types: every types file compiles, and every @ts-expect-error line is an error', (t) => {
  // An unused @ts-expect-error fails the compile, so exit 0 proves each marked line is rejected.
  const r = compile(t, sources);
  t.is(r.code, 0, r.out);
});

test('types: without their markers, the types files fail on exactly the marked lines', (t) => {
  const marked = {};
  const stripped = {};
  for (const [file, source] of Object.entries(sources)) {
    marked[file] = [];
    stripped[file] = source
      .split('\n')
      .map((line, i) => {
        if (!/^\s*\/\/ @ts-expect-error/.test(line)) return line;
        marked[file].push(i + 2); // the line after the marker (1-based)
        return '';
      })
      .join('\n');
  }
  const r = compile(t, stripped);
  t.not(r.code, 0);
  for (const file of files) {
    const escaped = file.replace(/\./g, '\\.');
    const lines = [...r.out.matchAll(new RegExp(`${escaped}\\((\\d+),\\d+\\): error TS\\d+`, 'g'))].map((m) =>
      Number(m[1]),
    );
    if (file !== 'exports.types.ts') t.true(marked[file].length >= 8, `${file}: only ${marked[file].length} markers`);
    t.deepEqual(
      [...new Set(lines)].sort((a, b) => a - b),
      marked[file],
      `${file}\n${r.out}`,
    );
  }
});

// The names that src marks @internal: the declaration after each `@internal` doc comment.
function internalNames(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const names = [];
  lines.forEach((line, i) => {
    if (!line.includes('@internal')) return;
    let j = i;
    let rest = '';
    for (; j < lines.length; j++) {
      const end = lines[j].indexOf('*/');
      if (end >= 0) {
        rest = lines[j].slice(end + 2);
        break;
      }
    }
    const decl = rest.trim() || (lines.slice(j + 1).find((l) => l.trim() !== '') ?? '');
    const m = decl.match(
      /^\s*(?:(?:export|declare|async|function|const|let|class|interface|type|readonly|static|get|set)\s+)*([A-Za-z_$][\w$]*)/,
    );
    if (m) names.push(m[1]);
  });
  return names;
}

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.m?ts$/.test(e.name) ? [p] : [];
  });
}

test('types: the published declarations leave out everything marked @internal', (t) => {
  const src = path.join(root, 'src');
  let checked = 0;
  for (const file of sourceFiles(src)) {
    const names = internalNames(file);
    if (names.length === 0) continue;
    const dts = path.join(root, 'dist', path.relative(src, file).replace(/\.(m?)ts$/, '.d.$1ts'));
    const text = fs.readFileSync(dts, 'utf8');
    for (const name of names) {
      checked++;
      t.false(
        new RegExp(`(^|[\\s.])${name.replace(/\$/g, '\\$')}\\??\\s*[(:<=]`, 'm').test(text),
        `${name} is declared in ${path.relative(root, dts)}`,
      );
    }
  }
  t.true(checked >= 15, `only ${checked} internal names found`);
});
