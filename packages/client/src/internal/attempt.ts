/**
 * One attempt's cancellation scope and the mapping of every network failure to the SDK's own errors. No raw
 * node, undici or DOM error leaves here: it becomes a ConnectionError, TimeoutError, AbortError or
 * ResponseTooLargeError with a redacted `cause`.
 */

import { AbortError, ConnectionError, type PTNADError, ResponseTooLargeError, TimeoutError } from '../core/errors.js';
import { BodyTooLargeError } from './body.js';
import { TIMEOUT_CODE } from './node-http.js';
import type { Redactor } from './redact.js';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** The built-in transports' timeout errors (ours, and undici's on the proxy path). */
const NATIVE_TIMEOUT_CODES = new Set([TIMEOUT_CODE, 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * One attempt's cancellation scope. With an injected fetch it owns an AbortController that fires when the
 * caller's signal fires or `timeoutMs` passes (a deadline for the whole attempt, body included), and remembers
 * which of the two happened. With the built-in transports (`native`), the transport enforces `timeoutMs`
 * itself and only the caller's signal is passed through: no controller per request.
 */
export class AttemptScope {
  #controller: AbortController | undefined;
  #timedOut = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort = () => this.#controller?.abort();

  constructor(
    readonly timeoutMs: number,
    callerSignal: AbortSignal | undefined,
    readonly native: boolean,
  ) {
    this.#callerSignal = callerSignal;
    if (native) return;
    const controller = new AbortController();
    this.#controller = controller;
    if (callerSignal?.aborted) controller.abort();
    else callerSignal?.addEventListener('abort', this.#onCallerAbort, { once: true });
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      this.#timer = setTimeout(() => {
        this.#timedOut = true;
        controller.abort();
      }, timeoutMs);
    }
  }

  /** The signal to hand to the transport (undefined: nothing can cancel this attempt but its timeouts). */
  get signal(): AbortSignal | undefined {
    return this.#controller ? this.#controller.signal : this.#callerSignal;
  }

  /** Stops the timeout only (used once a streamed download has started: it may legitimately take long). */
  stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
    if (this.#controller) this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  /** Maps anything `fetch` or a body read threw into the SDK's error for this attempt. */
  mapError(
    err: unknown,
    context: {
      operation: string;
      url: string;
      redactor: Redactor /** Attempts made, this one included. */;
      attempts?: number;
    },
  ): PTNADError {
    const what = `Failed to ${context.operation}`;
    if (err instanceof BodyTooLargeError) {
      const size = err.announced ? `announced ${err.seen} bytes` : `sent more than ${err.limit} bytes`;
      return new ResponseTooLargeError(
        `${what}: the answer from ${context.url} is too large (${size}; maxResponseBytes is ${err.limit})`,
        { operation: context.operation, limitBytes: err.limit },
      );
    }
    const cause = context.redactor.error(err);
    if (this.#callerSignal?.aborted && !this.#timedOut) {
      return new AbortError(`${what}: aborted by the caller`, { cause, operation: context.operation });
    }
    if (this.#timedOut || (this.native && NATIVE_TIMEOUT_CODES.has(findCode(err) ?? ''))) {
      const attempts = context.attempts ?? 1;
      const tries = attempts > 1 ? `; gave up after ${attempts} attempts` : '';
      return new TimeoutError(
        `${what}: no complete answer from ${context.url} within ${this.timeoutMs} ms (timeoutMs)${tries}`,
        { cause, operation: context.operation },
      );
    }
    const code = findCode(err);
    if (code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || /CERT/.test(code))) {
      return new ConnectionError(
        `${what}: TLS certificate verification failed for ${context.url} (${code}). ` +
          'Pass the server\'s CA certificate as the "ca" option (PEM), or set verifySsl: false only if you accept ' +
          'that the connection is not authenticated.',
        { cause, operation: context.operation, systemCode: code, tls: true },
      );
    }
    const detail = code ? `${code}${describeCode(code)}` : context.redactor.text(innerMessage(err));
    return new ConnectionError(`${what}: could not reach ${context.url}: ${detail}`, {
      cause,
      operation: context.operation,
      ...(code === undefined ? {} : { systemCode: code }),
    });
  }
}

function findCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR' && code !== 'UND_ERR_ABORTED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function innerMessage(err: unknown): string {
  let current: unknown = err;
  let message = String(err);
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

function describeCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return ' (connection refused: is the host and port right, and is PT NAD running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return ' (the host name could not be resolved)';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return ' (the connection was closed by the other side)';
    default:
      return '';
  }
}
