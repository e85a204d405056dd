/**
 * Every file in examples/ runs with its one documented command (`npx tsx examples/<file>.ts`, here
 * `node --import tsx` to skip npx's start-up) against the in-process emulator it starts when PTNAD_URL is unset,
 * and exits 0. Files other examples import (connect.ts, print-table.ts) are modules: they must load cleanly.
 */

import { spawnSync } from 'node:child_process';
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

describe('examples/', () => {
  it('has the examples the guides link to', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s runs and exits 0', { timeout: 120_000 }, (file) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join('examples', file)], {
      cwd: REPO,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(r.status, `examples/${file} exited ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    if (!isModule(file)) expect(r.stdout.trim(), `examples/${file} printed nothing`).not.toBe('');
  });
});
