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
 *
 * Each page is asked for as soon as the previous one has arrived (its last rows give the keyset), so the server
 * works on page n + 1 while the consumer reads page n: one page ahead at most, cancelled if the consumer stops.
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
  throw badKeyCell(cell, what);
}

function badKeyCell(cell: unknown, what: string): ValidationError {
  return new ValidationError(
    `bql.stream: the ${what} column of a row is ${JSON.stringify(cell)}; cannot page after it`,
  );
}

/** True for a cell {@link literalOf} accepts (checked per row without building the literal). */
function isKeyCell(cell: unknown): boolean {
  return typeof cell === 'string' || (typeof cell === 'number' && Number.isFinite(cell));
}

function compare(op: CompareExpr['op'], field: string, value: Literal): CompareExpr {
  return { kind: 'compare', op, field: { kind: 'field', name: field }, value };
}

/** PT NAD's own rendering of a time (`2025-06-01T12:00:00.123456`), already in the fixed-width form. */
const FIXED_WIDTH = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

/** The millisecond a time cell falls in (rows of one millisecond may come back on the next page). */
function instantOf(cell: unknown): string {
  // The common form is its own normal form: no match groups, no padding (this runs for every row).
  if (typeof cell === 'string' && FIXED_WIDTH.test(cell)) return cell.slice(0, 23);
  const time = normalizeTime(cell);
  return time === undefined ? String(cell) : time.slice(0, 23);
}

/**
 * Where the stream stands: the last time yielded (its cell), its millisecond, and the ids yielded in that
 * millisecond (they come back on the next page and are dropped there).
 */
interface Keyset {
  time: unknown;
  instant: string;
  ids: Set<string>;
}

/** What replaces a row the stream has handed out, so that the page array does not keep it alive. */
const EMPTY_ROW: BqlRow = [];

/**
 * Drops the rows already yielded and moves the keyset past the others, for a whole page at once (so the next
 * page can be asked for before the consumer has read this one). At most `room` rows are kept.
 */
function takePage(
  rows: readonly BqlRow[],
  at: Keyset | undefined,
  columns: { id: number; time: number; timeField: string },
  room: number,
) {
  const out: BqlRow[] = [];
  let keyset = at;
  let error: ValidationError | undefined;
  for (const row of rows) {
    if (out.length >= room) break;
    const idCell = row[columns.id];
    if (!isKeyCell(idCell)) {
      error = badKeyCell(idCell, 'id');
      break;
    }
    const id = String(idCell);
    if (keyset?.ids.has(id)) continue;
    const timeCell = row[columns.time];
    const instant = instantOf(timeCell);
    if (!isKeyCell(timeCell)) {
      error = badKeyCell(timeCell, columns.timeField);
      break;
    }
    if (keyset === undefined) keyset = { time: timeCell, instant, ids: new Set() };
    else if (instant !== keyset.instant) {
      keyset.instant = instant;
      keyset.ids.clear();
    }
    keyset.time = timeCell;
    keyset.ids.add(id);
    out.push(row);
  }
  return { rows: out, keyset, error };
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

  const keyColumns = { id: idIdx, time: timeIdx, timeField };

  // A page asked for ahead of the consumer is cancelled when the consumer stops early.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const request = (after: Keyset | undefined, want: number) => {
    let where: Expr | undefined = ast.where;
    if (after) {
      const from = compare('>=', timeField, literalOf(after.time, timeField));
      where = where ? ({ kind: 'and', left: where, right: from } satisfies AndExpr) : from;
    }
    const limit = want + (after?.ids.size ?? 0);
    const page: QueryAst = {
      kind: 'query',
      select,
      from: ast.from,
      orderBy: [
        { kind: 'order', field: { kind: 'field', name: timeField }, direction: 'asc' },
        { kind: 'order', field: { kind: 'field', name: 'id' }, direction: 'asc' },
      ],
      limit,
    };
    if (where) page.where = where;
    const rows: Promise<BqlRow[]> = bql.execute(format(page), options.source, {
      signal,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
    // Awaited later (or never, when the consumer stops first): its failure must not count as unhandled meanwhile.
    rows.catch(() => undefined);
    return { rows, limit };
  };
  const wanted = (emitted: number) => (cap === undefined ? pageSize : Math.min(pageSize, cap - emitted));

  let emitted = 0;
  let after: Keyset | undefined;
  if (wanted(0) <= 0) return;
  let pending = request(undefined, wanted(0));
  try {
    for (;;) {
      // Page variables are cleared once used: a page already read must not stay reachable while the next one is
      // parsed (the stream holds one page, plus at most the next one in flight).
      let received: BqlRow[] | undefined = await pending.rows;
      const count = received.length;
      const taken = takePage(received, after, keyColumns, cap === undefined ? count : cap - emitted);
      received = undefined;
      after = taken.keyset;
      let page: BqlRow[] | undefined = taken.rows;
      const error = taken.error;
      const fresh = page.length;
      const more = error === undefined && count >= pending.limit && fresh > 0;
      const want = wanted(emitted + fresh);
      // The next page is asked for now, one ahead: the server works on it while the consumer reads this one.
      const next = more && want > 0 ? request(after, want) : undefined;
      // One turn of the event loop lets that request reach the socket before the rows are handed out: a consumer
      // that never waits for I/O would otherwise hold it back until it had read the whole page.
      if (next) await new Promise<void>((resolve) => setImmediate(resolve));
      for (let i = 0; i < fresh; i++) {
        const row = page[i] as BqlRow;
        page[i] = EMPTY_ROW;
        yield row.length > visible ? row.slice(0, visible) : row;
        emitted++;
      }
      page = undefined;
      if (error) throw error;
      if (cap !== undefined && emitted >= cap) return;
      if (count < pending.limit) return;
      if (next === undefined) {
        throw new UnexpectedResponseError(
          `bql.stream: a full page of ${count} rows held only rows already yielded; the server does not honour ` +
            `"${timeField} >=" with ORDER BY ${timeField}, id`,
        );
      }
      pending = next;
    }
  } finally {
    stop.abort();
  }
}
