/**
 * Naming the server's positional rows. PT NAD answers a statement with one array per row and one cell per
 * select item, in select order, with no column names (§8.4); a scalar subquery's cell is itself an array of
 * rows. These helpers derive the names from the query and zip them in.
 */

import { ValidationError } from '../core/errors.js';
import type { FuncCall, QueryAst } from './ast.js';
import { type BqlQuery, isBqlQuery } from './builder.js';
import { parseQuery } from './parser.js';
import { printLiteral } from './printer.js';
import { fieldText } from './syntax.js';

/** An output column: its name, or for a subquery its name and its own columns. */
export type Column = string | SubqueryColumn;

/** A scalar subquery's column: named by its alias or its table; cells are arrays of rows of `columns`. */
export interface SubqueryColumn {
  name: string;
  columns: Column[];
}

/** A statement as text, AST, or the result of the `bql` builder. */
export type QueryInput = string | QueryAst | BqlQuery;

/** A statement's AST from any {@link QueryInput}. @throws {ValidationError} when it is a filter, not a statement. */
export function toQueryAst(query: QueryInput): QueryAst {
  if (typeof query === 'string') return parseQuery(query);
  const ast = isBqlQuery(query) ? query.ast : query;
  if (ast.kind !== 'query') throw new ValidationError('Expected a SELECT statement, got a bare filter');
  return ast;
}

/**
 * The output columns of a statement, in select order: the alias if any, else the field name, else the
 * call's text (`extract_raw_object('false_positive')`, string arguments single-quoted as PT NAD clients write
 * them), else for a subquery `{ name, columns }`. `SELECT *` gives `'*'` (its columns are not knowable).
 * @throws {BqlSyntaxError} when `query` is text that does not parse.
 * @example columnsOf('SELECT src.ip, dst.ip proto FROM flow') // ['src.ip', 'proto']
 */
export function columnsOf(query: QueryInput): Column[] {
  return toQueryAst(query).select.map((item): Column => {
    if (item.kind === 'star') return '*';
    const e = item.expr;
    if (e.kind === 'subquery') return { name: item.alias ?? e.query.from.name, columns: columnsOf(e.query) };
    if (item.alias !== undefined) return item.alias;
    return e.kind === 'call' ? callText(e) : e.name;
  });
}

function callText(call: FuncCall): string {
  const args = call.args.map((a) => {
    if (a.kind === 'field') return fieldText(a.name);
    if (a.kind !== 'string') return printLiteral(a);
    return `'${a.value
      .replace(/[\\']/g, (c) => `\\${c}`)
      .replace(/\n/g, '\\n')
      .replace(/\t/g, '\\t')
      .replace(/\r/g, '\\r')}'`;
  });
  return `${call.name}(${args.join(', ')})`;
}

/**
 * Zips positional rows into objects keyed by {@link columnsOf} (or by a column list computed earlier); subquery cells (arrays of rows) become
 * arrays of objects. A repeated name gets a `#2`, `#3` suffix; cells beyond the known columns are kept
 * under `#<index>`; missing cells are `null`.
 * @throws {ValidationError} when a row is not an array or the statement selects `*`.
 * @example rowsToObjects('SELECT src.ip, dst.port FROM flow', [['10.0.0.1', 443]]) // [{ 'src.ip': '10.0.0.1', 'dst.port': 443 }]
 */
export function rowsToObjects(
  query: QueryInput | readonly Column[],
  rows: readonly unknown[],
): Array<Record<string, unknown>> {
  const columns: readonly Column[] = Array.isArray(query) ? query : columnsOf(query as QueryInput);
  if (columns.includes('*')) throw new ValidationError('Cannot name the columns of SELECT *: list the fields');
  if (!Array.isArray(rows)) throw new ValidationError('Expected an array of rows');
  return rows.map((row, i) => zip(columns, row, `row ${i}`));
}

function zip(columns: readonly Column[], row: unknown, where: string): Record<string, unknown> {
  if (!Array.isArray(row)) throw new ValidationError(`Expected ${where} to be an array of cells, got ${typeof row}`);
  const seen = new Map<string, number>();
  const entries: Array<[string, unknown]> = [];
  columns.forEach((col, i) => {
    const base = typeof col === 'string' ? col : col.name;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const name = count === 1 ? base : `${base}#${count}`;
    const cell: unknown = i < row.length ? row[i] : null;
    if (typeof col !== 'string' && Array.isArray(cell)) {
      entries.push([name, cell.map((sub, k) => zip(col.columns, sub, `${where}, ${name}[${k}]`))]);
    } else {
      entries.push([name, cell]);
    }
  });
  for (let i = columns.length; i < row.length; i++) entries.push([`#${i}`, row[i]]);
  // fromEntries defines own properties, so a column named `__proto__` cannot touch the prototype.
  return Object.fromEntries(entries);
}
