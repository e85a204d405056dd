/**
 * Child process of the BQL export benchmark: streams a query to a null sink and prints one JSON line with the
 * row count, the wall time and the peak RSS. It runs alone in its process so that the figure is the SDK's own
 * memory (the emulator lives in another process). Usage: tsx bench/stream-worker.ts URL APIKEY PAGESIZE QUERY
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { PTNADClient } from 'ptnad-client';
import { rssSampler } from './stats.js';

/** The kernel's high-water mark of this process's resident set (Linux), in bytes; 0 elsewhere. */
function vmHwmBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const [url, apikey, pageSizeText, query] = process.argv.slice(2);
if (!url || !apikey || !pageSizeText || !query) {
  process.stderr.write('usage: stream-worker.ts URL APIKEY PAGESIZE QUERY\n');
  process.exit(2);
}
const client = new PTNADClient(url, { auth: { type: 'apikey', apikey }, timeoutMs: 300_000 });
// RSS once the modules are loaded (tsx and the SDK): what the export adds is measured from here.
const baseline = process.memoryUsage.rss();
const sampler = rssSampler(10);
const t0 = performance.now();
let rows = 0;
let checksum = 0;
for await (const row of client.bql.stream(query, { pageSize: Number(pageSizeText) })) {
  rows++;
  // A null sink that still touches every row, so nothing is optimised away.
  checksum = (checksum + row.length) | 0;
  if ((rows & 4095) === 0) sampler.sample();
}
const seconds = (performance.now() - t0) / 1000;
const sampledPeak = sampler.stop();
await client.close();
process.stdout.write(`${JSON.stringify({ rows, seconds, checksum, baseline, sampledPeak, vmHwm: vmHwmBytes() })}\n`);
