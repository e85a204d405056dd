/**
 * Pure AST rewrites the SDK and users apply to queries: add a filter, a time window, a limit, an order.
 * Inputs are never modified. Results carry no spans: after a rewrite, offsets into the original text
 * would point at the wrong places.
 */

import { ValidationError } from '../core/errors.js';
import { type TimeInput, toEpochMs } from '../lib/time.js';
import { type BqlAst, type Expr, type FilterAst, type OrderItem, type QueryAst, stripSpans } from './ast.js';
import { type BqlQuery, isBqlQuery } from './builder.js';
import { defaultTimeField } from './fields.js';
import { parse, parseFilter } from './parser.js';
import { numberText } from './printer.js';
import { type QueryInput, toQueryAst } from './rows.js';

/** A filter as text, AST, builder result or bare expression. */
export type FilterInput = string | BqlQuery | FilterAst | Expr;

// The package's one time parser and TimeInput (naive times are UTC everywhere), re-exported for the toolkit.
export { type TimeInput, toEpochMs } from '../lib/time.js';

function toAst(query: string | BqlQuery | BqlAst): BqlAst {
  if (typeof query === 'string') return parse(query);
  return isBqlQuery(query) ? query.ast : query;
}

function toExpr(filter: FilterInput): Expr {
  if (typeof filter === 'string') return parseFilter(filter).expr;
  const ast = isBqlQuery(filter) ? filter.ast : filter;
  if (ast.kind === 'query') throw new ValidationError('Expected a filter, got a SELECT statement');
  return ast.kind === 'filter' ? ast.expr : ast;
}

/**
 * ANDs `filter` onto a statement's WHERE (adding one if absent) or onto a bare filter.
 * @throws {BqlSyntaxError} when a text argument does not parse.
 * @example format(andFilter(parseQuery('SELECT id FROM flow'), 'dst.port == 53')) // 'SELECT id FROM flow WHERE dst.port == 53'
 */
export function andFilter(query: QueryAst, filter: FilterInput): QueryAst;
export function andFilter(query: FilterAst, filter: FilterInput): FilterAst;
export function andFilter(query: string | BqlQuery | BqlAst, filter: FilterInput): BqlAst;
export function andFilter(query: string | BqlQuery | BqlAst, filter: FilterInput): BqlAst {
  const ast = toAst(query);
  const extra = toExpr(filter);
  if (ast.kind === 'query') {
    const where: Expr = ast.where === undefined ? extra : { kind: 'and', left: ast.where, right: extra };
    return stripSpans({ ...ast, where });
  }
  return stripSpans({ kind: 'filter', expr: { kind: 'and', left: ast.expr, right: extra } });
}

/** Options of {@link withTimeRange}. */
export interface TimeRange {
  /** Inclusive lower bound (`field >= start`). */
  start?: TimeInput;
  /** Exclusive upper bound (`field < end`), so consecutive windows never count a row twice. */
  end?: TimeInput;
  /** Time field; default `end` for flow (and bare filters), `ts` for alert, `tx_time` for child tables. */
  field?: string;
}

/**
 * Restricts a statement or filter to the half-open window `[start, end)` on a time field, written as
 * epoch-millisecond literals.
 * @throws {ValidationError} when neither bound is given, a bound is not a valid time, end <= start, or the
 *   table has no known time field and none is given.
 * @example withTimeRange('SELECT id FROM flow', { start: '2025-02-25', end: '2025-02-26' })
 */
export function withTimeRange(query: QueryAst, range: TimeRange): QueryAst;
export function withTimeRange(query: FilterAst, range: TimeRange): FilterAst;
export function withTimeRange(query: string | BqlQuery | BqlAst, range: TimeRange): BqlAst;
export function withTimeRange(query: string | BqlQuery | BqlAst, range: TimeRange): BqlAst {
  const ast = toAst(query);
  const table = ast.kind === 'query' ? ast.from.name : 'flow';
  const field = range.field ?? defaultTimeField(table);
  if (field === undefined) throw new ValidationError(`No default time field for table '${table}': pass { field }`);
  const start = range.start === undefined ? undefined : toEpochMs(range.start, 'start');
  const end = range.end === undefined ? undefined : toEpochMs(range.end, 'end');
  if (start === undefined && end === undefined) throw new ValidationError('withTimeRange needs a start or an end');
  if (start !== undefined && end !== undefined && end <= start) {
    throw new ValidationError(`Time range end (${end}) must be after start (${start})`);
  }
  const bound = (op: '>=' | '<', ms: number): Expr => {
    const raw = numberText(ms);
    return { kind: 'compare', op, field: { kind: 'field', name: field }, value: { kind: 'number', value: ms, raw } };
  };
  let expr: Expr;
  if (start !== undefined && end !== undefined)
    expr = { kind: 'and', left: bound('>=', start), right: bound('<', end) };
  else if (start !== undefined) expr = bound('>=', start);
  else expr = bound('<', end as number);
  return andFilter(ast, expr);
}

/**
 * Sets (or replaces) a statement's LIMIT.
 * @throws {ValidationError} when `n` is not a non-negative safe integer or the input is a bare filter.
 * @example withLimit('SELECT id FROM flow', 10).limit // 10
 */
export function withLimit(query: QueryInput, n: number): QueryAst {
  if (!Number.isSafeInteger(n) || n < 0) throw new ValidationError(`LIMIT must be a non-negative integer, got ${n}`);
  return stripSpans({ ...toQueryAst(query), limit: n });
}

/** One ORDER BY entry for {@link withOrderBy}: `'start desc'` or `{ field, direction }`. */
export type OrderInput = string | { field: string; direction?: 'asc' | 'desc' };

const ORDER_TEXT = /^\s*([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)(?:\s+(asc|desc))?\s*$/i;

/**
 * Replaces a statement's ORDER BY with `items` (none: removes it).
 * @throws {ValidationError} for an item that is not `field [asc|desc]`, or a bare filter.
 * @example withOrderBy('SELECT id FROM flow', 'start desc').orderBy[0]?.direction // 'desc'
 */
export function withOrderBy(query: QueryInput, ...items: OrderInput[]): QueryAst {
  const orderBy = items.map((item): OrderItem => {
    let name: string;
    let direction: string | undefined;
    if (typeof item === 'string') {
      const m = ORDER_TEXT.exec(item);
      if (m === null) throw new ValidationError(`Not an ORDER BY item ('field [asc|desc]'): ${JSON.stringify(item)}`);
      name = m[1] ?? '';
      direction = m[2]?.toLowerCase();
    } else {
      name = item.field;
      direction = item.direction;
      if (typeof name !== 'string' || name.length === 0) throw new ValidationError('ORDER BY field must be a name');
      if (direction !== undefined && direction !== 'asc' && direction !== 'desc') {
        throw new ValidationError(`ORDER BY direction must be 'asc' or 'desc', got ${JSON.stringify(direction)}`);
      }
    }
    const out: OrderItem = { kind: 'order', field: { kind: 'field', name } };
    if (direction === 'asc' || direction === 'desc') out.direction = direction;
    return out;
  });
  return stripSpans({ ...toQueryAst(query), orderBy });
}
