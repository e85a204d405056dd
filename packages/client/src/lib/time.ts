/**
 * The one time parser of the package. The API wants epoch milliseconds; users have Dates, numbers and strings.
 * Every time argument of the SDK (flows, files, storage windows) and of the BQL rewrites (`withTimeRange`) goes
 * through {@link toEpochMs}, so one string means one instant everywhere, whatever the machine's time zone.
 */

import { ValidationError } from '../core/errors.js';

/**
 * A point in time: epoch milliseconds (a number or a string of digits), a Date, or an ISO 8601 date or date-time.
 * A date or date-time without a zone is UTC (PT NAD stores and shows naive UTC times), never the local zone.
 */
export type TimeInput = number | Date | string;

/** What {@link toEpochMs} accepts, for error messages. */
export const ACCEPTED_TIME_FORMS =
  'epoch milliseconds (a number or digits, e.g. 1748736000000), a Date, "YYYY-MM-DD", "YYYY.MM.DD", ' +
  '"YYYY-MM-DDTHH:MM[:SS[.fff]]" (a space instead of T is fine; no zone = UTC), or the same with "Z" or an ' +
  'offset such as "+03:00"';

// Ten and eleven digit numbers are epoch seconds far more often than instants of 1970-1973 in milliseconds.
const SECONDS_LOW = 1e9;
const SECONDS_HIGH = 1e11;

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const DOTTED_DATE = /^(\d{4})\.(\d{2})\.(\d{2})$/;

/**
 * Converts a time argument to epoch milliseconds; `name` says which argument it is in errors.
 * @throws ValidationError for anything else, including ambiguous input (`"06/01/2025"`, `"June 1, 2025"`,
 *   a time zone name, a 10-digit number that looks like epoch seconds), with the accepted forms in the message.
 * @example
 * toEpochMs('2025-06-01 12:00') // 1748779200000, in every time zone
 */
export function toEpochMs(value: TimeInput, name = 'time'): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ValidationError(`Invalid ${name}: an invalid Date`);
    return ms;
  }
  if (typeof value === 'number') return fromNumber(value, name, String(value));
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^-?\d+$/.test(text)) return fromNumber(Number(text), name, JSON.stringify(value));
    const ms = fromText(text);
    if (ms !== undefined) return ms;
  }
  const shown = typeof value === 'string' ? JSON.stringify(value) : `a ${value === null ? 'null' : typeof value}`;
  throw new ValidationError(`Invalid ${name}: ${shown}. Accepted: ${ACCEPTED_TIME_FORMS}`);
}

function fromNumber(ms: number, name: string, shown: string): number {
  if (!Number.isFinite(ms)) throw new ValidationError(`Invalid ${name}: ${shown} is not a finite number of ms`);
  if (Math.abs(ms) >= SECONDS_LOW && Math.abs(ms) < SECONDS_HIGH) {
    throw new ValidationError(
      `Invalid ${name}: ${shown} looks like epoch seconds; pass milliseconds (${Math.trunc(ms)}000) or a Date`,
    );
  }
  return Math.trunc(ms);
}

function fromText(text: string): number | undefined {
  const dotted = DOTTED_DATE.exec(text);
  const m = dotted ?? DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = dotted ? [...m, '0', '0', '0', '', undefined] : m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2025-02-30 over into March: a date that does not exist is rejected instead.
  const back = new Date(utc);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  return utc - offsetMs(zone);
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return (m[1] === '-' ? -1 : 1) * minutes * 60_000;
}
