/**
 * V8 heap settings for the emulator's own process while it builds its dataset (bin.ts only: a library must not
 * change its host's V8 flags). Every flow lives as long as the process, which V8's default heuristics handle badly:
 * - allocation-site pretenuring notices the survivors and allocates flows straight into the old generation, where
 *   each later store into them (a protocol list, a counter) pays a write barrier, and a marking barrier while the
 *   growing heap is being marked; copying them out of the young generation costs less (in-process, alternating
 *   runs on a busy 2-core machine: 300k flows 4 of 5 pairs faster, median about 13%; 20k flows 5 of 5, about 20%
 *   less CPU);
 * - the old generation limit grows by a factor after each full collection, so a million-flow build marks the
 *   whole heap several times over (the last one at ~600 MB took 1 s) only to find everything alive.
 * Before the build the limit is raised to fit the expected dataset (one collection of the still small heap sets
 * it); after the build the normal growing rule comes back.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Heap per flow to plan for: measured 0.87 KB per flow at 1M flows (seed 5), with a margin. */
const BYTES_PER_FLOW = 1200;

/** Below this many flows the full collections of the build are small (tens of ms): nothing is changed. */
const LARGE_BUILD = 100_000;

/**
 * Prepares the heap for a dataset of `flows` flows; returns what to call once it is built. Never throws: if the V8
 * flags are refused, the build just runs with the defaults.
 */
export function prepareHeapForBuild(flows: number): () => void {
  try {
    setFlagsFromString('--no-allocation-site-pretenuring');
    if (flows < LARGE_BUILD) return () => {};
    const used = getHeapStatistics().used_heap_size;
    const wanted = used + flows * BYTES_PER_FLOW;
    // The limit after a full collection is (live size) * (1 + percent / 100): collect now, while the heap is small,
    // with the percent that puts the limit just above the dataset.
    setFlagsFromString(`--heap-growing-percent=${Math.ceil((wanted / used - 1) * 100)}`);
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    return () => {};
  }
  return () => setFlagsFromString('--heap-growing-percent=0');
}
