/**
 * `client.bql`: run BQL queries (`POST bql?source=N`, text/plain body), map rows to objects, validate offline,
 * and stream result sets of any size.
 */

import { columnsOf, type Diagnostic, parse, rowsToObjects, type ValidateOptions, validate } from '../bql/index.js';
import type { APIPromise } from '../core/api-promise.js';
import { BqlQueryError, BqlSyntaxError, PTNADError } from '../core/errors.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { Follower, type FollowOptions } from '../lib/follow.js';
import { type StreamOptions, streamQuery } from './bql-stream.js';
import { type QueryLike, queryText } from './query-text.js';

/** A BQL row: one cell per select item, in select order (subquery cells are arrays of rows). */
export type BqlRow = unknown[];

/** The full answer of `POST bql`. */
export interface BqlResponse {
  result: BqlRow[];
  /** Server time in ms; some versions omit it. */
  took?: number;
  /** All matches, not the rows returned (a LIMIT 1 query may report total 3). */
  total: number;
  debug?: Record<string, unknown>;
}

/** Options of the BQL calls: the storage plus the usual per-call options. */
export interface BqlOptions extends RequestOptions {
  /** Storage id; default the client's `defaultSource` (`'2'`, live). */
  source?: string | number;
}

/** `source` may be passed positionally (Python style) or inside the options object. */
export type SourceArg = string | number | BqlOptions | undefined;

function split(source: SourceArg, options: RequestOptions | undefined): BqlOptions {
  if (typeof source === 'string' || typeof source === 'number') return { ...options, source };
  return { ...source, ...options };
}

function bqlErrorClass(status: number, body: unknown) {
  if (status === 401 || status === 403 || status === 404 || status === 429) return undefined;
  const hasError = body !== null && typeof body === 'object' && 'error' in body;
  return hasError || status === 400 ? BqlQueryError : undefined;
}

/** BQL queries. */
export class BqlResource extends APIResource {
  /**
   * Runs a query and resolves to its rows (positional arrays).
   * @throws BqlQueryError when the server rejects the query; APIError/ConnectionError/TimeoutError otherwise.
   * @example
   * const rows = await client.bql.execute('SELECT src.ip, dst.ip, proto FROM flow WHERE end > 2025.02.25 LIMIT 10');
   * const fromCase = await client.bql.execute(bql`SELECT id FROM flow WHERE src.ip == ${ip}`, '19');
   */
  execute(query: QueryLike, source?: SourceArg, options?: RequestOptions): APIPromise<BqlRow[]> {
    return this.executeRaw(query, source, options).map((r) => r.result);
  }

  /**
   * Runs a query and resolves to the whole answer: `{ result, took, total, debug? }`.
   * Retried like a GET (it only reads), honouring Retry-After.
   * @throws BqlQueryError when the server rejects the query.
   * @example
   * const { result, total, took } = await client.bql.executeRaw('SELECT id FROM flow LIMIT 1');
   */
  executeRaw(query: QueryLike, source?: SourceArg, options?: RequestOptions): APIPromise<BqlResponse> {
    const text = queryText(query, 'query');
    const opts = split(source, options);
    const src = String(opts.source ?? this.client.defaultSource);
    const operation = 'execute BQL query';
    return this.client
      .request<unknown>(
        {
          method: 'POST',
          path: 'bql',
          query: { source: src },
          text,
          operation,
          idempotent: true,
          errorClass: bqlErrorClass,
        },
        opts,
      )
      .map((body, response) => {
        if (body !== null && typeof body === 'object' && 'error' in body) {
          const detail = (body as { error: unknown }).error;
          throw new BqlQueryError(
            `Failed to ${operation}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`,
            { status: response.status, method: 'POST', url: response.url, body, operation },
          );
        }
        const r = body as Partial<BqlResponse> | undefined;
        if (!r || !Array.isArray(r.result)) {
          throw new PTNADError(`Failed to ${operation}: the answer has no "result" list`, { operation });
        }
        return {
          ...r,
          result: r.result,
          total: typeof r.total === 'number' ? r.total : r.result.length,
        } as BqlResponse;
      });
  }

