/**
 * IOC feed sync: `replists.syncDynamicList` of 100,000 values into an empty dynamic list, then the same feed
 * with 1% of the values replaced. Reports the wall time of each run (median of several fresh lists) and the
 * HTTP requests the emulator received, split into reads and bulk writes. Goal: the second run sends only the
 * changes: exactly ceil(added / chunk) bulk adds and ceil(removed / chunk) bulk deletes, plus the reads.
 * Run alone with `npx tsx bench/ioc-sync.ts`.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PTNADClient, type SyncReport } from 'ptnad-client';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import type { BenchRow } from './run.js';
import { count, median } from './stats.js';

const ITEMS = '/api/v2/replists/dynamic/:key';
const BULK_ADD = '/api/v2/replists/dynamic/:key/_bulk';
const BULK_DELETE = '/api/v2/replists/dynamic/:key/_delete';

/** Options of {@link benchIocSync}. */
export interface IocSyncOptions {
  /** Feed size. Default 100,000. */
  values?: number;
  /** Fraction of the feed replaced before the second run. Default 0.01. */
  changed?: number;
  /** Values per bulk call (the SDK default). Default 1000. */
  chunkSize?: number;
  /** Repetitions on fresh lists; medians are reported. Default 3. */
  runs?: number;
}

/** Requests one sync run caused, by kind. */
export interface SyncRequests {
  total: number;
  reads: number;
  bulkAdds: number;
  bulkDeletes: number;
}

/** One measured sync run. */
export interface SyncRun {
  seconds: number;
  requests: SyncRequests;
  report: SyncReport;
}

// Distinct IPv4 addresses in 10.0.0.0/8, `offset` shifts the whole range.
const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

async function measuredSync(
  emu: Emulator,
  client: PTNADClient,
  key: string,
  feed: string[],
  chunkSize: number,
): Promise<SyncRun> {
  emu.counters.reset();
  const t0 = performance.now();
  const report = await client.replists.syncDynamicList(key, feed, { chunkSize, pageSize: 1000 });
  const seconds = (performance.now() - t0) / 1000;
  const requests = {
    total: emu.counters.total,
    reads: emu.counters.get('GET', ITEMS),
    bulkAdds: emu.counters.get('POST', BULK_ADD),
    bulkDeletes: emu.counters.get('POST', BULK_DELETE),
  };
  if (report.failed.length > 0) throw new Error(`sync reported ${report.failed.length} failed chunks`);
  return { seconds, requests, report };
}

/** Runs the initial and the incremental sync `runs` times, each time into a fresh list. */
export async function benchIocSync(options: IocSyncOptions = {}) {
  const size = options.values ?? 100_000;
  const changedCount = Math.round(size * (options.changed ?? 0.01));
  const chunkSize = options.chunkSize ?? 1000;
  const runs = options.runs ?? 3;
  const emu = await startEmulator({ port: 0, host: '127.0.0.1', seed: 2, flows: 100, now: '2025-06-01T00:00:00Z' });
  const client = new PTNADClient(emu.url, { auth: { type: 'apikey', apikey: emu.credentials.apiKey } });
  const feed = Array.from({ length: size }, (_, i) => ip(i + 1));
  // 1% replaced: the first `changedCount` values leave the feed, as many new ones (beyond the range) join it.
  const changedFeed = [
    ...feed.slice(changedCount),
    ...Array.from({ length: changedCount }, (_, i) => ip(size + i + 1)),
  ];
  const initial: SyncRun[] = [];
  const incremental: SyncRun[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const key = `bench-ioc-${r}`;
      await client.replists.createList({ name: key, type: 'ip', color: '7', externalKey: key });
      initial.push(await measuredSync(emu, client, key, feed, chunkSize));
      incremental.push(await measuredSync(emu, client, key, changedFeed, chunkSize));
    }
  } finally {
    await client.close();
    await emu.close();
  }
  // The SDK reads the current items 1000 per page and follows `next` until it is null.
  const expected: SyncRequests = {
    reads: Math.max(1, Math.ceil(size / 1000)),
    bulkAdds: Math.ceil(changedCount / chunkSize),
    bulkDeletes: Math.ceil(changedCount / chunkSize),
    total: 0,
  };
  expected.total = expected.reads + expected.bulkAdds + expected.bulkDeletes;
  return { size, changedCount, chunkSize, initial, incremental, expected };
}

/** Rows for `npm run bench`. */
export async function iocSyncRows(): Promise<BenchRow[]> {
  const r = await benchIocSync();
  const first = r.initial[0];
  const second = r.incremental[0];
  if (!first || !second) throw new Error('ioc sync produced no run');
  const seconds = (runs: SyncRun[]) => median(runs.map((x) => x.seconds));
  const describe = (q: SyncRequests) =>
    `${q.total} requests (${q.reads} reads, ${q.bulkAdds} bulk adds, ${q.bulkDeletes} bulk deletes)`;
  const keys = ['total', 'reads', 'bulkAdds', 'bulkDeletes'] as const;
  const sameRequests = r.incremental.every((x) => keys.every((k) => x.requests[k] === r.expected[k]));
  const exactDiff = r.incremental.every(
    (x) => x.report.added === r.changedCount && x.report.removed === r.changedCount,
  );
  return [
    {
      case: `IOC feed: syncDynamicList of ${count(r.size)} values into an empty list`,
      figure: `${seconds(r.initial).toFixed(2)} s, ${describe(first.requests)}`,
      goal: `every value added (${count(r.size)})`,
      met: r.initial.every((x) => x.report.added === r.size),
      details: { runs: r.initial.map((x) => ({ seconds: x.seconds, ...x.requests })) },
    },
    {
      case: `IOC feed: the same feed with ${count(r.changedCount)} values (1%) replaced`,
      figure: `${seconds(r.incremental).toFixed(2)} s, ${describe(second.requests)}; ${((seconds(r.incremental) / seconds(r.initial)) * 100).toFixed(0)}% of the first run's time`,
      goal: `only the changes: ${describe(r.expected)}`,
      met: sameRequests && exactDiff,
      details: { runs: r.incremental.map((x) => ({ seconds: x.seconds, ...x.requests })), expected: r.expected },
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await iocSyncRows()) process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal})\n`);
}
