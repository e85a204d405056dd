/**
 * APIPromise: what every SDK method returns. Awaiting it gives the parsed data; `withResponse()` gives the
 * data together with the HTTP status and headers of the (last) exchange, and `asResponse()` only those.
 */

/** The HTTP facts of the exchange that produced a result. Headers are the server's (no request secrets). */
export interface APIResponseInfo {
  status: number;
  headers: Headers;
  /** Redacted URL of the request. */
  url: string;
}

/** A result together with its HTTP facts. */
export interface WithResponse<T> {
  data: T;
  response: APIResponseInfo;
}

/** A promise for an SDK result that can also reveal the raw HTTP status and headers. */
export class APIPromise<T> implements PromiseLike<T> {
  readonly #raw: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  constructor(raw: Promise<WithResponse<T>>) {
    this.#raw = raw;
  }

  /**
   * A new APIPromise whose data is `fn(data)`, keeping the same response.
   * @example
   * const names = client.replists.getList(7).map((list) => list.name);
   */
  map<U>(fn: (data: T, response: APIResponseInfo) => U | Promise<U>): APIPromise<U> {
    return new APIPromise(
      this.#raw.then(({ data, response }) => {
        const mapped = fn(data, response);
        // Only wait when fn is async: an extra await per call is measurable on small requests.
        return mapped instanceof Promise ? mapped.then((d) => ({ data: d, response })) : { data: mapped, response };
      }),
    );
  }

  /**
   * The data together with the HTTP status and headers.
   * @example
   * const { data, response } = await client.replists.getList(7).withResponse();
   * console.log(response.status, response.headers.get('content-type'));
   */
  withResponse(): Promise<WithResponse<T>> {
    return this.#raw;
  }

  /**
   * Only the HTTP status, headers and URL.
   * @example
   * const { status } = await client.variables.deleteGroup(3).asResponse();
   */
  asResponse(): Promise<APIResponseInfo> {
    return this.#raw.then((r) => r.response);
  }

  // biome-ignore lint/suspicious/noThenProperty: this class is a thenable on purpose.
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#parsed().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#parsed().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#parsed().finally(onfinally);
  }

  get [Symbol.toStringTag](): string {
    return 'APIPromise';
  }

  #parsed(): Promise<T> {
    this.#data ??= this.#raw.then((r) => r.data);
    return this.#data;
  }
}

/**
 * Runs `build` and returns its APIPromise; an error `build` throws (bad arguments found while preparing the
 * request) becomes a rejection instead. Every SDK method typed to return a promise goes through this, so it
 * never throws synchronously: one `await` in a `try`, or one `.catch()`, sees every failure.
 * @example
 * getList(id) { return asAPIPromise(() => this.client.get(path`replists/${integerId(id, 'list id')}`)); }
 */
export function asAPIPromise<T>(build: () => APIPromise<T>): APIPromise<T> {
  try {
    return build();
  } catch (err) {
    return new APIPromise<T>(handledRejection(err));
  }
}

/** A rejected promise already marked handled; whoever consumes it still sees the rejection. */
export function handledRejection(err: unknown): Promise<never> {
  const failure = Promise.reject(err);
  failure.catch(() => undefined);
  return failure;
}
