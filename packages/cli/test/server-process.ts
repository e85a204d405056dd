/**
 * Runs the built `ptnad` as a long-running child (exporter, MCP server): waits for a line on stderr that says
 * it is ready, and stops it with a signal. Readiness is a line the process writes, never a sleep.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './harness.js';

/** A running child with what it wrote to stderr so far. */
export interface Running {
  child: ChildProcess;
  stderr: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** Spawns `ptnad ...args`; resolves once stderr matches `ready` (with the match), rejects if it exits first. */
export function startPtnad(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ running: Running; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const running: Running = {
    child,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = ready.exec(err);
      if (m) resolve({ running, match: m });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`ptnad ${args.join(' ')} exited with ${code} before ready:\n${err}`)));
  });
}
