// `mpi-loop bench [name...] [--quick] [--json FILE] [--chart FILE] [--ranks list] [--rounds N]`:
// runs the benchmark suite, prints the table, writes the JSON, the Markdown
// table (beside the JSON) and the SVG chart.
import fs from 'node:fs';
import path from 'node:path';
import { benchmarks } from '../../bench/registry';
import { chartSvg } from '../../bench/report/chart';
import { markdownTable } from '../../bench/report/markdown';
import { terminalTable } from '../../bench/report/table';
import { runSuite } from '../../bench/suite';

export const name = 'bench';
export const summary = 'run the benchmark suite (mpi-loop against C and mpi4py/pyMOR-style baselines)';
export const usage = `usage: mpi-loop bench [name...] [--quick] [--json FILE] [--chart FILE] [--ranks LIST] [--rounds N]

Runs each benchmark as mpirun jobs of mpi-loop, a C baseline (built with mpicc
into node_modules/.cache/mpi-loop-bench/) and a Python baseline (mpi4py from /usr/bin/python3, or
$MPI_LOOP_BENCH_PYTHON; skipped with a note when mpi4py is missing),
alternating, for several rounds; prints medians and ratios to each baseline.

  name...        benchmarks to run (default: all): ${benchmarks.map((b) => b.name).join(', ')}
  --quick        small counts and one round: the whole suite in well under a minute
  --json FILE    the results file (default bench-results/latest.json); the Markdown
                 table goes beside it (FILE with .md)
  --chart FILE   the SVG chart (default: beside the JSON, with .svg)
  --ranks LIST   rank counts of call-ranks (default 2,4,8,16)
  --rounds N     rounds (default 3; 1 with --quick)
  --list         list the benchmarks and exit
`;

interface Args {
  names: string[];
  quick: boolean;
  json: string;
  chart?: string;
  ranks: number[];
  rounds?: number;
  list: boolean;
}

function parse(argv: string[]): Args {
  const a: Args = {
    names: [],
    quick: false,
    json: path.join('bench-results', 'latest.json'),
    ranks: [2, 4, 8, 16],
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const [flag, inline] = arg.split(/=(.*)/s);
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    const flag = arg.split('=')[0];
    if (flag === '--quick') a.quick = true;
    else if (flag === '--list') a.list = true;
    else if (flag === '--json') a.json = value();
    else if (flag === '--chart') a.chart = value();
    else if (flag === '--ranks') {
      a.ranks = value()
        .split(',')
        .map((x) => Number(x.trim()));
      if (a.ranks.some((n) => !Number.isInteger(n) || n < 2))
        throw new Error('--ranks: a comma-separated list of integers >= 2');
    } else if (flag === '--rounds') {
      a.rounds = Number(value());
      if (!Number.isInteger(a.rounds) || a.rounds < 1) throw new Error('--rounds: a positive integer');
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (!benchmarks.some((b) => b.name === arg)) {
      throw new Error(`unknown benchmark "${arg}" (known: ${benchmarks.map((b) => b.name).join(', ')})`);
    } else a.names.push(arg);
  }
  return a;
}

const swapExtension = (file: string, ext: string): string =>
  path.join(path.dirname(file), `${path.basename(file, path.extname(file))}${ext}`);

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  let args: Args;
  try {
    args = parse(argv);
  } catch (e) {
    process.stderr.write(`mpi-loop bench: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.list) {
    for (const b of benchmarks) process.stdout.write(`${b.name.padEnd(16)} ${b.title}\n`);
    return 0;
  }
  const result = await runSuite({
    names: args.names,
    options: { quick: args.quick, ranks: args.ranks },
    rounds: args.rounds,
    command: ['mpi-loop', 'bench', ...argv].join(' '),
  });
  const chart = args.chart ?? swapExtension(args.json, '.svg');
  const md = swapExtension(args.json, '.md');
  for (const f of [args.json, chart, md]) fs.mkdirSync(path.dirname(path.resolve(f)), { recursive: true });
  fs.writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(chart, chartSvg(result));
  fs.writeFileSync(md, markdownTable(result, path.relative(path.dirname(path.resolve(md)), path.resolve(chart))));
  process.stdout.write(terminalTable(result));
  process.stdout.write(`\nwrote ${args.json}, ${md}, ${chart}\n`);
  const failures = result.benchmarks.reduce((n, b) => n + b.failures.length, 0);
  if (failures > 0) {
    process.stderr.write(`mpi-loop bench: ${failures} launch(es) failed (see FAILED lines above)\n`);
    return 1;
  }
  return 0;
}

// Run directly (before the CLI's main exists): node dist/cli/commands/bench.js [args]
if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`mpi-loop bench: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
