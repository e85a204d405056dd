import { fieldError } from './errors.js';

/** Reads a field of a list item for searching or ordering. */
export type Getter<T> = (item: T) => unknown;

/** Keeps items where any of `fields` contains `term` case-insensitively (DRF SearchFilter, one term). */
export function searchItems<T>(items: readonly T[], term: string | null, fields: Getter<T>[]): T[] {
  if (term === null || term.trim() === '') return [...items];
  const words = term.trim().toLowerCase().split(/\s+/);
  return items.filter((item) => {
    const haystack = fields
      .map((f) => f(item))
      .filter((v) => v !== null && v !== undefined)
      .map((v) => String(v).toLowerCase());
    // DRF requires every word to match somewhere.
    return words.every((w) => haystack.some((h) => h.includes(w)));
  });
}

/**
 * Sorts by a DRF `ordering` value (`a,-b`), accepting only `allowed` keys; unknown keys are a 400 that names them.
 * Ties keep the previous order, so pass items already in their default order.
 */
export function orderItems<T>(
  items: readonly T[],
  ordering: string | null,
  allowed: Record<string, Getter<T>>,
  fallback: string,
): T[] {
  const spec = ordering === null || ordering.trim() === '' ? fallback : ordering;
  const keys = spec
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  const comparators = keys.map((key) => {
    const desc = key.startsWith('-');
    const name = desc ? key.slice(1) : key;
    // Own keys only: `__proto__`, `valueOf` and friends must not reach Object.prototype (that was a 500).
    const get = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (typeof get !== 'function') {
      throw fieldError('ordering', `Unknown ordering field "${name}"; allowed: ${Object.keys(allowed).join(', ')}.`);
    }
    return (a: T, b: T) => compareValues(get(a), get(b)) * (desc ? -1 : 1);
  });
  return [...items].sort((a, b) => {
    for (const cmp of comparators) {
      const r = cmp(a, b);
      if (r !== 0) return r;
    }
    return 0;
  });
}

/** Orders numbers numerically, everything else as strings; null and undefined sort first (as Postgres ASC NULLS). */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Parses `true`/`false` (also 1/0, as DRF's BooleanFilter does); null when absent. */
export function boolParam(query: URLSearchParams, name: string): boolean | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  const v = raw.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw fieldError(name, `Must be true or false (got "${raw}").`);
}

/** Values of a list parameter, accepting repeated keys and comma-joined values. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
