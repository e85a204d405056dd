/**
 * The retry policy (docs/ARCHITECTURE.md, convention 5): which failures are worth another attempt, and how long to wait.
 * Retrying is only ever considered for requests that are safe to repeat (GET and the read-only BQL POST), or
 * for any request whose connection was refused, because then the server provably never saw it.
 *
 * {@link decideRetry} is the one place that decides; the requester only carries the decision out.
 */

import { AbortError, ConnectionError, type PTNADError, ResponseTooLargeError } from '../core/errors.js';

/** Statuses that mean "try again later": timeout, throttling, and gateway/unavailable errors. */
export const RETRYABLE_STATUS = new Set([408, 429, 502, 503, 504]);

/** Error codes that prove the request never reached the server (nothing was sent). */
export const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_PTNAD_CONNECT_TIMEOUT',
]);

/** What happened to one attempt, as far as the retry decision cares. */
export type AttemptOutcome =
  /** No HTTP answer: the send failed (refused, reset, timeout, TLS, abort). */
  | { kind: 'send-failed'; error: PTNADError }
  /** An HTTP answer that is an error status (the body has been read). */
  | { kind: 'status'; status: number; headers: Headers }
  /** A success status whose body broke off while it was read. */
  | { kind: 'body-failed'; error: PTNADError };

/** Where the request stands: whether it is safe to repeat, and how many retries it has had. */
export interface RetryState {
  idempotent: boolean;
  retries: number;
  maxRetries: number;
}

/** The decision: retry or not, after how long, and why (for the log line). */
export interface RetryDecision {
  retry: boolean;
  delayMs: number;
  /** Why, e.g. `-> 503` or `failed (ECONNRESET ...)`. */
  reason: string;
  /** What the delay is based on, for status retries: the server's `Retry-After` or our `backoff`. */
  basis?: 'Retry-After' | 'backoff';
}

const NO: RetryDecision = { retry: false, delayMs: 0, reason: '' };

/** The system code of a ConnectionError (ECONNREFUSED, ...), whichever field the error class keeps it in. */
function systemCode(error: ConnectionError): string | undefined {
  const e = error as unknown as { systemCode?: unknown; code?: unknown };
  const code = typeof e.systemCode === 'string' ? e.systemCode : e.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Decides whether an attempt is repeated. Never: an abort, an answer too large, a TLS failure, a request that is
 * not safe to repeat (unless its connection provably never reached the server), or once the retries are used up.
 * The delay is exponential backoff with jitter, or the server's Retry-After when it asks for one.
 */
export function decideRetry(
  outcome: AttemptOutcome,
  state: RetryState,
  random: () => number = Math.random,
): RetryDecision {
  if (state.retries >= state.maxRetries) return NO;
  if (outcome.kind === 'status') {
    if (!state.idempotent || !RETRYABLE_STATUS.has(outcome.status)) return NO;
    const retryAfter = parseRetryAfter(outcome.headers);
    if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) return NO;
    return {
      retry: true,
      delayMs: Math.round(retryAfter ?? backoffDelay(state.retries, random)),
      reason: `-> ${outcome.status}`,
      basis: retryAfter === undefined ? 'backoff' : 'Retry-After',
    };
  }
  const error = outcome.error;
  if (error instanceof AbortError || error instanceof ResponseTooLargeError) return NO;
  const delayMs = backoffDelay(state.retries, random);
  if (outcome.kind === 'body-failed') {
    return state.idempotent ? { retry: true, delayMs, reason: `failed: the answer broke off (${error.message})` } : NO;
  }
  const connection = error instanceof ConnectionError ? error : undefined;
  const code = connection ? systemCode(connection) : undefined;
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  if (notSent || (state.idempotent && !connection?.tls)) {
    return { retry: true, delayMs, reason: `failed (${error.message})` };
  }
  return NO;
}

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
