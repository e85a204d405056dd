/**
 * Streaming of large BQL result sets with keyset pagination. PT NAD has no result cursor; OFFSET-style paging
 * would skip or repeat rows while flows keep arriving. Instead every page asks for rows strictly after the last
 * one seen in the order (time ASC, id ASC):
 *
 *   WHERE (<user filter>) AND (<time> > T OR (<time> == T AND id > I)) ORDER BY <time> ASC, id ASC LIMIT n
 *
 * Rows that arrive later have a later time (or an equal time and are then ordered by id), so they are either
 * picked up at the tail or were never in range: nothing is missed, nothing is repeated.
 */

import type { AndExpr, ColumnItem, CompareExpr, Expr, Literal, QueryAst } from '../bql/index.js';
import { defaultTimeField, format, parseQuery } from '../bql/index.js';
import { ValidationError } from '../core/errors.js';
import type { RequestOptions } from '../core/resource.js';
import type { BqlResource, BqlRow } from '../resources/bql.js';
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
  let after: { time: Literal; id: Literal } | undefined;
  for (;;) {
    const want = cap === undefined ? pageSize : Math.min(pageSize, cap - emitted);
    if (want <= 0) return;
    let where: Expr | undefined = ast.where;
    if (after) {
      const keyset: Expr = {
        kind: 'or',
        left: compare('>', timeField, after.time),
        right: { kind: 'and', left: compare('==', timeField, after.time), right: compare('>', 'id', after.id) },
      };
      where = where ? ({ kind: 'and', left: where, right: keyset } satisfies AndExpr) : keyset;
    }
    const page: QueryAst = {
      kind: 'query',
      select,
      from: ast.from,
      ...(where ? { where } : {}),
      orderBy: [
        { kind: 'order', field: { kind: 'field', name: timeField }, direction: 'asc' },
        { kind: 'order', field: { kind: 'field', name: 'id' }, direction: 'asc' },
      ],
      limit: want,
    };
    const rows = await bql.execute(format(page), options.source, {
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
    for (const row of rows) {
      yield row.length > visible ? row.slice(0, visible) : row;
      emitted++;
    }
    const last = rows[rows.length - 1];
    if (rows.length < want || last === undefined) return;
    after = { time: literalOf(last[timeIdx], timeField), id: literalOf(last[idIdx], 'id') };
  }
}
