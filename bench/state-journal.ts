/**
 * `--state` cost of one change: a single item added to a dynamic list that already holds 200,000 items, with the
 * state journal on, against the same add without `--state` (same run). Before the journal every change rewrote
 * the whole state file synchronously (about 210 ms for this case, blocking every client); that rewrite is timed
 * in the same run as the baseline. Goal: the median add costs at most a fifth of a whole-state rewrite (the journal
 * costs one appended line and an fsync). Also reported: the slowest add while a background snapshot runs. Run alone with `npx tsx bench/state-journal.ts`.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import type { BenchRow } from './run.js';
import { count, median } from './stats.js';

const ITEMS = 200_000;
const ADDS = 60;
const KEY = 'bench-journal';

async function post(emu: Emulator, path: string, body: unknown): Promise<number> {
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emu.credentials.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status}`);
  return res.status;
}

/** Fills a dynamic list with ITEMS values, then times ADDS single adds; returns the add latencies (ms). */
async function measure(
  statePath: string | undefined,
): Promise<{ adds: number[]; duringCompactionMaxMs: number; rewrites: number[] }> {
  const emu = await startEmulator({
    seed: 1,
    flows: 1000,
    now: '2025-06-01T12:00:00Z',
    ...(statePath ? { statePath } : {}),
  });
  try {
    await post(emu, '/api/v2/replists', { name: KEY, type: 'ip', external_key: KEY });
    for (let start = 0; start < ITEMS; start += 10_000) {
      const chunk = Array.from({ length: 10_000 }, (_, i) => {
        const n = start + i;
        return { value: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
      });
      await post(emu, `/api/v2/replists/dynamic/${KEY}/_bulk`, chunk);
    }
    await emu.state.journal?.settle();
    // What every change cost before the journal: the whole state serialised and written with fsync and rename.
    const rewrites: number[] = [];
    if (statePath) {
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const tmp = `${statePath}.rewrite.tmp`;
        const fd = openSync(tmp, 'w', 0o600);
        writeSync(fd, JSON.stringify(emu.state.snapshot()));
        fsyncSync(fd);
        closeSync(fd);
        renameSync(tmp, `${statePath}.rewrite`);
        rewrites.push(performance.now() - t0);
      }
    }
    const adds: number[] = [];
    for (let i = 0; i < ADDS; i++) {
      const t0 = performance.now();
      await post(emu, `/api/v2/replists/dynamic/${KEY}/${encodeURIComponent(`172.16.0.${i}`)}`, { n: String(i) });
      adds.push(performance.now() - t0);
    }
    // Push the journal over its threshold with one big bulk, then time adds while the snapshot is written.
    let duringCompactionMaxMs = 0;
    if (statePath) {
      const big = Array.from({ length: 60_000 }, (_, i) => ({ value: `11.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }));
      await post(emu, `/api/v2/replists/dynamic/${KEY}/_bulk`, big);
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        await post(emu, `/api/v2/replists/dynamic/${KEY}/${encodeURIComponent(`172.17.0.${i}`)}`, {});
        duringCompactionMaxMs = Math.max(duringCompactionMaxMs, performance.now() - t0);
      }
      await emu.state.journal?.settle();
    }
    return { adds, duringCompactionMaxMs, rewrites };
  } finally {
    await emu.close();
  }
}

/** Rows for `npm run bench`. */
export async function stateJournalRows(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ptnad-bench-state-'));
  try {
    const withState = await measure(join(dir, 'state.json'));
    const without = await measure(undefined);
    const med = median(withState.adds);
    const base = median(without.adds);
    const rewrite = median(withState.rewrites);
    return [
      {
        case: `Emulator --state: one item added to a ${count(ITEMS)}-item list`,
        figure:
          `${med.toFixed(1)} ms median (${(med / rewrite).toFixed(2)} of a whole-state rewrite, ${rewrite.toFixed(0)} ms ` +
          `this run, which every change cost before); ${base.toFixed(1)} ms without --state; slowest add during a ` +
          `background snapshot ${withState.duringCompactionMaxMs.toFixed(0)} ms`,
        goal: '<= 0.2 of a whole-state rewrite',
        met: med <= rewrite * 0.2,
        details: { withState: withState.adds, without: without.adds, rewrites: withState.rewrites },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await stateJournalRows()) process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal})\n`);
}
