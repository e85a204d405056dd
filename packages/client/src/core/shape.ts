/**
 * Checks of the few answer fields the SDK itself reads. Answers are otherwise passed through as the server sent
 * them (a fleet runs mixed versions); only what the SDK dereferences is checked, so that a malformed answer is an
 * UnexpectedResponseError that says what was expected, never a raw TypeError.
 */

import { UnexpectedResponseError } from './errors.js';

/** A short description of a value for error messages: its type, and a little of it. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') {
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  }
  if (typeof value === 'object') return `an object with keys ${JSON.stringify(Object.keys(value).slice(0, 5))}`;
  return `${typeof value} ${String(value)}`;
}

/** The answer (or a part of it) as a plain object. `what` names it: "the answer", "results[3]". */
export function expectObject(value: unknown, what: string, operation: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new UnexpectedResponseError(
    `Failed to ${operation}: ${what} should be an object, got ${describeValue(value)}`,
    {
      operation,
    },
  );
}

/** A string field of an object the SDK reads. */
export function expectString(record: Record<string, unknown>, key: string, what: string, operation: string): string {
  const value = record[key];
  if (typeof value === 'string') return value;
  throw new UnexpectedResponseError(
    `Failed to ${operation}: ${what}.${key} should be a string, got ${describeValue(value)}`,
    { operation },
  );
}

/** Checks every item of a list answer is an object (what `{"results": [null]}` breaks). */
export function expectObjects<T>(items: readonly unknown[], what: string, operation: string): T[] {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    // The item's name ("results[3]") is built only for the error: this runs on every item of every list answer.
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      expectObject(item, `${what}[${i}]`, operation);
  }
  return items as T[];
}

/**
 * A field of an answer object that its type does not declare (one a newer PT NAD added), as `unknown`. The
 * response types list the known fields without an index signature, so a typo such as `rule.nonexistent` does
 * not compile; this is the typed way to reach the rest.
 * @example
 * const tags = extraField(rule, 'tags'); // unknown: check it before use
 */
export function extraField(value: object, key: string): unknown {
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}
