/**
 * ORDER BY: the total order of rows (the ORDER BY keys, nulls last either way, then storage order, so the sort is
 * stable), a bounded heap for "the first k of N" and a merge sort for whole result sets. Both are generators that
 * yield between slices (see pacer.ts), so sorting a million rows does not stop the server.
 */
import type { Getter } from './fields.js';
import { CHECK_EVERY, type Steps } from './pacer.js';

/** One ORDER BY key, compiled. */
export interface OrderKey {
  get: Getter;
  desc: boolean;
}

/** Something that says when a slice of work is used up. */
export interface Slices {
  due(): boolean;
}

type Key = number | string | boolean | null;

/** The comparable key of a value: the first element of an array, null for missing or objects. */
export function sortKey(v: unknown): Key {
  const x = Array.isArray(v) ? v[0] : v;
  if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') return x;
  return null;
}

function compareKeys(a: Key, b: Key): number {
  if (typeof a === typeof b) return a === b ? 0 : (a as number | string) < (b as number | string) ? -1 : 1;
  // Mixed types: booleans, then numbers, then strings (a stable total order).
  const rank = (k: Key) => (typeof k === 'boolean' ? 0 : typeof k === 'number' ? 1 : 2);
  return rank(a) - rank(b);
}

/** A row with its ORDER BY keys and its storage position (the final tie-breaker). */
export interface Keyed {
  row: unknown;
  i: number;
  keys: Key[];
}

/** Total order of keyed rows: the ORDER BY keys (nulls last either way), then storage position. */
export function orderComparator(order: readonly OrderKey[]): (x: Keyed, y: Keyed) => number {
  return (x, y) => {
    for (let k = 0; k < order.length; k++) {
      const a = x.keys[k] ?? null;
      const b = y.keys[k] ?? null;
      if (a === null || b === null) {
        if (a !== b) return a === null ? 1 : -1;
        continue;
      }
      const c = compareKeys(a, b);
      if (c !== 0) return order[k]?.desc ? -c : c;
    }
    return x.i - y.i;
  };
}

/** The keys of a row at storage position `i`. */
export const keyOf = (order: readonly OrderKey[], row: unknown, i: number): Keyed => ({
  row,
  i,
  keys: order.map((o) => sortKey(o.get(row))),
});

/** Runs of this many rows are sorted natively; longer inputs are merged run by run between slices. */
const RUN = 4096;

/** Every row in ORDER BY order (rows are in storage order: their index is the tie-breaker). */
export function* sortRows(rows: readonly unknown[], order: readonly OrderKey[], pace: Slices): Steps<unknown[]> {
  const cmp = orderComparator(order);
  let a: Keyed[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    a[i] = keyOf(order, rows[i], i);
    if ((i & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
  }
  for (let s = 0; s < a.length; s += RUN) {
    const run = a.slice(s, s + RUN).sort(cmp);
    for (let k = 0; k < run.length; k++) a[s + k] = run[k] as Keyed;
    if (pace.due()) yield;
  }
  let b: Keyed[] = new Array(a.length);
  for (let width = RUN; width < a.length; width *= 2) {
    let n = 0;
    for (let lo = 0; lo < a.length; lo += 2 * width) {
      const mid = Math.min(lo + width, a.length);
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        b[k++] = cmp(a[j] as Keyed, a[i] as Keyed) < 0 ? (a[j++] as Keyed) : (a[i++] as Keyed);
        if ((++n & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
      }
      while (i < mid) b[k++] = a[i++] as Keyed;
      while (j < hi) b[k++] = a[j++] as Keyed;
    }
    [a, b] = [b, a];
  }
  return a.map((k) => k.row);
}

/** True when key `a` sorts strictly after `b` (nulls last in either direction). */
function firstKeyWorse(a: Key, b: Key, desc: boolean): boolean {
  if (a === null || b === null) return a === null && b !== null;
  const c = compareKeys(a, b);
  return desc ? c < 0 : c > 0;
}

/** The first `k` rows in ORDER BY order, via a max-heap of size k (the worst kept row on top). */
export function* bestRows(
  rows: readonly unknown[],
  order: readonly OrderKey[],
  k: number,
  pace: Slices,
): Steps<unknown[]> {
  if (k <= 0) return [];
  const cmp = orderComparator(order);
  const heap: Keyed[] = [];
  const swap = (a: number, b: number) => {
    const t = heap[a] as Keyed;
    heap[a] = heap[b] as Keyed;
    heap[b] = t;
  };
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (cmp(heap[i] as Keyed, heap[parent] as Keyed) <= 0) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && cmp(heap[l] as Keyed, heap[worst] as Keyed) > 0) worst = l;
      if (r < heap.length && cmp(heap[r] as Keyed, heap[worst] as Keyed) > 0) worst = r;
      if (worst === i) return;
      swap(i, worst);
      i = worst;
    }
  };
  const first = order[0];
  for (let i = 0; i < rows.length; i++) {
    if ((i & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
    const row = rows[i];
    if (heap.length < k) {
      heap.push(keyOf(order, row, i));
      up(heap.length - 1);
      continue;
    }
    const top = heap[0] as Keyed;
    // Most rows lose to the worst kept row on the first key alone: decide those without building their keys.
    if (first !== undefined && firstKeyWorse(sortKey(first.get(row)), top.keys[0] ?? null, first.desc)) continue;
    const candidate = keyOf(order, row, i);
    if (cmp(candidate, top) < 0) {
      heap[0] = candidate;
      down(0);
    }
  }
  return heap.sort(cmp).map((x) => x.row);
}
