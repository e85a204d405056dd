/**
 * Runs a `FROM flow` query over a time index when that looks at fewer rows than a full scan, with the same
 * answer (rows, order and `total`):
 *
 * - ORDER BY starting with an indexed time field (`bql.stream`'s `ORDER BY end asc, id asc`): rows are read in
 *   index order from the plan's bound and the walk stops once the page is full and the last key's ties are in;
 *   without a residual filter `total` is counted from the positions (only the few rows at the keyset boundary
 *   are tested), so a keyset page costs about its own size;
 * - otherwise a WHERE that bounds a time field: only the rows inside the bound are tested, then put back in
 *   storage order and paged like a full scan's matches.
 */
import { type Expr, format, type QueryAst } from 'ptnad-client/bql';
import type { FlowRecord } from '../store/types.js';
import type { Predicate } from './compile.js';
import type { FlowTable, IndexedField, TimeIndex } from './flow-table.js';
import { type Keyed, keyOf, orderComparator, type Slices } from './order.js';
import { CHECK_EVERY, type Steps } from './pacer.js';
import { conjuncts, type IndexPlan, planIndex } from './plan.js';
import { type CompiledQuery, pageOf, type ScanResult } from './query.js';

const INDEXED: readonly IndexedField[] = ['end', 'start'];

/** How a query will use an index. */
export interface IndexChoice {
  idx: TimeIndex;
  plan: IndexPlan;
  /** Read rows in index order and stop at the page: 'asc' or 'desc' (ORDER BY starts with the field). */
  walk: 'asc' | 'desc' | undefined;
  /** The index order is the ORDER BY order itself (`ORDER BY <field> asc, id asc`): no sort of the page. */
  exactOrder: boolean;
  /** Canonical text of the plan's residual terms (the key of their cached hits), when there are any. */
  residualText?: string;
}

function isIndexed(name: string): name is IndexedField {
  return (INDEXED as readonly string[]).includes(name);
}

/** True when an AND/OR tree compares `field` somewhere (the index is only built when it can help). */
function mentions(where: Expr | undefined, field: string): boolean {
  if (where === undefined) return false;
  const stack: Expr[] = [where];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    if (e.kind === 'and' || e.kind === 'or') stack.push(e.left, e.right);
    else if (e.kind === 'compare' && e.field.name === field) return true;
  }
  return false;
}

/** The indexes a `FROM flow` query may use (to build them, in slices, before choosing). */
export function indexFieldsOf(ast: QueryAst): IndexedField[] {
  const first = ast.orderBy[0]?.field.name;
  return INDEXED.filter((f) => f === first || mentions(ast.where, f));
}

/** The index a `FROM flow` query should use, or undefined when a full scan is as good. */
export function chooseIndex(ast: QueryAst, table: FlowTable): IndexChoice | undefined {
  const first = ast.orderBy[0];
  const n = table.rows.length;
  const all: IndexPlan = { bound: { lo: 0, hi: n }, sure: { lo: 0, hi: n }, residual: [] };
  if (first !== undefined && isIndexed(first.field.name)) {
    const idx = table.index(first.field.name);
    if (idx.keySorted) {
      const walk = first.direction === 'desc' ? 'desc' : 'asc';
      const second = ast.orderBy[1];
      const exactOrder =
        walk === 'asc' && ast.orderBy.length === 2 && second?.field.name === 'id' && second.direction !== 'desc';
      const plan = ast.where === undefined ? all : planIndex(ast.where, idx);
      const choice: IndexChoice = { idx, plan, walk, exactOrder };
      if (plan.residual.length > 0) {
        choice.residualText = plan.residual.map((e) => format({ kind: 'filter', expr: e })).join('\n');
      }
      return choice;
    }
  }
  let best: IndexChoice | undefined;
  for (const field of INDEXED) {
    if (!mentions(ast.where, field) || ast.where === undefined) continue;
    const idx = table.index(field);
    const plan = planIndex(ast.where, idx);
    const width = plan.bound.hi - plan.bound.lo;
    if (width < n && (best === undefined || width < best.plan.bound.hi - best.plan.bound.lo)) {
      best = { idx, plan, walk: undefined, exactOrder: false };
    }
  }
  return best;
}

/** The residual terms of a plan as one predicate (undefined: always true). */
export function residualOf(plan: IndexPlan, compile: (e: Expr) => Predicate): Predicate | undefined {
  if (plan.residual.length === 0) return undefined;
  const parts = plan.residual.map(compile);
  if (parts.length === 1) return parts[0];
  return (row) => {
    for (const p of parts) if (!p(row)) return false;
    return true;
  };
}

