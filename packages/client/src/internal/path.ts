import { ValidationError } from '../core/errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Encodes one value as exactly one URL path segment. Every character outside RFC 3986's unreserved set is
 * percent-encoded, so `/`, `?`, `#`, `%` and `..` inside an indicator (`http://evil/a?b#c`) can never change
 * the route. Empty values and the dot segments `.` and `..` are rejected: a server or proxy would
 * normalise them away and the request would reach a different resource.
 */
export function encodeSegment(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') throw new ValidationError(`Path value must be a string or number, got ${typeof value}`);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ValidationError(`Path value must be a finite number, got ${String(value)}`);
  }
  if (text.length === 0) throw new ValidationError('Path value must not be empty');
  if (text === '.' || text === '..') throw new ValidationError(`Path value must not be a dot segment: "${text}"`);
  if (LONE_SURROGATE.test(text)) throw new ValidationError('Path value is not well-formed Unicode (lone surrogate)');
  // encodeURIComponent leaves !'()* alone; they are legal in a segment but encode them anyway for proxies.
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Template tag that builds a relative API path with every interpolated value encoded as one segment.
 * @example path`replists/dynamic/${key}/${value}` // "replists/dynamic/feed/http%3A%2F%2Fx%2Fa%3Fb"
 */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += encodeSegment(values[i] as string | number) + (strings[i + 1] ?? '');
  }
  return out;
}

/**
 * Checks an id that the API defines as an integer (reputation lists, groups, rule sids, storages) before it is
 * put into a path: a string id such as `stats` would otherwise reach the sibling `.../stats` route.
 * @throws ValidationError naming `what` when the id is not a non-negative integer (number or digit string).
 */
export function integerId(value: number | string, what: string): number | string {
  const ok =
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) ||
    (typeof value === 'string' && /^\d{1,18}$/.test(value));
  if (!ok) throw new ValidationError(`${what} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return value;
}
