/**
 * Every file in examples/ runs with its one documented command (`npx tsx examples/<file>.ts`, here
 * `node --import tsx` to skip npx's start-up) against the in-process emulator it starts when PTNAD_URL is unset,
 * and exits 0. Files other examples import (connect.ts, print-table.ts) are modules: they must load cleanly.
 */

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './runner.js';

const files = readdirSync(join(REPO, 'examples'))
  .filter((f) => f.endsWith('.ts'))
  .sort();
const sources = new Map(files.map((f) => [f, readFileSync(join(REPO, 'examples', f), 'utf8')]));
/** Imported by another example: a shared module rather than a program. */
const isModule = (f: string) =>
  [...sources.values()].some((src) => src.includes(`from './${f.replace(/\.ts$/, '.js')}'`));

/** The environment without any PT NAD settings, so the examples use their in-process emulator. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('PTNAD_')) delete env[k];
  return env;
}

/** `node --import tsx <file>` from the repository root; resolves with its exit status and output. */
function run(file: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: REPO, env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('examples/', () => {
  it('has the examples the guides link to', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  // Concurrent: each example mostly waits on its own emulator and child process (vitest has one worker on 2 cores).
  it.concurrent.each(files)('%s runs and exits 0', { timeout: 120_000 }, async (file) => {
    const r = await run(join('examples', file));
    expect(r.status, `examples/${file} exited ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    if (!isModule(file)) expect(r.stdout.trim(), `examples/${file} printed nothing`).not.toBe('');
  });
});
