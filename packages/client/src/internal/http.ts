/**
 * The transport. By default requests go through undici's dispatcher API on one keep-alive Agent (or ProxyAgent)
 * that carries the TLS settings; with the `fetch` option they go through that fetch instead (tests, middleware).
 * The dispatcher API is used rather than undici's WHATWG `fetch` because fetch costs about 0.2 ms more per
 * request (measured: bench/sdk-overhead.ts) and forbids the JSON body that `GET signatures/rules` carries.
 * Both paths produce the same small {@link TransportResponse}.
 */

import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Agent, type Dispatcher, ProxyAgent } from 'undici';

/** The subset of the fetch API the SDK uses; pass any compatible implementation as the `fetch` option. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Request headers with lower-case names. */
export type HeaderMap = Record<string, string>;

/** What the pipeline needs from an HTTP answer, whichever transport produced it. */
export interface TransportResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** Reads the whole body as UTF-8 text. */
  text(): Promise<string>;
  /** The body as a Node stream (downloads); null when there is none. */
  stream(): Readable | null;
}

/** One request as the transport sends it. */
export interface TransportRequest {
  method: string;
  headers: HeaderMap;
  body: string | undefined;
  signal: AbortSignal | undefined;
  /** Enforced by undici itself on the built-in transport (headers and body-idle timeouts). */
  timeoutMs: number;
}

/** TLS and proxy settings for the built-in undici transport. */
export interface TransportOptions {
  verifySsl: boolean;
  ca?: string | string[];
  proxy?: string;
  fetch?: FetchLike;
  /** TCP+TLS connect timeout of the built-in transport, ms. */
  connectTimeoutMs?: number;
}

/** Sends requests; the undici Agent (and its sockets) only exist once a request is made. */
export class Transport {
  #dispatcher: Dispatcher | undefined;
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.#options = options;
  }

  /** A transport like this one (same fetch, proxy and connect timeout) with other TLS trust, e.g. for the IAM. */
  withTls(tls: { verifySsl: boolean; ca?: string | string[] }): Transport {
    const { ca: _ca, ...rest } = this.#options;
    return new Transport({ ...rest, verifySsl: tls.verifySsl, ...(tls.ca === undefined ? {} : { ca: tls.ca }) });
  }

  /** True when undici enforces timeouts itself (no injected fetch). */
  get nativeTimeouts(): boolean {
    return this.#options.fetch === undefined;
  }

  async send(url: URL, req: TransportRequest): Promise<TransportResponse> {
    const custom = this.#options.fetch;
    if (custom) {
      const init: RequestInit = { method: req.method, headers: req.headers, redirect: 'manual' };
      if (req.body !== undefined) init.body = req.body;
      if (req.signal) init.signal = req.signal;
      return fromFetch(await custom(url.href, init));
    }
    const timeout = req.timeoutMs > 0 && Number.isFinite(req.timeoutMs) ? req.timeoutMs : 0;
    const res = await this.#getDispatcher().request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    return new UndiciResponse(res);
  }

  /** Closes idle keep-alive sockets; in-flight requests finish first. */
  async close(): Promise<void> {
    const dispatcher = this.#dispatcher;
    this.#dispatcher = undefined;
    if (dispatcher) await dispatcher.close();
  }

  #getDispatcher(): Dispatcher {
    if (this.#dispatcher) return this.#dispatcher;
    const tls = {
      rejectUnauthorized: this.#options.verifySsl,
      ...(this.#options.ca === undefined ? {} : { ca: this.#options.ca }),
      timeout: this.#options.connectTimeoutMs ?? 10_000,
    };
    this.#dispatcher = this.#options.proxy
      ? new ProxyAgent({ uri: this.#options.proxy, requestTls: tls, keepAliveTimeout: 30_000 })
      : new Agent({ connect: tls, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
    return this.#dispatcher;
  }
}

function fromFetch(response: Response): TransportResponse {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    text: () => response.text(),
    stream: () => (response.body ? Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>) : null),
  };
}

/** An undici answer; the WHATWG Headers object is only built when someone asks for it. */
class UndiciResponse implements TransportResponse {
  readonly status: number;
  #headers: Headers | undefined;

  constructor(private readonly res: Dispatcher.ResponseData) {
    this.status = res.statusCode;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  get headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.res.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.set(name, value);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  text(): Promise<string> {
    return this.res.body.text();
  }

  stream(): Readable {
    return this.res.body;
  }
}
