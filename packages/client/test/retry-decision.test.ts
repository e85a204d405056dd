/**
 * The one retry decision (issue 12): every rule of the retry policy in one table, against `decideRetry` alone.
 */
import { describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, type PTNADError, ResponseTooLargeError, TimeoutError } from '../src/index.js';
import { type AttemptOutcome, decideRetry } from '../src/internal/retry.js';

const GET = { idempotent: true, retries: 0, maxRetries: 2 };
const POST = { idempotent: false, retries: 0, maxRetries: 2 };
const sendFailed = (error: PTNADError): AttemptOutcome => ({ kind: 'send-failed', error });
const status = (code: number, headers: Record<string, string> = {}): AttemptOutcome => ({
  kind: 'status',
  status: code,
  headers: new Headers(headers),
});
const refused = new ConnectionError('refused', { systemCode: 'ECONNREFUSED' });
const reset = new ConnectionError('reset', { systemCode: 'ECONNRESET' });
const tls = new ConnectionError('tls', { systemCode: 'CERT_HAS_EXPIRED', tls: true });

describe('decideRetry', () => {
  it.each([
    ['GET, connection refused', sendFailed(refused), GET, true],
    ['POST, connection refused (never reached the server)', sendFailed(refused), POST, true],
    ['GET, connection reset', sendFailed(reset), GET, true],
    ['POST, connection reset (may have been applied)', sendFailed(reset), POST, false],
    ['GET, TLS failure', sendFailed(tls), GET, false],
    ['GET, timeout', sendFailed(new TimeoutError('t')), GET, true],
    ['GET, aborted by the caller', sendFailed(new AbortError('a')), GET, false],
    ['GET, answer too large', sendFailed(new ResponseTooLargeError('big', { limitBytes: 1 })), GET, false],
    ['GET, body broke off', { kind: 'body-failed', error: reset } as const, GET, true],
    ['POST, body broke off', { kind: 'body-failed', error: reset } as const, POST, false],
    ['GET, 503', status(503), GET, true],
    ['GET, 429', status(429), GET, true],
    ['GET, 500', status(500), GET, false],
    ['POST, 503', status(503), POST, false],
    ['GET, 503 with Retry-After of an hour', status(503, { 'retry-after': '3600' }), GET, false],
    ['GET, 503, retries used up', status(503), { ...GET, retries: 2 }, false],
  ])('%s -> retry %s', (_name, outcome, state, retry) => {
    expect(decideRetry(outcome as AttemptOutcome, state, () => 0).retry).toBe(retry);
  });

  it('waits what Retry-After says, or backs off exponentially, and says why', () => {
    expect(decideRetry(status(503, { 'retry-after': '2' }), GET)).toEqual({
      retry: true,
      delayMs: 2000,
      reason: '-> 503',
      basis: 'Retry-After',
    });
    expect(decideRetry(status(502), { ...GET, retries: 1 }, () => 0)).toMatchObject({
      delayMs: 1000,
      basis: 'backoff',
    });
    expect(decideRetry(sendFailed(reset), GET, () => 0)).toMatchObject({ delayMs: 500, reason: 'failed (reset)' });
  });
});
