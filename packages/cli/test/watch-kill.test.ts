/**
 * Proof: the watcher is killed with SIGKILL at random points (at least 20 times: before it pinned its start,
 * mid-stream after a random number of lines, right after a batch) while live traffic keeps arriving, and
 * restarted each time. The file sink ends with every event exactly once, in order (time order, except rows that
 * appeared late, which come within the look-back).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, isolatedEnv } from './harness.js';
import { jsonLines, liveEmulator, prng, startWatcher, timeOf, until } from './watch-helpers.js';

let emu: Emulator;
beforeAll(async () => {
  assertBuilt();
  emu = await liveEmulator(60, 5);
});
afterAll(() => emu.close());

describe('ptnad watch under SIGKILL', () => {
  it('file sink: every event exactly once and in order after 22 kills and restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptnad-watch-kill-'));
    const out = join(dir, 'flows.jsonl');
    const state = join(dir, 'state.json');
    const { env } = isolatedEnv();
    const args = ['flows', '--sink', `file:${out}`, '--state', state, '--look-back', '30s'];
    const rand = prng(20261129);
    const appeared: string[] = [];
    let pinned = false;
    let kills = 0;
    for (let round = 0; round < 22; round++) {
      const w = startWatcher(emu, args, env);
      if (!pinned) {
        // The first run pins "now" in the state file; everything after that must arrive.
        await until(() => existsSync(state), 'the first state file');
        pinned = true;
      }
      const before = jsonLines(out).length;
      const mode = round < 2 ? 'early' : rand() < 0.7 ? 'lines' : 'state';
      // New traffic for this round: 1-4 s of emulator time (60-240 flows).
      appeared.push(...(emu.live?.tick(1000 + Math.floor(rand() * 3000)) ?? []).map((a) => a.flow.id));
      if (mode === 'lines') {
        const want = before + 1 + Math.floor(rand() * 120);
        await until(() => jsonLines(out).length >= want || w.child.exitCode !== null, 'lines to kill at', 30_000);
      } else if (mode === 'state') {
        const size = stateSize(state);
        await until(() => stateSize(state) !== size || w.child.exitCode !== null, 'a state save', 30_000);
      }
      w.child.kill('SIGKILL');
      const { signal } = await w.exited;
      if (signal === 'SIGKILL') kills++;
    }
    // Let every pending flow become visible, then drain with --once.
    appeared.push(...(emu.live?.tick(15_000) ?? []).map((a) => a.flow.id));
    const last = startWatcher(emu, [...args, '--once'], env);
    const { code } = await last.exited;
    expect(last.stderr()).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(20);

    // The finished file holds whole lines only (a line torn by a kill was repaired by the next run).
    expect(readFileSync(out, 'utf8').endsWith('\n')).toBe(true);
    const lines = jsonLines(out);
    const ids = lines.map((l) => String(l.id));
    expect(new Set(ids).size).toBe(ids.length); // exactly once
    expect([...ids].sort()).toEqual([...appeared].sort()); // nothing lost
    let newest = '';
    for (const l of lines) {
      const t = timeOf(l);
      // In order: never older than the look-back behind the newest row written before it.
      expect(Date.parse(`${newest || t}Z`) - Date.parse(`${t}Z`)).toBeLessThanOrEqual(30_000);
      if (t > newest) newest = t;
    }
  }, 400_000);
});

function stateSize(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
