/**
 * Small helpers shared by the bench modules: medians (every figure is a median of several runs) and RSS sampling.
 */

/** The median of a non-empty list (the upper middle for even lengths); NaN when empty. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Formats a number with thousands separators, e.g. `1,234,567`. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * Samples `process.memoryUsage.rss()` every `everyMs` until stopped; returns the peak seen. A timer cannot fire
 * while the loop is busy, so callers that never yield should also call `sample()` themselves.
 */
export function rssSampler(everyMs = 20): { sample: () => void; stop: () => number } {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, everyMs);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
