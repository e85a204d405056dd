/**
 * Parser throughput over the shared example filters: warm-up, then several timed runs, each parsing every
 * example filter many times; the figure is the median microseconds per filter. The goal is < 20 µs per
 * typical filter. Run alone with `npx tsx bench/parser.ts`; `npm run bench` calls {@link benchParser}.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseFilter } from 'ptnad-client/bql';

const EXAMPLES = new URL('../fixtures/bql-examples.json', import.meta.url);

/** Options of {@link benchParser}. */
export interface BenchParserOptions {
  /** Timed runs; the median is reported. Default 7. */
  runs?: number;
  /** Parses of the whole example set per run. Default 2000. */
  rounds?: number;
  /** Filters to parse; default: every `filter` entry of the shared examples. */
  filters?: string[];
}

function exampleFilters(): string[] {
  const entries = JSON.parse(readFileSync(EXAMPLES, 'utf8')) as Array<{ text: string; kind: string }>;
  return entries.filter((e) => e.kind === 'filter').map((e) => e.text);
}

/** Measures parse throughput; `runs` holds the microseconds per filter of every timed run. */
export async function benchParser(
  options: BenchParserOptions = {},
): Promise<{ medianMicros: number; filtersPerSecond: number; runs: number[] }> {
  const filters = options.filters ?? exampleFilters();
  const runCount = options.runs ?? 7;
  const rounds = options.rounds ?? 2000;
  // Something the optimiser cannot prove unused, so no parse is skipped.
  let sink = 0;
  const once = (): void => {
    for (const f of filters) sink += parseFilter(f).span?.end ?? 0;
  };
  for (let i = 0; i < Math.max(200, rounds / 4); i++) once();
  const runs: number[] = [];
  for (let r = 0; r < runCount; r++) {
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) once();
    const ms = performance.now() - t0;
    runs.push((ms * 1000) / (rounds * filters.length));
    // Yield between runs so a caller's event loop (timers, other suites) is not starved.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (sink === 0) throw new Error('benchmark produced no parses');
  const sorted = [...runs].sort((a, b) => a - b);
  const medianMicros = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return { medianMicros, filtersPerSecond: 1e6 / medianMicros, runs };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const filters = exampleFilters();
  const r = await benchParser({ filters });
  const avgLen = filters.reduce((n, f) => n + f.length, 0) / filters.length;
  console.log(`parser: ${filters.length} example filters (avg ${avgLen.toFixed(0)} chars) from ${EXAMPLES}`);
  console.log(`runs (µs/filter): ${r.runs.map((x) => x.toFixed(2)).join(', ')}`);
  console.log(
    `median: ${r.medianMicros.toFixed(2)} µs/filter, ${Math.round(r.filtersPerSecond).toLocaleString('en-US')} filters/s`,
  );
  console.log(`goal < 20 µs/filter: ${r.medianMicros < 20 ? 'met' : 'NOT met'} (${fileURLToPath(import.meta.url)})`);
}
