import { fieldError } from './errors.js';

/** DRF's list envelope (`count`, absolute `next`/`previous`, `results`). */
export interface ListEnvelope<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** Page size when a request sends no `limit` (GUESS: DRF PAGE_SIZE 100, matching the real clients' step). */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest accepted `limit`; bigger values are clamped as DRF's `max_limit` does. */
export const MAX_PAGE_SIZE = 1000;

/** Parses a non-negative integer query parameter, or returns `fallback` when it is absent. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min = 0): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw fieldError(name, `A valid integer is required (got "${raw}").`);
  const value = Number(raw);
  if (value < min) throw fieldError(name, `Ensure this value is greater than or equal to ${min}.`);
  return value;
}

/** Reads `limit` and `offset` with DRF defaults and clamping. */
export function limitOffset(query: URLSearchParams): { limit: number; offset: number } {
  const limit = Math.min(intParam(query, 'limit', DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  return { limit, offset: intParam(query, 'offset', 0) };
}

/** Slices `items` into a DRF limit/offset page whose links keep every other query parameter of `url`. */
export function paginate<T>(items: readonly T[], url: URL): ListEnvelope<T> {
  const { limit, offset } = limitOffset(url.searchParams);
  const end = offset + limit;
  return {
    count: items.length,
    next: end < items.length ? withParams(url, { limit: String(limit), offset: String(end) }) : null,
    previous: offset > 0 ? previousLink(url, limit, offset) : null,
    results: items.slice(offset, end),
  };
}

function previousLink(url: URL, limit: number, offset: number): string {
  const prev = Math.max(0, offset - limit);
  // DRF drops `offset` entirely when the previous page is the first one.
  return prev === 0
    ? withParams(url, { limit: String(limit), offset: null })
    : withParams(url, { limit: String(limit), offset: String(prev) });
}

/** A copy of `url` with some query parameters replaced (null removes one); the result is absolute. */
export function withParams(url: URL, changes: Record<string, string | null>): string {
  const copy = new URL(url.href);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) copy.searchParams.delete(key);
    else copy.searchParams.set(key, value);
  }
  return copy.href;
}

/** A single-page envelope for small lists that the real server returns whole. */
export function singlePage<T>(items: T[]): ListEnvelope<T> {
  return { count: items.length, next: null, previous: null, results: items };
}