  /**
   * Runs a query and resolves to rows as objects keyed by the column names of the select list
   * (`src.ip`, aliases, `extract_raw_object('false_positive')`, ...).
   * @throws BqlSyntaxError offline when the query does not parse (the column names come from it).
   * @example
   * const flows = await client.bql.query<{ 'src.ip': string; 'dst.ip': string }>('SELECT src.ip, dst.ip FROM flow LIMIT 5');
   */
  async query<T = Record<string, unknown>>(
    query: QueryLike,
    source?: SourceArg,
    options?: RequestOptions,
  ): Promise<T[]> {
    const text = queryText(query, 'query');
    const columns = columnsOf(text);
    const rows = await this.execute(text, source, options);
    return rowsToObjects(columns, rows) as T[];
  }

  /**
   * Checks a query or filter offline (no request): a syntax error becomes one `error` diagnostic with its
   * position, then the field catalogue is checked (unknown fields are warnings, impossible values errors).
   * @example
   * const problems = client.bql.validate('SELECT src.ip FROM flow WHERE dst.prot == 80');
   * // [{ severity: 'warning', message: 'unknown field "dst.prot"...', suggestion: 'dst.port' }]
   */
  validate(query: QueryLike, options: ValidateOptions = {}): Diagnostic[] {
    const text = queryText(query, 'query');
    try {
      return validate(parse(text), options);
    } catch (err) {
      if (!(err instanceof BqlSyntaxError)) throw err;
      return [
        {
          severity: 'error',
          message: err.message,
          code: 'syntax',
          span: { start: err.offset, end: err.offset + 1 },
        },
      ];
    }
  }

  /**
   * Streams a result set of any size, page by page, without missing or repeating rows while new flows arrive.
   * It pages with keyset conditions on the table's time field and `id`, so it imposes the order
   * `ORDER BY <time> ASC, id ASC` (`end` for flow, `ts` for alert); a query with its own ORDER BY is rejected.
   * A LIMIT in the query caps the total number of rows. Yields rows in select order.
   * @throws ValidationError for `SELECT *`, ORDER BY, or a table without a time field; BqlSyntaxError offline.
   * @example
   * for await (const [src, dst] of client.bql.stream("SELECT src.ip, dst.ip FROM flow WHERE app_proto == 'dns'", { pageSize: 1000 })) {
   *   console.log(src, dst);
   * }
   */
  stream(query: QueryLike, options: StreamOptions = {}): AsyncGenerator<BqlRow> {
    return streamQuery(this, queryText(query, 'query'), options);
  }

  /**
   * Follows a query: yields the rows it matches from now on (or from `options.checkpoint`) as they appear, in
   * time order (`end` for flow, `ts` for alert, then `id`), polling until `signal` aborts. Rows that appear late
   * (within `lookBackMs`) are still yielded, never a row twice; `checkpoint()` gives a small JSON position that
   * resumes with exactly the rows not yielded before it. Survives 5xx, 429 and connection errors (reported to
   * `onError`) and re-logins. See `Follower` for batches and `ready()`.
   * @throws ValidationError (on the first row) for `SELECT *`, ORDER BY, LIMIT or a checkpoint of another query.
   * @example
   * const follower = client.bql.follow("SELECT id, ts, msg, attacker.ip FROM alert WHERE pr == 1", { signal });
   * for await (const alert of follower) {
   *   await forward(alert);
   *   save(follower.checkpoint());
   * }
   */
  follow<T = Record<string, unknown>>(query: QueryLike, options: FollowOptions = {}): Follower<T> {
    return new Follower<T>(this, queryText(query, 'query'), String(this.client.defaultSource), options);
  }
}
