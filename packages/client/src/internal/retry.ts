/**
 * The retry policy (STYLE.md pattern 5): which failures are worth another attempt, and how long to wait.
 * Retrying is only ever considered for requests that are safe to repeat (GET and the read-only BQL POST), or
 * for any request whose connection was refused, because then the server provably never saw it.
 */

import { AbortError } from '../core/errors.js';

/** Statuses that mean "try again later": timeout, throttling, and gateway/unavailable errors. */
export const RETRYABLE_STATUS = new Set([408, 429, 502, 503, 504]);

/** Error codes that prove the request never reached the server (nothing was sent). */
export const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A Retry-After longer than this is not waited for: the caller gets the error and decides. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds; also accepts the non-standard
 * `retry-after-ms`. Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with full jitter in [delay/2, delay]: 500 ms, 1 s, 2 s ... capped at 8 s. */
export function backoffDelay(retryIndex: number, random: () => number = Math.random): number {
  const base = Math.min(INITIAL_DELAY_MS * 2 ** retryIndex, MAX_DELAY_MS);
  return Math.round(base * (1 - random() * 0.5));
}

/** Waits `ms`, or rejects with AbortError as soon as the caller's signal fires. */
export function sleep(ms: number, signal?: AbortSignal, operation = ''): Promise<void> {
  const aborted = () =>
    new AbortError(operation ? `Failed to ${operation}: aborted by the caller` : 'Aborted by the caller', {
      operation,
    });
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
