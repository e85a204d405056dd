/**
 * The BQL `follow` sends: the caller's query with hidden time and id columns, and the three request shapes
 * (tail pages, the look-back count, the look-back scan), built as ASTs and printed, so values are always literals.
 *
 * Why inclusive bounds: servers compare a time literal at their own precision (the emulator, like Elasticsearch
 * `date` fields, at milliseconds) while they may order by finer times, so a strict `(time, id) > (T, I)` keyset
 * can skip rows that share T's millisecond. `follow` therefore asks for `time >= T` and drops the ids it has
 * already yielded; only a page full of already-seen rows (more rows at one instant than a page) needs the tie
 * sweep `time == T AND id > I ORDER BY id`.
 */

import type { ColumnItem, CompareExpr, Expr, Literal, QueryAst } from '../bql/index.js';
import { columnsOf, defaultTimeField, format, parseQuery } from '../bql/index.js';
import type { Column } from '../bql/rows.js';
import { ValidationError } from '../core/errors.js';

/** A parsed follow query. */
export interface FollowQuery {
  text: string;
  ast: QueryAst;
  timeField: string;
  /** Select list with the hidden time and id columns appended when the caller did not select them. */
  select: QueryAst['select'];
  /** Columns the caller asked for (names for the row objects). */
  columns: Column[];
  visible: number;
  timeIdx: number;
  idIdx: number;
}

const column = (name: string): ColumnItem => ({ kind: 'column', expr: { kind: 'field', name } });

function fieldIndex(ast: QueryAst, name: string): number {
  return ast.select.findIndex(
    (item) =>
      item.kind === 'column' && item.expr.kind === 'field' && item.expr.name === name && item.alias === undefined,
  );
}

/** Parses and checks a query for `follow`. @throws ValidationError, BqlSyntaxError. */
export function prepareFollowQuery(text: string, timeFieldOption: string | undefined): FollowQuery {
  const ast = parseQuery(text);
  const table = ast.from.name;
  const timeField = timeFieldOption ?? defaultTimeField(table);
  if (timeField === undefined) {
    throw new ValidationError(`bql.follow: table "${table}" has no time field to follow; follow flow or alert`);
  }
  if (ast.select.some((item) => item.kind === 'star')) {
    throw new ValidationError('bql.follow: SELECT * cannot be followed; name the columns');
  }
  if (ast.orderBy.length > 0) {
    throw new ValidationError(`bql.follow: remove ORDER BY; follow always orders by ${timeField} ASC, id ASC`);
  }
  if (ast.limit !== undefined) {
    throw new ValidationError('bql.follow: remove LIMIT; follow runs until stopped (use pageSize for request sizes)');
  }
  const select = [...ast.select];
  let timeIdx = fieldIndex(ast, timeField);
  let idIdx = fieldIndex(ast, 'id');
  if (timeIdx < 0) timeIdx = select.push(column(timeField)) - 1;
  if (idIdx < 0) idIdx = select.push(column('id')) - 1;
  return { text, ast, timeField, select, columns: columnsOf(ast), visible: ast.select.length, timeIdx, idIdx };
}

const str = (value: string): Literal => ({ kind: 'string', value });
const cmp = (op: CompareExpr['op'], field: string, value: Literal): CompareExpr => ({
  kind: 'compare',
  op,
  field: { kind: 'field', name: field },
  value,
});

function and(...parts: Array<Expr | undefined>): Expr | undefined {
  let out: Expr | undefined;
  for (const p of parts) if (p) out = out ? { kind: 'and', left: out, right: p } : p;
  return out;
}

/** What a request asks for. */
export interface PageSpec {
  /** `time >= since` (or `>` when `strict`). */
  since?: string;
  /** `time <= until` (the look-back stays below the tail). */
  until?: string;
  strict?: boolean;
  /** Tie sweep: `time == at AND id > afterId`, ordered by id only. */
  tie?: { at: string; afterId: string };
  /** Newest first (the look-back scan). */
  desc?: boolean;
  limit: number;
  /** Select only the time and id (the look-back count). */
  keysOnly?: boolean;
}

/** The BQL text of one request. */
export function pageText(q: FollowQuery, spec: PageSpec): string {
  const t = q.timeField;
  const bound = spec.since === undefined ? undefined : cmp(spec.strict ? '>' : '>=', t, str(spec.since));
  const upper = spec.until === undefined ? undefined : cmp('<=', t, str(spec.until));
  const tie = spec.tie ? and(cmp('==', t, str(spec.tie.at)), cmp('>', 'id', str(spec.tie.afterId))) : undefined;
  const where = and(q.ast.where, bound, upper, tie);
  const dir = spec.desc ? 'desc' : 'asc';
  const page: QueryAst = {
    kind: 'query',
    select: spec.keysOnly ? [column(t), column('id')] : q.select,
    from: q.ast.from,
    ...(where ? { where } : {}),
    orderBy: spec.tie
      ? [{ kind: 'order', field: { kind: 'field', name: 'id' }, direction: 'asc' }]
      : [
          { kind: 'order', field: { kind: 'field', name: t }, direction: dir },
          { kind: 'order', field: { kind: 'field', name: 'id' }, direction: dir },
        ],
    limit: spec.limit,
  };
  return format(page);
}

/** A short stable digest of the query (a checkpoint names the query it belongs to). */
export function queryDigest(q: FollowQuery, source: string): string {
  const text = `${source}\n${q.timeField}\n${format(q.ast)}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(36) + (h2 >>> 0).toString(36);
}
