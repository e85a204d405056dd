/**
 * Runs async jobs with bounded concurrency. Stops taking new jobs once the signal fires; a job's own failure
 * is the job's business (the callers here record failures instead of throwing).
 */

import { AbortError } from '../core/errors.js';

/** Runs `jobs` with at most `concurrency` in flight; rejects with AbortError if `signal` fires. */
export async function runPool(
  jobs: ReadonlyArray<() => Promise<void>>,
  concurrency: number,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      if (signal?.aborted) throw new AbortError('Aborted by the caller');
      const job = jobs[next++];
      if (job) await job();
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker);
  await Promise.all(workers);
}
