/**
 * Shared by the examples: prints rows as an aligned text table with the column names from the query.
 */

import { type Column, columnsOf } from 'ptnad-client/bql';

const MAX_CELL = 42;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellText).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value).replace(/[\r\n\t]/g, ' ');
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** Renders `rows` under the headers of `columns` (or of the query's select list). */
export function formatTable(header: ReadonlyArray<Column | string>, rows: readonly unknown[][]): string {
  const names = header.map((c) => (typeof c === 'string' ? c : c.name));
  const cells = rows.map((row) => names.map((_, i) => cellText(row[i])));
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (parts: string[]) =>
    parts
      .map((p, i) => p.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(names), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  if (rows.length === 0) out.push('(no rows)');
  return out.join('\n');
}

/** Prints a titled table for a query's rows, with headers from `columnsOf(query)`. */
export function printQueryTable(title: string, query: string, rows: readonly unknown[][]): void {
  process.stdout.write(`\n${title}\n${query}\n\n${formatTable(columnsOf(query), rows)}\n`);
}
