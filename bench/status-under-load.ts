/**
 * Hostile BQL and the rest of the API (issue 19, item 2): the p99 latency of `GET /api/v2/monitoring/status`
 * while pathological queries run back to back on the same emulator (a child process, default dataset), against
 * the p99 with the emulator idle. The queries are the issue's: `http.rqs.url ~ '******!'` (2.4 s with the old
 * backtracking matcher), a `src.ip in [...]` of 10,000 addresses (17.8 s before) and a long OR of wildcards.
 * Goal: status p99 under load <= 5x the idle p99, measured in the same run (before: a status request waited for the
 * whole running query: 50 s on the 2-core development machine).
 * Run alone with `npx tsx bench/status-under-load.ts` (after `npm run build`).
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEFAULT_API_KEY } from 'ptnad-emulator';
import { spawnEmulator } from './emulator-process.js';
import type { BenchRow } from './run.js';

const HEADERS = { Authorization: `Bearer ${DEFAULT_API_KEY}` };

/** The pathological queries, run one after another for the whole measurement. */
export function pathologicalQueries(): string[] {
  const ips = Array.from({ length: 10_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  const wild = Array.from({ length: 400 }, (_, i) => `http.rqs.url ~ '*q${i}*z*'`).join(' OR ');
  return [
    "SELECT id FROM flow WHERE http.rqs.url ~ '******!' LIMIT 10",
    `SELECT id FROM flow WHERE src.ip in [${ips.join(', ')}] LIMIT 10`,
    `SELECT id FROM flow WHERE ${wild} ORDER BY bytes.total desc LIMIT 10`,
  ];
}

/** The p-th percentile (nearest rank) of some latencies. */
function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** Sequential status requests: `count` of them, or as many as fit in `maxSeconds` (a blocked server answers few). */
async function statusLatencies(url: string, count: number, maxSeconds = 60): Promise<number[]> {
  const out: number[] = [];
  const end = performance.now() + maxSeconds * 1000;
  for (let i = 0; i < count && performance.now() < end; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/v2/monitoring/status`, { headers: HEADERS });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`monitoring/status answered ${res.status}`);
    out.push(performance.now() - t0);
  }
  return out;
}

/** Idle p99, then p99 while the pathological queries run; each from `count` sequential status requests. */
export async function benchStatusUnderLoad(count = 200) {
  // A budget far above the old engine's query times, so that both engines run every query to its end.
  const emu = await spawnEmulator(['--seed', '1', '--now', '2025-06-01T00:00:00Z', '--query-budget', '600000']);
  try {
    await statusLatencies(emu.url, 20);
    const idle = await statusLatencies(emu.url, count);
    let stop = false;
    let queries = 0;
    const errors: string[] = [];
    const load = (async () => {
      const texts = pathologicalQueries();
      while (!stop) {
        const text = texts[queries % texts.length] as string;
        const res = await fetch(`${emu.url}/api/v2/bql`, {
          method: 'POST',
          headers: { ...HEADERS, 'Content-Type': 'text/plain' },
          body: text,
        });
        const body = await res.text();
        if (res.status !== 200) errors.push(body.slice(0, 200));
        queries++;
      }
    })();
    const t0 = performance.now();
    const busy = await statusLatencies(emu.url, count, 30);
    const seconds = (performance.now() - t0) / 1000;
    stop = true;
    await load;
    return {
      idleP99: percentile(idle, 99),
      busyP99: percentile(busy, 99),
      busyMedian: percentile(busy, 50),
      busyMax: Math.max(...busy),
      busyRequests: busy.length,
      queries,
      seconds,
      errors,
    };
  } finally {
    await emu.stop();
  }
}

/** Rows for `npm run bench`. */
export async function statusUnderLoadRows(): Promise<BenchRow[]> {
  const r = await benchStatusUnderLoad();
  return [
    {
      case: 'Emulator: monitoring/status p99 while pathological BQL runs (many-star ~, 10,000-address in, 400 wildcards)',
      figure: `${r.busyP99.toFixed(1)} ms (median ${r.busyMedian.toFixed(1)} ms, max ${r.busyMax.toFixed(0)} ms, ${r.busyRequests} requests; idle p99 ${r.idleP99.toFixed(1)} ms; ${r.queries} queries in ${r.seconds.toFixed(1)} s)`,
      goal: 'p99 <= 5x idle p99',
      met: r.busyP99 <= 5 * r.idleP99 && r.errors.length === 0,
      details: r,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await statusUnderLoadRows())
    process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal})\n`);
}
