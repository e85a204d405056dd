/**
 * The base of the resource classes (`client.replists`, `client.bql`, ...) and the per-call options every SDK
 * method accepts.
 */

import type { PTNADClient } from '../client.js';

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
 * A group of API methods bound to one client; it only holds the client.
 *
 * How methods report bad arguments follows their type: a method that returns a promise (`APIPromise`,
 * `PagePromise`, `Promise`, an async generator) rejects and never throws; a synchronous method (such as
 * `bql.validate`) throws.
 */
export abstract class APIResource {
  protected readonly client: PTNADClient;

  constructor(client: PTNADClient) {
    this.client = client;
  }
}
