/**
 * A window into a client's internals for tests and diagnostics (not exported from the package): the client
 * registers its redactor here when it is built. A WeakMap, so a client that is dropped is not kept alive.
 */

import type { Redactor } from './redact.js';

const redactors = new WeakMap<object, Redactor>();

/** Called by the client's constructor. */
export function registerRedactor(client: object, redactor: Redactor): void {
  redactors.set(client, redactor);
}

/** The redactor of a client (tests: its size stays bounded). */
export function clientRedactor(client: object): Redactor {
  const redactor = redactors.get(client);
  if (!redactor) throw new Error('not a PTNADClient');
  return redactor;
}
