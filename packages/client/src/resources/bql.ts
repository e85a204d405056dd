/**
 * `client.bql`: run BQL queries (`POST bql?source=N`, text/plain body), map rows to objects, validate offline,
 * and stream result sets of any size.
 */

import { columnsOf, type Diagnostic, parse, rowsToObjects, type ValidateOptions, validate } from '../bql/index.js';
import type { RowFor } from '../bql/row-types.js';
import { APIPromise, asAPIPromise } from '../core/api-promise.js';
import { APIError, BqlQueryError, BqlSyntaxError, UnexpectedResponseError } from '../core/errors.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { describeValue } from '../core/shape.js';
import { serverDetail } from '../internal/api-error.js';
import { type StreamOptions, streamQuery } from '../lib/bql-stream.js';
import { Follower, type FollowOptions } from '../lib/follow.js';
import { type QueryLike, queryText } from '../lib/query-text.js';

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
  if (typeof source === 'string' || typeof source === 'number') {
    // The key first and again after the spread (the positional source wins): "Hot paths" in docs/ARCHITECTURE.md.
    const merged: BqlOptions = { source, ...options };
    merged.source = source;
    return merged;
  }
  return { ...source, ...options };
}

/** An HTTP error that is the server rejecting the query (not auth, not a missing route, not throttling). */
function isQueryRejection(err: APIError): boolean {
  if ([401, 403, 404, 429].includes(err.status)) return false;
  const body = err.body;
  return err.status === 400 || (body !== null && typeof body === 'object' && 'error' in body);
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
    return asAPIPromise(() => {
      const text = queryText(query, 'query');
      const opts = split(source, options);
      const src = String(opts.source ?? this.client.defaultSource);
      const operation = 'execute BQL query';
      const raw = this.client
        .request<unknown>(
          { method: 'POST', path: 'bql', query: { source: src }, text, operation, idempotent: true },
          opts,
        )
        .withResponse()
        .then(
          ({ data: body, response }) => {
            if (body !== null && typeof body === 'object' && 'error' in body) {
              const reason = serverDetail((body as { error: unknown }).error);
              throw new BqlQueryError(`Failed to ${operation}: ${reason}`, {
                status: response.status,
                method: 'POST',
                url: response.url,
                body,
                operation,
                reason,
              });
            }
            const r = body as Partial<BqlResponse> | undefined;
            if (r === null || typeof r !== 'object' || !Array.isArray(r.result)) {
              throw new UnexpectedResponseError(
                `Failed to ${operation}: the answer has no "result" list (got ${describeValue(body)})`,
                { operation },
              );
            }
            // The answer is this call's own parse: `total` is filled in place (a `{ ...r, total }` copy would be kept
            // alive by young-generation collections: "Hot paths" in docs/ARCHITECTURE.md).
            if (typeof r.total !== 'number') r.total = r.result.length;
            return { data: r as BqlResponse, response };
          },
          (err: unknown) => {
            if (!(err instanceof APIError) || !isQueryRejection(err)) throw err;
            const detail = (err.body as { error?: unknown } | undefined)?.error;
            throw new BqlQueryError(err.message, {
              status: err.status,
              method: err.method,
              url: err.url,
              body: err.body,
              headers: err.headers,
              operation,
              cause: err,
              reason: serverDetail(detail ?? err.body),
            });
          },
        );
      return new APIPromise<BqlResponse>(raw);
    });
  }

  /**
   * Runs a query and resolves to rows as objects keyed by the column names of the select list
   * (`src.ip`, aliases, `extract_raw_object('false_positive')`, ...).
   *
   * Rows are typed from the query text when it is a string literal (or `bql([...parts], ...values)`): known
   * fields get their catalogue type (`number | null` for `dst.port`), aliases name their column, functions are
   * `unknown`, subqueries arrays of their rows, and a column not in the select list is a compile error. A
   * query built at run time, a `bql` tagged template and `SELECT *` give `Record<string, unknown>`; an explicit
   * `query<T>()` always wins.
   * @throws BqlSyntaxError offline when the query does not parse (the column names come from it), BqlQueryError
   *   when the server rejects it: both are a BqlError.
   * @example
   * const rows = await client.bql.query('SELECT src.ip, dst.port FROM flow LIMIT 5');
   * rows[0]?.['dst.port']; // number | null
   * const flows = await client.bql.query<{ 'src.ip': string; 'dst.ip': string }>(bql`SELECT src.ip, dst.ip FROM flow WHERE dst.port == ${port}`);
   */
  async query<T = never, Q extends QueryLike = QueryLike>(
    query: Q,
    source?: SourceArg,
    options?: RequestOptions,
  ): Promise<Array<[T] extends [never] ? RowFor<Q> : T>> {
    const text = queryText(query, 'query');
    const columns = columnsOf(text);
    const rows = await this.execute(text, source, options);
    return rowsToObjects(columns, rows) as Array<[T] extends [never] ? RowFor<Q> : T>;
  }

  /**
   * Checks a query or filter offline (no request): a syntax error becomes one `error` diagnostic with its
   * position, then the field catalogue is checked (unknown fields are warnings, impossible values errors).
   * Synchronous, so it throws (never rejects).
   * @throws ValidationError when `query` is neither a string nor a `bql` builder result.
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
   * A LIMIT in the query caps the total number of rows. Yields rows in select order. While you read a page, the
   * next one is already being fetched (one page ahead, never more; stopping early cancels it).
   * @throws ValidationError for `SELECT *`, ORDER BY, or a table without a time field; BqlSyntaxError offline.
   * @example
   * for await (const [src, dst] of client.bql.stream("SELECT src.ip, dst.ip FROM flow WHERE app_proto == 'dns'", { pageSize: 1000 })) {
   *   console.log(src, dst);
   * }
   */
  stream(query: QueryLike, options: StreamOptions = {}): AsyncGenerator<BqlRow> {
    return streamQuery(this, query, options);
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
