/**
 * Starts the emulator's binary in a child process (so its memory is not counted in the measured process) and
 * resolves with its URL once it answers a first request. The binary prints its "listening on" line before it
 * generates its dataset (requests wait for it, issue 13): waiting for an answer keeps the dataset build out of
 * what the callers time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../packages/emulator/bin/ptnad-emulator.js', import.meta.url));

/** A running emulator child process. */
export interface EmulatorProcess {
  url: string;
  child: ChildProcess;
  /** Sends SIGTERM and resolves when the process exited. */
  stop(): Promise<void>;
}

/** Spawns `ptnad-emulator --port 0 ...args`; rejects with its stderr if it exits before answering. */
export function spawnEmulator(args: readonly string[]): Promise<EmulatorProcess> {
  return new Promise((resolve, reject) => {
    // A million-flow dataset is ~2.5 GB: give the child heap room (Node's default old-space limit is lower).
    const child = spawn(process.execPath, ['--max-old-space-size=8192', BIN, '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) {
        const url = match[1];
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        const answered = fetch(`${url}/api/v2/monitoring/status`).then((res) => res.arrayBuffer());
        answered.catch(reject);
        void answered.then(() =>
          resolve({
            url,
            child,
            stop: async () => {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
              await exited;
            },
          }),
        );
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before listening: ${err.trim()}`)));
    child.once('error', reject);
  });
}
