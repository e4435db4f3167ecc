// Running mpirun as a child: its exit status becomes ours (killed by signal n:
// 128 + n), and the signals that end a job reach it, so every rank ends. A job
// we were signalled to end never reports success: MPICH's mpiexec can exit 0
// after forwarding a Ctrl-C to ranks that die of it.
import { spawn, type StdioOptions } from 'node:child_process';
import os from 'node:os';
import { CommandError } from './command';

export interface Job {
  /** Resolves with the job's exit status. */
  done: Promise<number>;
  /** True until mpirun has exited. */
  running(): boolean;
  kill(signal?: NodeJS.Signals): void;
  /** mpirun's stdout and stderr, when they are pipes. */
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
}

const forwarded: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

export function startJob(file: string, args: string[], options: { stdio: StdioOptions; env?: NodeJS.ProcessEnv }): Job {
  const child = spawn(file, args, { stdio: options.stdio, env: options.env ?? process.env });
  let exited = false;
  let received: NodeJS.Signals | undefined;
  // On Ctrl-C the terminal signals mpirun too; sending it again is harmless
  // (Open MPI ends the job once) and covers a signal sent to us alone.
  const forward = (signal: NodeJS.Signals): void => {
    received ??= signal;
    if (!exited) child.kill(signal);
  };
  for (const s of forwarded) process.on(s, forward);
  const done = new Promise<number>((resolve, reject) => {
    child.once('error', (e) => {
      exited = true;
      for (const s of forwarded) process.off(s, forward);
      reject(new CommandError(`cannot start ${file}: ${e.message}`, 127));
    });
    child.once('exit', (code, signal) => {
      exited = true;
      for (const s of forwarded) process.off(s, forward);
      const status = code ?? 128 + (signal ? os.constants.signals[signal] : 0);
      resolve(status === 0 && received ? 128 + os.constants.signals[received] : status);
    });
  });
  return {
    done,
    running: () => !exited,
    kill: (signal = 'SIGTERM') => {
      if (!exited) child.kill(signal);
    },
    stdout: child.stdout,
    stderr: child.stderr,
  };
}
