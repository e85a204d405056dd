/**
 * Request overhead: N `client.monitoring.getStatus()` calls through the SDK against the same N requests sent
 * with a bare keep-alive loop, all with the API key as bearer, all to the same emulator. Two bare loops: a
 * `node:http` Agent with keep-alive (what the SDK's transport is built on: the goal's baseline) and an undici
 * `Pool` on one connection (the fastest client we know; the SDK's transport before issue 13). Runs are
 * interleaved (A B C, then rotated) so drift of a shared machine hits every side alike; one run's figure is the
 * ratio of the median per-request times. The whole measurement is repeated and reported as the median ratio
 * with its min and max (one draw is noise on a shared machine). Goal: SDK <= 1.3x the bare node:http loop.
 * Run alone with `npx tsx bench/sdk-overhead.ts`.
 */
import { Agent, request } from 'node:http';
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

/** What {@link benchSdkOverhead} measured: median microseconds per request of each side, and the ratios. */
export interface SdkOverheadResult {
  sdkMicros: number;
  /** The bare node:http keep-alive loop. */
  bareMicros: number;
  /** The bare undici Pool loop. */
  undiciMicros: number;
  /** SDK / bare node:http. */
  ratio: number;
  /** SDK / bare undici. */
  undiciRatio: number;
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
  const agent = new Agent({ keepAlive: true });
  const headers = { authorization: `Bearer ${apikey}`, accept: 'application/json' };
  const statusUrl = `${emu.url}/api/v2/monitoring/status`;
  const undici = async () => {
    const res = await pool.request({ method: 'GET', path: '/api/v2/monitoring/status', headers });
    if (res.statusCode !== 200) throw new Error(`bare request got HTTP ${res.statusCode}`);
    return res.body.json();
  };
  const bare = () =>
    new Promise<unknown>((resolve, reject) => {
      request(statusUrl, { agent, headers }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`bare request got HTTP ${res.statusCode}`));
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve(JSON.parse(text)));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  const sdk = () => client.monitoring.getStatus();
  const sides = [bare, undici, sdk];
  try {
    await client.login();
    // Warm-up: JIT both paths and open both connections before anything is timed.
    for (let i = 0; i < 300; i++) for (const side of sides) await side();
    const runs: number[][] = sides.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < sides.length; k++) {
        const index = (k + r) % sides.length;
        const side = sides[index];
        if (side) runs[index]?.push(await timePerRequest(perRound, side));
      }
    }
    const [bareMicros, undiciMicros, sdkMicros] = runs.map((xs) => median(xs)) as [number, number, number];
    return {
      sdkMicros,
      bareMicros,
      undiciMicros,
      ratio: sdkMicros / bareMicros,
      undiciRatio: sdkMicros / undiciMicros,
      rounds,
      perRound,
    };
  } finally {
    await client.close();
    await pool.close();
    agent.destroy();
    await emu.close();
  }
}

/** Rows for `npm run bench`: the measurement repeated `repeats` times, reported as median (min-max). */
export async function sdkOverheadRows(repeats = 10): Promise<BenchRow[]> {
  const results: SdkOverheadResult[] = [];
  for (let i = 0; i < repeats; i++) results.push(await benchSdkOverhead({ rounds: 5, perRound: 200 }));
  const spread = (xs: number[]) =>
    `${median(xs).toFixed(2)}x (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
  const ratios = results.map((r) => r.ratio);
  const micros = (pick: (r: SdkOverheadResult) => number) => `${median(results.map(pick)).toFixed(0)} µs`;
  return [
    {
      case: `Request overhead: monitoring.getStatus() via SDK / bare node:http keep-alive loop (${repeats} runs)`,
      figure: `${spread(ratios)}; ${micros((r) => r.sdkMicros)} vs ${micros((r) => r.bareMicros)} per request`,
      goal: '<= 1.3x',
      met: median(ratios) <= 1.3,
      details: { results },
    },
    {
      case: `Request overhead: monitoring.getStatus() via SDK / bare undici Pool (${repeats} runs)`,
      figure: `${spread(results.map((r) => r.undiciRatio))}; ${micros((r) => r.sdkMicros)} vs ${micros((r) => r.undiciMicros)} per request`,
      goal: 'reported (undici was the transport before issue 13)',
      met: null,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await sdkOverheadRows()) process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal})\n`);
}
