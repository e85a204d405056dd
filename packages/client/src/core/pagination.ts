/**
 * Pagination as async iteration (docs/ARCHITECTURE.md, convention 10). `await client.replists.getLists()` gives one page;
 * `for await (const list of client.replists.getLists())` walks every item of every page; `toArray({ max })`
 * collects with a required cap. One page class per wire shape: offset (`count/next/previous/results`) and
 * cursor (hosts: the `cursor` query parameter taken from the `next` URL).
 */

import type { PTNADClient } from '../client.js';
import type { RequestSpec } from '../internal/request.js';
import { APIPromise, handledRejection, type WithResponse } from './api-promise.js';
import { UnexpectedResponseError, ValidationError } from './errors.js';
import type { RequestOptions } from './resource.js';
import { describeValue } from './shape.js';

/** Query parameters that select the next page. */
export type PageParams = Record<string, string | number>;

/** The list envelope of offset-paged endpoints. Fields other than `results` may be absent on some versions. */
export interface ListEnvelope<T> {
  count?: number;
  next?: string | null;
  previous?: string | null;
  results: T[];
}

/**
 * One page of results. A page IS an array of its items (as the Python client's `get_*` methods return lists:
 * `page.length`, `page[0]`, `page.map(...)`, `for (const x of page)`), with the envelope's `count`, `next` and
 * `previous` alongside. `results` is the same array, for code written against the wire shape.
 */
export abstract class Page<T> extends Array<T> {
  /** Array methods (`map`, `filter`, `slice`, ...) return plain arrays, not pages. */
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** Total count across pages, when the server sent it. */
  readonly count: number | undefined;
  /** The server's absolute URL of the next page, or null on the last page. */
  readonly next: string | null;
  readonly previous: string | null;

  constructor(envelope: ListEnvelope<T>) {
    super();
    const results = Array.isArray(envelope.results) ? envelope.results : [];
    for (const item of results) this.push(item);
    this.count = typeof envelope.count === 'number' ? envelope.count : undefined;
    this.next = typeof envelope.next === 'string' && envelope.next !== '' ? envelope.next : null;
    this.previous = typeof envelope.previous === 'string' ? envelope.previous : null;
  }

  /** The items of this page (the page itself). */
  get results(): T[] {
    return this;
  }

  /**
   * The parameters of the next page request, or undefined on the last page.
   * @example
   * const page = await client.replists.getLists({ limit: 50 });
   * page.nextPageParams(); // { offset: 50, limit: 50 }
   */
  abstract nextPageParams(): PageParams | undefined;

  /**
   * Whether another page follows.
   * @example
   * if ((await client.replists.getLists()).hasNextPage()) console.log('more lists');
   */
  hasNextPage(): boolean {
    return this.nextPageParams() !== undefined;
  }
}

/** A page of a limit/offset endpoint. The next offset comes from `next`, or from what was received. */
export class OffsetPage<T> extends Page<T> {
  readonly #offset: number;
  readonly #limit: number | undefined;

  constructor(envelope: ListEnvelope<T>, request: { offset?: number; limit?: number }) {
    super(envelope);
    this.#offset = request.offset ?? 0;
    this.#limit = request.limit;
  }

  nextPageParams(): PageParams | undefined {
    if (this.next === null || this.results.length === 0) return undefined;
    const fromUrl = queryParam(this.next, 'offset');
    const offset =
      fromUrl !== undefined && /^\d+$/.test(fromUrl) ? Number(fromUrl) : this.#offset + this.results.length;
    // A server that sends a `next` pointing backwards would make us loop forever.
    if (offset <= this.#offset) return undefined;
    return this.#limit === undefined ? { offset } : { offset, limit: this.#limit };
  }
}

/**
 * A page of a cursor endpoint (hosts): the next request carries the `cursor` parameter of `next` (or its
 * `offset`, which some versions send for the first pages). A cursor the walk has already used is a server fault:
 * {@link PagePromise.pages} stops with an UnexpectedResponseError instead of looping.
 */
export class CursorPage<T> extends Page<T> {
  nextPageParams(): PageParams | undefined {
    if (this.next === null || this.results.length === 0) return undefined;
    const cursor = queryParam(this.next, 'cursor');
    if (cursor !== undefined && cursor !== '') return { cursor };
    const offset = queryParam(this.next, 'offset');
    if (offset !== undefined && /^\d+$/.test(offset)) return { offset: Number(offset) };
    return undefined;
  }
}

/** Options of {@link PagePromise.toArray}. */
export interface ToArrayOptions {
  /** Required cap: stop after this many items (a list of millions should be a decision, not an accident). */
  max: number;
}

/**
 * The result of a list method: await it for the first page, or iterate it for every item of every page.
 * @example
 * const first = await client.replists.getLists({ limit: 50 });       // one page
 * for await (const list of client.replists.getLists()) console.log(list.name); // all lists
 * const some = await client.replists.getLists().toArray({ max: 500 });
 */
export class PagePromise<P extends Page<T>, T> extends APIPromise<P> implements AsyncIterable<T> {
  readonly #fetchPage: (params: PageParams) => APIPromise<P>;

  constructor(first: Promise<WithResponse<P>>, fetchPage: (params: PageParams) => APIPromise<P>) {
    super(first);
    this.#fetchPage = fetchPage;
  }

