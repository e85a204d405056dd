/**
 * Two ways to run the CLI in tests, with HOME and XDG_CONFIG_HOME in a temp directory and no PTNAD_* variables
 * from the outer environment:
 * - {@link cli} calls `main(argv, { env, streams })` in this process with fake streams (gh's iostreams.Test()):
 *   fast, and what most tests use;
 * - {@link ptnad} runs the BUILT binary as a child process, for what only a real process shows (exit codes of
 *   the bin, signals, EPIPE). Asynchronously: the emulator serving it lives in the test process.
 */

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { PTNADClient } from 'ptnad-client';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import type { Streams } from '../src/context.js';
import { main } from '../src/main.js';

export const BIN = fileURLToPath(new URL('../bin/ptnad.js', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Fails early with the build command when the binary was not built. */
export function assertBuilt(): void {
  if (!existsSync(DIST)) {
    throw new Error('packages/cli is not built: run `npx tsc -b packages/client packages/emulator packages/cli`');
  }
}

/** What a run produced. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A fresh HOME with an XDG config dir, and an env without the caller's PTNAD_* settings. */
export function isolatedEnv(extra: Record<string, string> = {}): { env: NodeJS.ProcessEnv; home: string } {
  const home = mkdtempSync(join(tmpdir(), 'ptnad-cli-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('PTNAD_') && k !== 'NO_COLOR' && k !== 'FORCE_COLOR') env[k] = v;
  }
  return { env: { ...env, HOME: home, XDG_CONFIG_HOME: join(home, 'xdg'), ...extra }, home };
}

/** Options of {@link ptnad}. */
export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (stdin is always closed, so nothing waits on it). */
  input?: string;
  /** Called with the child once it is spawned (to send signals). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
  /** Leave stdin open (for interruption tests). */
  keepStdinOpen?: boolean;
}

/** Runs `ptnad ...args` and collects its output and exit code. */
export function ptnad(args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (options.input !== undefined) child.stdin.write(options.input);
    if (!options.keepStdinOpen) child.stdin.end();
    options.onSpawn?.(child);
  });
}

/** Options of {@link cli}: like {@link RunOptions}, plus terminal flags for the fake streams. */
export interface CliOptions {
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (stdin is always closed unless `keepStdinOpen`). */
  input?: string | Buffer;
  keepStdinOpen?: boolean;
  /** Called with the fake stdin once the run started (to feed it later). */
  onStart?: (io: { stdin: PassThrough }) => void;
}

/** Runs `main(args)` in this process with fake streams and collects what it wrote and its exit code. */
export async function cli(args: readonly string[], options: CliOptions): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  if (options.input !== undefined) stdin.write(options.input);
  if (!options.keepStdinOpen) stdin.end();
  const streams: Streams = { stdout, stderr, stdin };
  const running = main([...args], { env: options.env, streams });
  options.onStart?.({ stdin });
  const code = await running;
  // PassThrough delivers 'data' asynchronously; let the last chunks arrive.
  await new Promise<void>((resolve) => setImmediate(resolve));
  return { code, signal: null, stdout: out, stderr: err };
}

/** An emulator for a CLI test file, an SDK client logged in as its admin, and an isolated env pointing at it. */
export interface CliEmulator {
  emu: Emulator;
  client: PTNADClient;
  env: NodeJS.ProcessEnv;
}

/** Starts the emulator of a test file (call in `beforeAll`; pair with {@link stopCliEmulator} in `afterAll`). */
export async function startCliEmulator(options: { seed: number; flows: number }): Promise<CliEmulator> {
  const emu = await startEmulator({ port: 0, ...options });
  const auth = { type: 'local' as const, username: 'administrator', password: 'Administr@t0r' };
  const client = new PTNADClient(emu.url, { auth });
  const { env } = isolatedEnv({ PTNAD_URL: emu.url, PTNAD_USERNAME: auth.username, PTNAD_PASSWORD: auth.password });
  return { emu, client, env };
}

/** Closes what {@link startCliEmulator} opened; tolerates a start that failed half-way. */
export async function stopCliEmulator(fixture: Partial<CliEmulator>): Promise<void> {
  await fixture.client?.close();
  await fixture.emu?.close();
}
