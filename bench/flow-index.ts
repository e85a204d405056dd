/**
 * The emulator's time indexes (issue 15, "Paging that costs one page"): what building them costs, what a keyset
 * page costs with them against a full scan (the same query, the same answer, measured in one run), and the
 * default dataset's memory with both indexes built. Goal: default dataset (20,000 flows, indexes built)
 * <= 200 MB RSS; a keyset page at least 20x cheaper than a full scan at 1,000,000 flows.
 * BENCH_INDEX_FLOWS changes the large size. Run alone with `npx tsx bench/flow-index.ts` (after `npm run build`).
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { executeBql, type FlowRecord, FlowTable, generateDataset } from 'ptnad-emulator';
import type { BenchRow } from './run.js';
import { count, median } from './stats.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const PAGE = 10_000;
const COLUMNS = 'id, start, end, src.ip, src.port, dst.ip, dst.port, proto, app_proto';

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** The keyset page `bql.stream` asks for after the row at `at` (time order), as text. */
function keysetPage(flows: readonly FlowRecord[], at: number): string {
  const sorted = [...flows].sort((a, b) => a.end - b.end || a.end_us - b.end_us || (a.id < b.id ? -1 : 1));
  const f = sorted[at] as FlowRecord;
  return `SELECT ${COLUMNS} FROM flow WHERE end > ${f.end} OR (end == ${f.end} AND id > "${f.id}") ORDER BY end asc, id asc LIMIT ${PAGE}`;
}

function timeMs(fn: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Measures the default dataset's RSS with indexes, then the large dataset's index build and page costs. */
export async function benchFlowIndex(large = Number(process.env.BENCH_INDEX_FLOWS ?? 1_000_000)) {
  const small = generateDataset({ seed: 1, flows: 20_000, now: NOW });
  const smallTable = new FlowTable(small.flows);
  smallTable.index('end');
  smallTable.index('start');
  globalThis.gc?.();
  const defaultRss = process.memoryUsage().rss;

  const ds = generateDataset({ seed: 5, flows: large, now: NOW });
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const table = new FlowTable(ds.flows);
  const t0 = performance.now();
  table.index('end');
  const endMs = performance.now() - t0;
  const t1 = performance.now();
  table.index('start');
  const startMs = performance.now() - t1;
  globalThis.gc?.();
  const heapGrowth = process.memoryUsage().heapUsed - heap0;
  const rssGrowth = process.memoryUsage().rss - rss0;

  const text = keysetPage(ds.flows, Math.floor(large / 2));
  const indexed = executeBql(text, { flows: table, now: NOW, budgetMs: 600_000 });
  const full = executeBql(text, { flows: ds.flows, now: NOW, budgetMs: 600_000 });
  if (JSON.stringify(indexed) !== JSON.stringify({ ...full, took: indexed.took })) {
    throw new Error('indexed and full-scan answers differ');
  }
  const indexedMs = timeMs(() => executeBql(text, { flows: table, now: NOW, budgetMs: 600_000 }), 7);
  const fullMs = timeMs(() => executeBql(text, { flows: ds.flows, now: NOW, budgetMs: 600_000 }), 3);
  return { large, endMs, startMs, heapGrowth, rssGrowth, defaultRss, indexedMs, fullMs, rows: indexed.result.length };
}

/** Rows for `npm run bench`. */
export async function flowIndexRows(): Promise<BenchRow[]> {
  const r = await benchFlowIndex();
  const ratio = r.fullMs / r.indexedMs;
  return [
    {
      case: `Flow time indexes (end, start): build for ${count(r.large)} flows`,
      figure: `end ${Math.round(r.endMs)} ms + start ${Math.round(r.startMs)} ms, heap +${mb(r.heapGrowth)} MB (RSS +${mb(r.rssGrowth)} MB)`,
      goal: 'reported (built on first use)',
      met: null,
      details: r,
    },
    {
      case: `Keyset page of ${count(PAGE)} rows at ${count(r.large)} flows: full scan / indexed`,
      figure: `${ratio.toFixed(0)}x (${r.fullMs.toFixed(0)} ms vs ${r.indexedMs.toFixed(1)} ms, same answer)`,
      goal: '>= 20x',
      met: ratio >= 20 && r.rows === PAGE,
    },
    {
      case: 'Emulator default dataset (20,000 flows) with both time indexes built: RSS',
      figure: `${mb(r.defaultRss)} MB`,
      goal: '<= 200 MB',
      met: mb(r.defaultRss) <= 200,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await flowIndexRows()) process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal})\n`);
}