  /**
   * Walks the pages one request at a time, starting with the first.
   * @example
   * for await (const page of client.replists.getLists({ limit: 200 }).pages()) console.log(page.results.length);
   */
  async *pages(): AsyncGenerator<P> {
    let page: P = await this;
    // A server that hands out a page position it already gave (cursors alternating A, B, A, ...) would keep a
    // `for await` running for ever: every position is asked for at most once.
    const seen = new Set<string>();
    for (;;) {
      yield page;
      const params = page.nextPageParams();
      if (params === undefined) return;
      const key = JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
      if (seen.has(key)) {
        throw new UnexpectedResponseError(
          `The server's next page (${Object.entries(params)
            .map(([k, v]) => `${k}=${v}`)
            .join('&')}) ` +
            `was already read in this walk; stopping instead of looping (after ${seen.size + 1} pages)`,
        );
      }
      seen.add(key);
      page = await this.#fetchPage(params);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) yield* page.results;
  }

  /**
   * Collects items across pages, stopping at `max` (required) items.
   * @throws ValidationError when `max` is not a positive integer.
   * @example
   * const rules = await client.signatures.getRules({ vendor: 'ETOpen' }).toArray({ max: 10_000 });
   */
  async toArray(options: ToArrayOptions): Promise<T[]> {
    const max = options?.max;
    if (typeof max !== 'number' || !Number.isInteger(max) || max <= 0) {
      throw new ValidationError(`toArray needs a cap: { max } must be a positive integer, got ${String(max)}`);
    }
    const out: T[] = [];
    for await (const item of this) {
      out.push(item);
      if (out.length >= max) break;
    }
    return out;
  }
}

function queryParam(url: string, name: string): string | undefined {
  try {
    return new URL(url, 'http://placeholder.invalid/').searchParams.get(name) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Like {@link asAPIPromise} for list methods: an argument error thrown by `build` becomes a rejected page
 * promise (awaiting, iterating and `toArray` all see it) instead of a synchronous throw.
 */
export function asPagePromise<P extends Page<T>, T>(build: () => PagePromise<P, T>): PagePromise<P, T> {
  try {
    return build();
  } catch (err) {
    return new PagePromise<P, T>(handledRejection(err), () => {
      throw err;
    });
  }
}

/**
 * Checks that a list answer has a `results` list (a bare array is accepted too: some versions send one).
 * @throws UnexpectedResponseError otherwise.
 */
export function envelope<T>(body: unknown, operation: string): ListEnvelope<T> {
  if (Array.isArray(body)) return { results: body as T[], next: null };
  if (body !== null && typeof body === 'object' && Array.isArray((body as { results?: unknown }).results)) {
    return body as ListEnvelope<T>;
  }
  throw new UnexpectedResponseError(
    `Failed to ${operation}: the answer has no "results" list (got ${describeValue(body)})`,
    { operation },
  );
}

/** How a list endpoint pages: the page class, and the query parameters of the first page. */
interface ListShape<P> {
  makePage(envelope: ListEnvelope<unknown>, params: PageParams): P;
  first: PageParams;
}

/**
 * One list endpoint as a PagePromise: every request is `spec` plus the page's parameters, every answer goes
 * through {@link envelope}. The one helper behind every list of the SDK (offset and cursor alike).
 */
function listPages<P extends Page<T>, T>(
  client: PTNADClient,
  spec: RequestSpec,
  shape: ListShape<P>,
  options?: RequestOptions,
): PagePromise<P, T> {
  const fetchPage = (params: PageParams): APIPromise<P> => {
    const merged = { ...shape.first, ...params };
    return client
      .request<unknown>({ ...spec, query: { ...spec.query, ...merged } }, options)
      .map((body) => shape.makePage(envelope(body, spec.operation), merged));
  };
  return new PagePromise<P, T>(fetchPage({}).withResponse(), fetchPage);
}

/** A limit/offset list (`count/next/previous/results`). */
export function offsetList<T>(
  client: PTNADClient,
  spec: RequestSpec,
  page: { limit?: number | undefined; offset?: number | undefined },
  options?: RequestOptions,
): PagePromise<OffsetPage<T>, T> {
  const first: PageParams = {};
  if (page.limit !== undefined) first.limit = page.limit;
  if (page.offset !== undefined) first.offset = page.offset;
  return listPages<OffsetPage<T>, T>(
    client,
    spec,
    {
      first,
      makePage: (env, params) =>
        new OffsetPage<T>(env as ListEnvelope<T>, {
          ...(typeof params.limit === 'number' ? { limit: params.limit } : {}),
          ...(typeof params.offset === 'number' ? { offset: params.offset } : {}),
        }),
    },
    options,
  );
}

/** A cursor list (hosts): the first request sends `limit` only, the next ones the `cursor` taken from `next`. */
export function cursorList<T>(
  client: PTNADClient,
  spec: RequestSpec,
  page: { limit?: number | undefined },
  options?: RequestOptions,
): PagePromise<CursorPage<T>, T> {
  const first: PageParams = page.limit === undefined ? {} : { limit: page.limit };
  return listPages<CursorPage<T>, T>(
    client,
    spec,
    { first, makePage: (env) => new CursorPage<T>(env as ListEnvelope<T>) },
    options,
  );
}
