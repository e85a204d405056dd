/** Back-off shared by the network sinks: exponential with jitter, capped, honouring a server's `Retry-After`. */

/** Delay before retry number `attempt` (1-based), in ms. */
export function backoffMs(attempt: number, baseMs = 250, capMs = 30_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 16));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/** A `Retry-After` header (seconds or an HTTP date) in ms, capped at 5 minutes; undefined when absent or bad. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const cap = 300_000;
  if (/^\d+$/.test(header.trim())) return Math.min(Number(header) * 1000, cap);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), cap);
}

/** Waits `ms` (an abort of `hard` cuts it short). */
export function pause(ms: number, hard?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (hard?.aborted) return resolve();
    const t = setTimeout(() => {
      hard?.removeEventListener('abort', done);
      resolve();
    }, ms);
    const done = () => {
      clearTimeout(t);
      resolve();
    };
    hard?.addEventListener('abort', done, { once: true });
  });
}
