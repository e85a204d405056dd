/**
 * Emulator data and engine figures: time and memory to generate the default dataset (20,000 flows), and BQL
 * scan throughput (flows per second) for a simple and a complex filter over the default dataset and over a
 * larger one (200,000 flows). Every scan figure is the median of several runs after a warm-up. The goal is
 * >= 1,000,000 flows/s for a simple comparison and < 200 MB for the default dataset.
 * Run alone with `npx tsx bench/emulator.ts` (after `npm run build`); `npm run bench` calls {@link benchEmulator}.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { executeBql, type FlowRecord, generateDataset } from 'ptnad-emulator';
import { median } from './stats.js';

const NOW = new Date('2025-06-01T12:00:00Z');

/** A simple comparison and a realistic hunting filter (the README's "odd ports" example). */
export const SIMPLE_FILTER = 'dst.port == 443';
export const COMPLEX_FILTER =
  "src.groups != 'HOME_NET' && dst.port != 80 && dst.port != 443 && dst.port != 25 && src.port != 53 && " +
  "src.port != 443 && src.port != 123 && (flags == 'FINISHED' && !(flags == 'MISSED_START' || flags == 'MISSED_END')) " +
  '&& pkts.recv > 0 || http(rqs.method == POST && rsp.code == 200) || alert.msg ~ "*PTsecurity*"';

/** Flows scanned per second by `SELECT id FROM flow WHERE <filter> LIMIT 100` (median of `runs`). */
function scanRate(flows: FlowRecord[], filter: string, runs = 7): number {
  const query = `SELECT id FROM flow WHERE ${filter} LIMIT 100`;
  for (let i = 0; i < 3; i++) executeBql(query, { flows, now: NOW });
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    executeBql(query, { flows, now: NOW });
    const ms = performance.now() - t0;
    rates.push(flows.length / (ms / 1000));
  }
  return median(rates);
}

/** Measures generation time/memory and scan throughput; keys are stable figure names. */
export async function benchEmulator(): Promise<Record<string, number>> {
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const ds = generateDataset({ seed: 1, flows: 20_000, now: NOW });
  const genMs = performance.now() - t0;
  globalThis.gc?.();
  const mem = process.memoryUsage();
  const out: Record<string, number> = {
    defaultFlows: ds.flows.length,
    defaultGenerateMs: Math.round(genMs),
    defaultHeapMB: Math.round(((mem.heapUsed - heap0) / 2 ** 20) * 10) / 10,
    defaultRssMB: Math.round((mem.rss / 2 ** 20) * 10) / 10,
    defaultSimpleFlowsPerSec: Math.round(scanRate(ds.flows, SIMPLE_FILTER)),
    defaultComplexFlowsPerSec: Math.round(scanRate(ds.flows, COMPLEX_FILTER)),
  };
  await new Promise((resolve) => setImmediate(resolve));
  const t1 = performance.now();
  const big = generateDataset({ seed: 2, flows: 200_000, now: NOW });
  out.largeFlows = big.flows.length;
  out.largeGenerateMs = Math.round(performance.now() - t1);
  out.largeSimpleFlowsPerSec = Math.round(scanRate(big.flows, SIMPLE_FILTER, 5));
  out.largeComplexFlowsPerSec = Math.round(scanRate(big.flows, COMPLEX_FILTER, 5));
  const t2 = performance.now();
  const sorted = executeBql('SELECT id, start FROM flow WHERE app_proto == tls ORDER BY start desc LIMIT 100', {
    flows: big.flows,
    now: NOW,
  });
  out.largeOrderByMs = Math.round(performance.now() - t2);
  out.largeOrderByTotal = sorted.total;
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchEmulator();
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k.padEnd(28)} ${v.toLocaleString('en-US')}\n`);
}
