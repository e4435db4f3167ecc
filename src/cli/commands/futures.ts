// Placeholder until the futures layer brings its command line.
export const name = 'futures';
export const summary = 'run a script with an mpi4py.futures-style executor (not available yet)';
export const usage = `Usage: mpi-loop futures -n N script.js [args...]

Not available yet in this version of mpi-loop.
`;

export async function run(): Promise<number> {
  process.stderr.write('mpi-loop futures: not available yet\n');
  return 2;
}
