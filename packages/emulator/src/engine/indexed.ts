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
import type { Expr, QueryAst } from 'ptnad-client/bql';
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
      return { idx, plan, walk, exactOrder };
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
  const collected: number[] = [];
  let total = 0;
  let lastKey = Number.NaN;
  let p = desc ? bound.hi - 1 : bound.lo;
  const step = desc ? -1 : 1;
  const inBound = (x: number) => x >= bound.lo && x < bound.hi;
  for (; inBound(p); p += step) {
    if ((++n & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
    // Page full: go on only through the ties of its last key (they may sort before the rows taken).
    if (collected.length >= limit && (limit === 0 || key[p] !== lastKey)) {
      if (residual === undefined) break;
      // A residual filter must be tested on every bounded row to count them.
      if (test(p)) total++;
      continue;
    }
    if (test(p)) {
      collected.push(p);
      total++;
      lastKey = key[p] as number;
    }
  }
  if (residual === undefined && inBound(p)) {
    // Stopped early: the rest of `sure` all match; the rest outside it is tested.
    const restLo = desc ? bound.lo : p;
    const restHi = desc ? p + 1 : bound.hi;
    total += Math.max(0, Math.min(restHi, sure.hi) - Math.max(restLo, sure.lo));
    for (let x = restLo; x < restHi; x++) {
      if (x >= sure.lo && x < sure.hi) {
        x = sure.hi - 1;
        continue;
      }
      if ((++n & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
      if (where(rows[order[x] as number])) total++;
    }
  }
  if (choice.exactOrder) return { page: collected.slice(0, limit).map((x) => rows[order[x] as number]), total };
  const keyed: Keyed[] = collected.map((x) => keyOf(q.order, rows[order[x] as number], order[x] as number));
  keyed.sort(orderComparator(q.order));
  return { page: keyed.slice(0, limit).map((k) => k.row), total };
}

export { conjuncts };
