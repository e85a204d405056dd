/**
 * Parser rows for `npm run bench`: the median microseconds per filter over the shared BQL examples, measured
 * by {@link benchParser} (bench/parser.ts). Goal: < 20 µs per typical filter.
 */
import { benchParser } from './parser.js';
import type { BenchRow } from './run.js';
import { count } from './stats.js';

/** Rows for `npm run bench`. */
export async function parserRows(): Promise<BenchRow[]> {
  const r = await benchParser();
  return [
    {
      case: 'BQL parser: parseFilter over the example filters',
      figure: `${r.medianMicros.toFixed(2)} µs/filter (${count(r.filtersPerSecond)} filters/s, median of ${r.runs.length} runs)`,
      goal: '< 20 µs/filter',
      met: r.medianMicros < 20,
      details: { runsMicros: r.runs },
    },
  ];
}
