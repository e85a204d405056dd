/**
 * Pagination as async iteration (STYLE.md pattern 10). `await client.replists.getLists()` gives one page;
 * `for await (const list of client.replists.getLists())` walks every item of every page; `toArray({ max })`
 * collects with a required cap. One page class per wire shape: offset (`count/next/previous/results`) and
 * cursor (hosts: the `cursor` query parameter taken from the `next` URL).
 */

import { APIPromise, type WithResponse } from './api-promise.js';
import { ValidationError } from './errors.js';

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

/** A page of a cursor endpoint (hosts): the next request carries the `cursor` parameter of `next`. */
export class CursorPage<T> extends Page<T> {
  readonly #cursor: string | undefined;

  constructor(envelope: ListEnvelope<T>, request: { cursor?: string }) {
    super(envelope);
    this.#cursor = request.cursor;
  }

  nextPageParams(): PageParams | undefined {
    if (this.next === null || this.results.length === 0) return undefined;
    const cursor = queryParam(this.next, 'cursor');
    if (cursor !== undefined && cursor !== '' && cursor !== this.#cursor) return { cursor };
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
    for (;;) {
      yield page;
      const params = page.nextPageParams();
      if (params === undefined) return;
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
