/**
 * Streaming of large BQL result sets with keyset pagination. PT NAD has no result cursor; OFFSET-style paging
 * would skip or repeat rows while flows keep arriving. Instead every page asks for the rows from the last time
 * seen on, in the order (time ASC, id ASC), and drops the ones already yielded at that instant:
 *
 *   WHERE (<user filter>) AND <time> >= T ORDER BY <time> ASC, id ASC LIMIT n + k
 *
 * where T is the time of the last row yielded and k the number of rows yielded in T's millisecond. The bound is
 * inclusive because a server may compare a time literal at millisecond precision while it orders by
 * microseconds: a strict `(time, id) > (T, I)` keyset then skips a row of T's millisecond whose microseconds sort
 * it after I although its id is smaller. With the inclusive bound every row of that millisecond comes back, the
 * k already yielded are dropped by id, and among any n + k rows at least n are new, so each page progresses.
 * Rows that arrive later have a later time, so they are picked up at the tail: nothing is missed or repeated.
 */

import type { AndExpr, ColumnItem, CompareExpr, Expr, Literal, QueryAst } from '../bql/index.js';
import { defaultTimeField, format, parseQuery } from '../bql/index.js';
import { UnexpectedResponseError, ValidationError } from '../core/errors.js';
import type { RequestOptions } from '../core/resource.js';
import type { BqlResource, BqlRow } from '../resources/bql.js';
import { normalizeTime } from './follow-time.js';
import { type QueryLike, queryText } from './query-text.js';

/** Options of `bql.stream`. */
export interface StreamOptions extends RequestOptions {
  /** Rows per request. Default 1000. */
  pageSize?: number;
  /** Storage id; default the client's `defaultSource`. */
  source?: string | number;
}

function fieldIndex(ast: QueryAst, name: string): number {
  return ast.select.findIndex(
    (item) =>
      item.kind === 'column' && item.expr.kind === 'field' && item.expr.name === name && item.alias === undefined,
  );
}

function literalOf(cell: unknown, what: string): Literal {
  if (typeof cell === 'number' && Number.isFinite(cell)) return { kind: 'number', value: cell, raw: String(cell) };
  if (typeof cell === 'string') return { kind: 'string', value: cell };
  throw new ValidationError(`bql.stream: the ${what} column of a row is ${JSON.stringify(cell)}; cannot page after it`);
}

function compare(op: CompareExpr['op'], field: string, value: Literal): CompareExpr {
  return { kind: 'compare', op, field: { kind: 'field', name: field }, value };
}

/** The millisecond a time cell falls in (rows of one millisecond may come back on the next page). */
function instantOf(cell: unknown): string {
  const time = normalizeTime(cell);
  return time === undefined ? String(cell) : time.slice(0, 23);
}

/** Implements `bql.stream`. */
export async function* streamQuery(bql: BqlResource, query: QueryLike, options: StreamOptions): AsyncGenerator<BqlRow> {
  // Everything is checked inside the generator, so a bad argument rejects the first next() like every other
  // failure of the stream.
  const text = queryText(query, 'query');
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new ValidationError(`bql.stream: pageSize must be a positive integer, got ${String(options.pageSize)}`);
  }
  const ast = parseQuery(text);
  const table = ast.from.name;
  const timeField = defaultTimeField(table);
  if (timeField === undefined) {
    throw new ValidationError(`bql.stream: table "${table}" has no time field to page on; stream flow or alert`);
  }
  if (ast.select.some((item) => item.kind === 'star')) {
    throw new ValidationError('bql.stream: SELECT * cannot be streamed; name the columns');
  }
  if (ast.orderBy.length > 0) {
    throw new ValidationError(`bql.stream: remove ORDER BY; streaming always orders by ${timeField} ASC, id ASC`);
  }
  const cap = ast.limit;
  const select = [...ast.select];
  const visible = select.length;
  let timeIdx = fieldIndex(ast, timeField);
  let idIdx = fieldIndex(ast, 'id');
  const column = (name: string): ColumnItem => ({ kind: 'column', expr: { kind: 'field', name } });
  if (timeIdx < 0) timeIdx = select.push(column(timeField)) - 1;
  if (idIdx < 0) idIdx = select.push(column('id')) - 1;

  let emitted = 0;
  // The last time yielded, its millisecond, and the ids yielded in that millisecond (dropped when they return).
  let after: { time: Literal; instant: string; ids: Set<string> } | undefined;
  for (;;) {
    const want = cap === undefined ? pageSize : Math.min(pageSize, cap - emitted);
    if (want <= 0) return;
    let where: Expr | undefined = ast.where;
    if (after) {
      const from = compare('>=', timeField, after.time);
      where = where ? ({ kind: 'and', left: where, right: from } satisfies AndExpr) : from;
    }
    const limit = want + (after?.ids.size ?? 0);
    const page: QueryAst = {
      kind: 'query',
      select,
      from: ast.from,
      ...(where ? { where } : {}),
      orderBy: [
        { kind: 'order', field: { kind: 'field', name: timeField }, direction: 'asc' },
        { kind: 'order', field: { kind: 'field', name: 'id' }, direction: 'asc' },
      ],
      limit,
    };
    const rows = await bql.execute(format(page), options.source, {
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
    let fresh = 0;
    for (const row of rows) {
      const idCell = row[idIdx];
      literalOf(idCell, 'id'); // refuses an id that cannot be compared
      const id = String(idCell);
      if (after?.ids.has(id)) continue;
      const instant = instantOf(row[timeIdx]);
      if (after === undefined || instant !== after.instant) {
        after = { time: literalOf(row[timeIdx], timeField), instant, ids: new Set() };
      } else {
        after.time = literalOf(row[timeIdx], timeField);
      }
      after.ids.add(id);
      fresh++;
      yield row.length > visible ? row.slice(0, visible) : row;
      emitted++;
      if (cap !== undefined && emitted >= cap) return;
    }
    if (rows.length < limit) return;
    if (fresh === 0) {
      throw new UnexpectedResponseError(
        `bql.stream: a full page of ${rows.length} rows held only rows already yielded; the server does not honour ` +
          `"${timeField} >=" with ORDER BY ${timeField}, id`,
      );
    }
  }
}
