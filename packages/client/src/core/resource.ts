/**
 * The base of the resource classes (`client.replists`, `client.bql`, ...) and the per-call options every SDK
 * method accepts.
 */

import type { PTNADClient } from '../client.js';
import { PagePromise } from './pagination.js';

/** Options every SDK method accepts as its last argument. */
export interface RequestOptions {
  /** Cancels the call (and any retry wait); the call then rejects with AbortError. */
  signal?: AbortSignal;
  /** Per-attempt timeout in ms; overrides the client's `timeoutMs` (default 60000). Rejects with TimeoutError. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call (retries only ever happen where they are safe). */
  maxRetries?: number;
}

/**
 * A group of API methods bound to one client.
 *
 * Every public method reports bad arguments by rejecting, never by throwing synchronously, so a single
 * `.catch()` or `try { await ... }` sees every failure. The constructor wraps the subclass's methods: a
 * synchronous throw becomes a rejected promise that is also a valid page promise (awaitable, iterable,
 * `toArray`, `withResponse`), whatever the method returns normally.
 */
export abstract class APIResource {
  protected readonly client: PTNADClient;

  constructor(client: PTNADClient) {
    this.client = client;
    const proto = Object.getPrototypeOf(this) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = proto[name];
      if (name === 'constructor' || typeof method !== 'function') continue;
      const wrapped = function (this: APIResource, ...args: unknown[]): unknown {
        try {
          return (method as (...a: unknown[]) => unknown).apply(this, args);
        } catch (err) {
          return rejected(err);
        }
      };
      Object.defineProperty(this, name, { value: wrapped, writable: true, configurable: true });
    }
  }
}

function rejected(err: unknown): PagePromise<never, never> {
  const failure = Promise.reject(err);
  // Marked handled here; every consumer (then, iteration, toArray, withResponse) still sees the rejection.
  failure.catch(() => undefined);
  return new PagePromise<never, never>(failure, () => {
    throw err;
  });
}
