/**
 * Time arguments: the API wants epoch milliseconds; users have Dates, ISO strings and numbers.
 */

import { ValidationError } from '../core/errors.js';

/** A point in time: epoch ms, a Date, or an ISO-8601 string (naive ISO is read as UTC, as PT NAD shows UTC). */
export type TimeInput = number | Date | string;

/** Converts a time argument to epoch ms; `name` says which argument was wrong. */
export function toEpochMs(value: TimeInput, name: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(`${name} must be a finite epoch-ms number, got ${value}`);
    return Math.trunc(value);
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ValidationError(`${name} is an invalid Date`);
    return ms;
  }
  if (typeof value === 'string') {
    const naive = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
    const ms = Date.parse(naive ? `${value}Z` : value);
    if (Number.isNaN(ms))
      throw new ValidationError(`${name} must be epoch ms, a Date or an ISO-8601 string, got "${value}"`);
    return ms;
  }
  throw new ValidationError(`${name} must be epoch ms, a Date or an ISO-8601 string`);
}
