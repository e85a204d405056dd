/**
 * Helpers of the `ptnad watch` proof tests: an emulator in live mode whose time the test ticks, the built
 * watcher as a child process (so SIGKILL and SIGTERM are real), and a seeded PRNG for the kill points.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import { BIN, isolatedEnv } from './harness.js';

/** An emulator with live traffic whose time moves only when the test ticks it. */
export function liveEmulator(rate = 40, seed = 21, attackShare = 0.3): Promise<Emulator> {
  return startEmulator({
    port: 0,
    seed: 3,
    flows: 300,
    now: new Date(Date.now() - 60_000),
    live: { rate, seed, attackShare },
  });
}

/** A running watcher process. */
export interface Watcher {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `ptnad watch ...args` against the emulator (API key auth, fast polling). */
export function startWatcher(emu: Emulator, args: string[], env = isolatedEnv().env): Watcher {
  const child = spawn(
    process.execPath,
    [BIN, '--url', emu.url, 'watch', ...args, '--poll-interval', '20ms', '--page-size', '100'],
    {
      env: { ...env, PTNAD_API_KEY: emu.credentials.apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves when `check()` is true, checking on every emulator request and every 5 ms otherwise. */
export async function until(check: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The complete lines of a JSON-lines file (missing file: none). A last line without its newline is one the writer
 * is still writing (the tests poll files a running watcher appends to): it is not a line yet.
 */
export function jsonLines(path: string): Array<Record<string, unknown>> {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A small seeded PRNG (mulberry32) for reproducible kill points. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Time field of an event (`end` for flows, `ts` for alerts). */
export const timeOf = (e: Record<string, unknown>): string => String(e.type === 'alert' ? e.ts : e.end);
