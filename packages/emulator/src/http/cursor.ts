import { limitOffset, withParams } from './envelope.js';
import { HttpError } from './errors.js';

/** Where a cursor points: an offset into a list sorted by `ordering`. */
export interface CursorPosition {
  offset: number;
  ordering: string;
}

/** A cursor page: DRF's CursorPagination shape, plus `count` on the first (limit/offset) page. */
export interface CursorPage<T> {
  count?: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** Opaque cursor: base64url of the position and the ordering it belongs to (later pages keep that ordering). */
export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, o: pos.offset, k: pos.ordering })).toString('base64url');
}

/** Reads a cursor; anything that is not one of ours is DRF's 404 `{"detail": "Invalid cursor"}`. */
export function decodeCursor(raw: string): CursorPosition {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { v?: unknown; o?: unknown; k?: unknown };
    if (c.v === 1 && typeof c.o === 'number' && Number.isInteger(c.o) && c.o >= 0 && typeof c.k === 'string') {
      return { offset: c.o, ordering: c.k };
    }
  } catch {
    // fall through to the DRF answer below
  }
  throw new HttpError(404, { detail: 'Invalid cursor' });
}

/** The cursor of a request (null on the first page, which uses limit/offset). */
export function requestCursor(query: URLSearchParams): CursorPosition | null {
  const raw = query.get('cursor');
  return raw ? decodeCursor(raw) : null;
}

/**
 * Pages `items` (already sorted by `ordering`): the first page is limit/offset with `count`; `next` and
 * `previous` carry an opaque `cursor` (and `limit`, no `offset`); cursor pages omit `count`.
 */
export function cursorPage<T>(
  items: readonly T[],
  url: URL,
  ordering: string,
  position: CursorPosition | null,
): CursorPage<T> {
  const { limit, offset: firstOffset } = limitOffset(url.searchParams);
  const offset = position ? position.offset : firstOffset;
  const end = offset + limit;
  const link = (at: number) =>
    withParams(url, { cursor: encodeCursor({ offset: at, ordering }), offset: null, limit: String(limit) });
  const page: CursorPage<T> = {
    next: end < items.length ? link(end) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results: items.slice(offset, end),
  };
  return position ? page : { count: items.length, ...page };
}
