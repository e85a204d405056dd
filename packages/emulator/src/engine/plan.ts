/**
 * Which rows of a time index a WHERE clause can match. Each top-level AND term is read as a range of index
 * positions: `end > T`, `end <= T`, `end == T` decide exactly (inside the range the term is true, outside false);
 * an OR of such terms (the keyset condition `end > T OR (end == T AND id > I)`) bounds the rows by the hull of
 * its parts and is surely true inside its widest exact part; any other term bounds nothing. The plan is then
 *
 * - `bound`: positions outside it never match;
 * - `sure`: inside it every time term is true, so only the `residual` terms (the user's filter) need a test;
 * - in `bound` but outside `sure` (a few ties at the keyset boundary) the whole WHERE is evaluated.
 *
 * The plan never changes an answer, only which rows are looked at: the property tests compare it with full scans.
 */
import { assertNever, type Expr, type Literal } from 'ptnad-client/bql';
import { boundOf, type IndexedField, type TimeIndex } from './flow-table.js';
import { parseTimeText } from './literals.js';

/** Half-open range [lo, hi) of index positions. */
export interface PosRange {
  lo: number;
  hi: number;
}

/** How a WHERE clause reads one index. */
export interface IndexPlan {
  bound: PosRange;
  sure: PosRange;
  /** The AND terms not implied inside `sure` (empty: every row in `sure` matches). */
  residual: Expr[];
}

const EMPTY: PosRange = { lo: 0, hi: 0 };

interface TermRange {
  bound: PosRange;
  sure: PosRange;
}

/** The terms of a chain of ANDs, left to right (iterative: chains may be thousands long). */
export function conjuncts(expr: Expr): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop() as Expr;
    if (e.kind === 'and') stack.push(e.right, e.left);
    else out.push(e);
  }
  return out;
}

/** The time a literal names, read as the engine reads it on a datetime field; undefined when none. */
function timeOf(lit: Literal): number | undefined {
  switch (lit.kind) {
    case 'number':
      return lit.value;
    case 'date':
      return lit.epochMs;
    case 'string':
    case 'word':
    case 'ip':
      return parseTimeText(lit.value);
  }
}

const size = (r: PosRange) => Math.max(0, r.hi - r.lo);
const intersect = (a: PosRange, b: PosRange): PosRange => ({ lo: Math.max(a.lo, b.lo), hi: Math.min(a.hi, b.hi) });

/** The range a term allows on `idx` (depth-limited: the parser caps nesting, this only reads AND/OR). */
function termRange(e: Expr, idx: TimeIndex, field: IndexedField, depth: number): TermRange {
  const n = idx.order.length;
  const all: TermRange = { bound: { lo: 0, hi: n }, sure: EMPTY };
  if (depth > 8) return all;
  switch (e.kind) {
    case 'compare': {
      if (e.field.name !== field) return all;
      const t = timeOf(e.value);
      if (t === undefined || Number.isNaN(t)) return all;
      let r: PosRange;
      switch (e.op) {
        case '>':
          r = { lo: boundOf(idx, t, true), hi: n };
          break;
        case '>=':
          r = { lo: boundOf(idx, t, false), hi: n };
          break;
        case '<':
          r = { lo: 0, hi: boundOf(idx, t, false) };
          break;
        case '<=':
          r = { lo: 0, hi: boundOf(idx, t, true) };
          break;
        case '==':
          r = { lo: boundOf(idx, t, false), hi: boundOf(idx, t, true) };
          break;
        case '!=':
        case '~':
          // `!=` allows two ranges and `~` is text: neither narrows the index.
          return all;
        default:
          return assertNever(e.op, 'comparison operator');
      }
      return { bound: r, sure: r };
    }
    case 'and': {
      const parts = conjuncts(e).map((c) => termRange(c, idx, field, depth + 1));
      let bound: PosRange = { lo: 0, hi: n };
      let sure: PosRange = { lo: 0, hi: n };
      for (const p of parts) {
        bound = intersect(bound, p.bound);
        sure = intersect(sure, p.sure);
      }
      return { bound, sure: size(sure) > 0 ? sure : EMPTY };
    }
    case 'or': {
      const left = termRange(e.left, idx, field, depth + 1);
      const right = termRange(e.right, idx, field, depth + 1);
      const bound =
        size(left.bound) === 0
          ? right.bound
          : size(right.bound) === 0
            ? left.bound
            : { lo: Math.min(left.bound.lo, right.bound.lo), hi: Math.max(left.bound.hi, right.bound.hi) };
      return { bound, sure: size(left.sure) >= size(right.sure) ? left.sure : right.sure };
    }
    default:
      return all;
  }
}

/** The plan of a WHERE clause on one index. */
export function planIndex(where: Expr, idx: TimeIndex): IndexPlan {
  const n = idx.order.length;
  let bound: PosRange = { lo: 0, hi: n };
  let sure: PosRange = { lo: 0, hi: n };
  const residual: Expr[] = [];
  for (const term of conjuncts(where)) {
    const r = termRange(term, idx, idx.field, 0);
    bound = intersect(bound, r.bound);
    if (size(r.sure) > 0) sure = intersect(sure, r.sure);
    else residual.push(term);
  }
  if (size(bound) === 0) return { bound: EMPTY, sure: EMPTY, residual };
  sure = intersect(sure, bound);
  return { bound, sure: size(sure) > 0 ? sure : { lo: bound.lo, hi: bound.lo }, residual };
}
