/**
 * Request overhead: N `client.monitoring.getStatus()` calls through the SDK against the same N requests sent
 * with a bare undici `Pool.request()` loop on one kept-alive connection, both with the API key as bearer, both
 * to the same emulator. Runs are interleaved (A B, then B A, ...) so drift of a shared machine hits both sides
 * alike; the figure is the ratio of the median per-request times. Goal: SDK <= 1.3x the bare loop.
 * Run alone with `npx tsx bench/sdk-overhead.ts`.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PTNADClient } from 'ptnad-client';
import { startEmulator } from 'ptnad-emulator';
import { Pool } from 'undici';
import type { BenchRow } from './run.js';
import { median } from './stats.js';

/** Options of {@link benchSdkOverhead}. */
export interface SdkOverheadOptions {
  /** Interleaved rounds; each round times both sides once. Default 11. */
  rounds?: number;
  /** Requests per side per round. Default 300. */
  perRound?: number;
}

/** What {@link benchSdkOverhead} measured: median microseconds per request of each side, and their ratio. */
export interface SdkOverheadResult {
  sdkMicros: number;
  bareMicros: number;
  ratio: number;
  rounds: number;
  perRound: number;
}

async function timePerRequest(n: number, send: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await send();
  return ((performance.now() - t0) * 1000) / n;
}

/** Measures the SDK's per-request overhead against a bare undici loop on the same emulator. */
export async function benchSdkOverhead(options: SdkOverheadOptions = {}): Promise<SdkOverheadResult> {
  const rounds = options.rounds ?? 11;
  const perRound = options.perRound ?? 300;
  const emu = await startEmulator({ port: 0, host: '127.0.0.1', seed: 3, flows: 1000, now: '2025-06-01T00:00:00Z' });
  const apikey = emu.credentials.apiKey;
  const client = new PTNADClient(emu.url, { auth: { type: 'apikey', apikey } });
  // One connection, kept alive: the cheapest a hand-written loop can be.
  const pool = new Pool(emu.url, { connections: 1, keepAliveTimeout: 60_000 });
  const headers = { authorization: `Bearer ${apikey}`, accept: 'application/json' };
  const bare = async () => {
    const res = await pool.request({ method: 'GET', path: '/api/v2/monitoring/status', headers });
    if (res.statusCode !== 200) throw new Error(`bare request got HTTP ${res.statusCode}`);
    return res.body.json();
  };
  const sdk = () => client.monitoring.getStatus();
  try {
    await client.login();
    // Warm-up: JIT both paths and open both connections before anything is timed.
    for (let i = 0; i < 300; i++) {
      await bare();
      await sdk();
    }
    const sdkRuns: number[] = [];
    const bareRuns: number[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        bareRuns.push(await timePerRequest(perRound, bare));
        sdkRuns.push(await timePerRequest(perRound, sdk));
      } else {
        sdkRuns.push(await timePerRequest(perRound, sdk));
        bareRuns.push(await timePerRequest(perRound, bare));
      }
    }
    const sdkMicros = median(sdkRuns);
    const bareMicros = median(bareRuns);
    return { sdkMicros, bareMicros, ratio: sdkMicros / bareMicros, rounds, perRound };
  } finally {
    await client.close();
    await pool.close();
    await emu.close();
  }
}

/** Rows for `npm run bench`. */
export async function sdkOverheadRows(): Promise<BenchRow[]> {
  const r = await benchSdkOverhead();
  return [
    {
      case: 'Request overhead: monitoring.getStatus() via SDK / bare undici Pool',
      figure: `${r.ratio.toFixed(2)}x (${r.sdkMicros.toFixed(0)} µs vs ${r.bareMicros.toFixed(0)} µs per request)`,
      goal: '<= 1.3x',
      met: r.ratio <= 1.3,
      details: { ...r },
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await sdkOverheadRows()) process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal})\n`);
}