/** Runs a query through its index choice; the answer equals the full scan's. */
export function* runIndexed(
  q: CompiledQuery,
  choice: IndexChoice,
  rows: readonly FlowRecord[],
  residual: Predicate | undefined,
  pace: Slices,
): Steps<ScanResult> {
  const { idx, plan } = choice;
  const { bound, sure } = plan;
  const order = idx.order;
  const where: Predicate = q.where ?? (() => true);
  const test = (p: number): boolean => {
    const row = rows[order[p] as number];
    if (p >= sure.lo && p < sure.hi) return residual === undefined || residual(row);
    return where(row);
  };
  let n = 0;
  if (choice.walk === undefined) {
    // Only the bounded rows are tested; their storage positions sorted give the full scan's matches exactly.
    const hits: number[] = [];
    for (let p = bound.lo; p < bound.hi; p++) {
      if ((++n & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
      if (test(p)) hits.push(order[p] as number);
    }
    const positions = Uint32Array.from(hits).sort();
    const matched: unknown[] = new Array(positions.length);
    for (let i = 0; i < positions.length; i++) matched[i] = rows[positions[i] as number];
    return { page: yield* pageOf(q, matched, pace), total: matched.length };
  }

  const limit = q.limit;
  const desc = choice.walk === 'desc';
  const key = idx.key;
  // The bound in three zones: the keyset's tie rows (whole WHERE), the sure zone (residual only: every row, the
  // cached hits of the residual, or each row tested), the other tie rows.
  const hits = residual === undefined ? undefined : yield* residualHits(choice, rows, residual, sure, limit, pace);
  const zones: Zone[] = [
    { lo: bound.lo, hi: Math.min(sure.lo, bound.hi), kind: 'where' },
    { lo: sure.lo, hi: sure.hi, kind: residual === undefined ? 'all' : hits ? 'hits' : 'residual' },
    { lo: Math.max(sure.hi, bound.lo), hi: bound.hi, kind: 'where' },
  ];
  if (desc) zones.reverse();
  const collected: number[] = [];
  let total = 0;
  let lastKey = Number.NaN;
  let full = limit === 0;
  const matches = (z: Zone, p: number): boolean => {
    if (z.kind === 'all') return true;
    const row = rows[order[p] as number];
    return z.kind === 'where' ? where(row) : (residual as Predicate)(row);
  };
  for (const z of zones) {
    if (z.hi <= z.lo) continue;
    if (full) {
      total += yield* countZone(z, z.lo, z.hi);
      continue;
    }
    if (z.kind === 'hits') {
      // Jump from hit to hit: a sparse filter costs its matches, not the rows between them.
      const h = hits as Uint32Array;
      let j = desc ? lowerBound(h, z.hi) - 1 : lowerBound(h, z.lo);
      const end = desc ? lowerBound(h, z.lo) - 1 : lowerBound(h, z.hi);
      for (; j !== end; j += desc ? -1 : 1) {
        const p = h[j] as number;
        if (collected.length >= limit && key[p] !== lastKey) {
          full = true;
          total += desc ? j - end : end - j;
          break;
        }
        collected.push(p);
        total++;
        lastKey = key[p] as number;
      }
      continue;
    }
    let p = desc ? z.hi - 1 : z.lo;
    for (; p >= z.lo && p < z.hi; p += desc ? -1 : 1) {
      if ((++n & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
      // Page full: go on only through the ties of its last key (they may sort before the rows taken).
      if (collected.length >= limit && key[p] !== lastKey) {
        full = true;
        break;
      }
      if (matches(z, p)) {
        collected.push(p);
        total++;
        lastKey = key[p] as number;
      }
    }
    if (full) total += yield* countZone(z, desc ? z.lo : p, desc ? p + 1 : z.hi);
  }
  if (choice.exactOrder) {
    // The page straight from the positions: no intermediate copies of a 10,000-row page.
    const page: unknown[] = new Array(Math.min(collected.length, limit));
    for (let i = 0; i < page.length; i++) page[i] = rows[order[collected[i] as number] as number];
    return { page, total };
  }
  const keyed: Keyed[] = collected.map((x) => keyOf(q.order, rows[order[x] as number], order[x] as number));
  keyed.sort(orderComparator(q.order));
  return { page: keyed.slice(0, limit).map((k) => k.row), total };

  /** The matches among positions [lo, hi) of a zone. */
  function* countZone(z: Zone, lo: number, hi: number): Steps<number> {
    if (hi <= lo) return 0;
    if (z.kind === 'all') return hi - lo;
    if (z.kind === 'hits') return lowerBound(hits as Uint32Array, hi) - lowerBound(hits as Uint32Array, lo);
    let c = 0;
    for (let x = lo; x < hi; x++) {
      if ((++n & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
      if (matches(z, x)) c++;
    }
    return c;
  }
}

interface Zone {
  lo: number;
  hi: number;
  kind: 'where' | 'all' | 'hits' | 'residual';
}

/** First i with a[i] >= x. */
function lowerBound(a: Uint32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Cached hit lists per table (a few residual filters each), dropped when the table changes. */
const hitCache = new WeakMap<TimeIndex, Map<string, Uint32Array>>();
const HIT_CACHE_ENTRIES = 8;

/** When the residual's hits are cached: sure zones of at least `4 × LIMIT + minZone` rows (tests lower it). */
export const hitCacheTuning = { minZone: 10_000 };

/**
 * The index positions where the residual filter holds, cached per index and filter text, so that the pages of a
 * filtered export after the first cost their own size. Only worth it when the sure zone is much larger than a
 * page; undefined otherwise (the zone's rows are then tested directly).
 */
function* residualHits(
  choice: IndexChoice,
  rows: readonly FlowRecord[],
  residual: Predicate,
  sure: { lo: number; hi: number },
  limit: number,
  pace: Slices,
): Steps<Uint32Array | undefined> {
  if (sure.hi - sure.lo < 4 * limit + hitCacheTuning.minZone || choice.residualText === undefined) return undefined;
  const idx = choice.idx;
  let perIndex = hitCache.get(idx);
  const cached = perIndex?.get(choice.residualText);
  if (cached !== undefined) return cached;
  const found: number[] = [];
  const order = idx.order;
  for (let p = 0; p < order.length; p++) {
    if ((p & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
    if (residual(rows[order[p] as number])) found.push(p);
  }
  const hits = Uint32Array.from(found);
  if (perIndex === undefined) {
    perIndex = new Map();
    hitCache.set(idx, perIndex);
  }
  if (perIndex.size >= HIT_CACHE_ENTRIES) perIndex.delete(perIndex.keys().next().value as string);
  perIndex.set(choice.residualText, hits);
  return hits;
}

export { conjuncts };
