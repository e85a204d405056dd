/**
 * BQL export: `client.bql.stream()` of every flow of a large emulator dataset to a null sink, in a child process
 * of its own (bench/stream-worker.ts) so its peak RSS is the SDK's alone; the emulator runs in another child.
 * The same export is run with a sixth of the rows (LIMIT) to show that memory does not grow with the row count.
 * Goal: peak RSS < 150 MB whatever the row count.
 *
 * The emulator keeps every flow in memory (a 1,000,000-flow dataset takes a while to build: it gets a larger
 * heap); a keyset page reads its rows off a time index and is written straight to JSON, so a page costs about its
 * own size, and the SDK asks for the next page while the current one is read. The full export runs once, with
 * pages of 10,000 rows; the small one (a sixth) runs three times. BENCH_STREAM_FLOWS changes the size.
 * Run alone with `npx tsx bench/stream-export.ts`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_API_KEY } from 'ptnad-emulator';
import { spawnEmulator } from './emulator-process.js';
import type { BenchRow } from './run.js';
import { count, median, mib } from './stats.js';

const WORKER = fileURLToPath(new URL('./stream-worker.ts', import.meta.url));
const COLUMNS = 'id, start, end, src.ip, src.port, dst.ip, dst.port, proto, app_proto';

/** One worker run. */
export interface StreamRun {
  rows: number;
  seconds: number;
  /** Peak RSS of the worker: the kernel's VmHWM, or the sampled peak where /proc is missing. */
  peakRss: number;
  /** RSS after loading the modules, before the export started. */
  baseline: number;
}

function runWorker(url: string, pageSize: number, query: string): Promise<StreamRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, DEFAULT_API_KEY, String(pageSize), query], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`stream worker exited with ${code}: ${err.trim().slice(0, 500)}`));
        return;
      }
      const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
        rows: number;
        seconds: number;
        baseline: number;
        sampledPeak: number;
        vmHwm: number;
      };
      resolve({
        rows: r.rows,
        seconds: r.seconds,
        peakRss: r.vmHwm > 0 ? r.vmHwm : r.sampledPeak,
        baseline: r.baseline,
      });
    });
  });
}

/** Options of {@link benchStreamExport}. */
export interface StreamExportOptions {
  /** Flows in the emulator's dataset (= rows of the full export). Default 1,000,000 or BENCH_STREAM_FLOWS. */
  flows?: number;
  /** Rows per page. Default 10,000. */
  pageSize?: number;
  /** Runs of the small size (the full size runs once); the median is reported. Default 3. */
  runs?: number;
}

/** Streams the whole dataset and a sixth of it; returns the medians of each size. */
export async function benchStreamExport(options: StreamExportOptions = {}) {
  const flows = options.flows ?? Number(process.env.BENCH_STREAM_FLOWS ?? 1_000_000);
  const pageSize = options.pageSize ?? 10_000;
  const runs = options.runs ?? 3;
  // A generous query budget: on a loaded machine one garbage collection of the 1M-flow heap can hold a page past
  // the default 5 s, and this benchmark measures throughput, not the budget.
  const emu = await spawnEmulator([
    '--flows',
    String(flows),
    '--seed',
    '5',
    '--now',
    '2025-06-01T00:00:00Z',
    '--query-budget',
    '120000',
  ]);
  try {
    const small = Math.floor(flows / 6);
    const sizes = [
      { label: 'small', query: `SELECT ${COLUMNS} FROM flow LIMIT ${small}`, runs },
      { label: 'full', query: `SELECT ${COLUMNS} FROM flow`, runs: 1 },
    ];
    const results: Record<
      string,
      { rows: number; rowsPerSecond: number; peakRss: number; baseline: number; runs: StreamRun[] }
    > = {};
    for (const size of sizes) {
      const done: StreamRun[] = [];
      for (let i = 0; i < size.runs; i++) done.push(await runWorker(emu.url, pageSize, size.query));
      results[size.label] = {
        rows: median(done.map((r) => r.rows)),
        rowsPerSecond: median(done.map((r) => r.rows / r.seconds)),
        peakRss: median(done.map((r) => r.peakRss)),
        baseline: median(done.map((r) => r.baseline)),
        runs: done,
      };
    }
    return { flows, pageSize, small: results.small, full: results.full };
  } finally {
    await emu.stop();
  }
}

/** Rows for `npm run bench`. */
export async function streamExportRows(): Promise<BenchRow[]> {
  const r = await benchStreamExport();
  if (!r.small || !r.full) throw new Error('stream export produced no result');
  const limit = 150 * 2 ** 20;
  const growth = r.full.peakRss / r.small.peakRss;
  return [
    {
      case: `BQL export: bql.stream of ${count(r.full.rows)} rows (pageSize ${count(r.pageSize)}) to a null sink`,
      figure: `${count(r.full.rowsPerSecond)} rows/s, peak RSS ${mib(r.full.peakRss)} (${mib(r.full.baseline)} before the export)`,
      goal: '>= 100,000 rows/s, peak RSS < 150 MB',
      met: r.full.rows === r.flows && r.full.rowsPerSecond >= 100_000 && r.full.peakRss < limit,
      details: { flows: r.flows, ...r.full },
    },
    {
      case: `BQL export: peak RSS at ${count(r.full.rows)} rows / at ${count(r.small.rows)} rows`,
      figure: `${growth.toFixed(2)}x (${mib(r.full.peakRss)} vs ${mib(r.small.peakRss)})`,
      goal: 'flat (<= 1.25x) and < 150 MB',
      met: growth <= 1.25 && r.small.peakRss < limit,
      details: { ...r.small },
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await streamExportRows()) process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal})\n`);
}
