/**
 * The transport. By default requests go through `node:http`/`node:https` keep-alive agents that carry the TLS
 * settings (internal/node-http.ts); with a proxy through undici's ProxyAgent, loaded only then
 * (internal/proxy-undici.ts); with the `fetch` option through that fetch (tests, middleware). All three produce
 * the same small {@link TransportResponse}, enforce `maxResponseBytes` on whole-body reads, and (the first two)
 * enforce `timeoutMs` themselves.
 */

import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FetchLike } from '../core/config.js';
import { checkDeclaredLength, readWebBody } from './body.js';
import { NodeTransport } from './node-http.js';
import type { ProxyTransport } from './proxy-undici.js';

export type { FetchLike } from '../core/config.js';

/** Request headers with lower-case names. */
export type HeaderMap = Record<string, string>;

/** What the pipeline needs from an HTTP answer, whichever transport produced it. */
export interface TransportResponse {
  readonly status: number;
  readonly statusText: string;
  /**
   * The answer's headers as a WHATWG Headers object, built on first read: `Headers` is a lazy global whose first
   * use loads Node's internal fetch implementation (about 25 ms of CPU at start-up, issue 13), so the request
   * pipeline itself reads only `setCookies()` and the retry and error paths read this.
   */
  readonly headers: Headers;
  /** The `Set-Cookie` values of the answer, one per header line. */
  setCookies(): string[];
  /** Reads the whole body as UTF-8 text; rejects with a BodyTooLargeError past `maxResponseBytes`. */
  text(): Promise<string>;
  /** The body as a Node stream (downloads, not size-limited); null when there is none. */
  stream(): Readable | null;
}

/** One request as the transport sends it. */
export interface TransportRequest {
  method: string;
  headers: HeaderMap;
  body: string | undefined;
  signal: AbortSignal | undefined;
  /** Enforced by the built-in transports themselves; 0 or Infinity = none. */
  timeoutMs: number;
  /** `total`: the whole attempt, body included, within timeoutMs; `idle`: headers in time, then no long pause. */
  deadline: 'total' | 'idle';
  /** The largest body `text()` reads. */
  maxResponseBytes: number;
}

/** TLS and proxy settings for the built-in transports. */
export interface TransportOptions {
  verifySsl: boolean;
  ca?: string | string[];
  proxy?: string;
  fetch?: FetchLike;
  /** TCP+TLS connect timeout of the built-in transports, ms. */
  connectTimeoutMs?: number;
}

/** Sends requests; agents (and their sockets) only exist once a request is made. */
export class Transport {
  #node: NodeTransport | undefined;
  #proxy: Promise<ProxyTransport> | undefined;
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.#options = options;
  }

  /** A transport like this one (same fetch, proxy and connect timeout) with other TLS trust, e.g. for the IAM. */
  withTls(tls: { verifySsl: boolean; ca?: string | string[] }): Transport {
    const { ca: _ca, ...rest } = this.#options;
    return new Transport({ ...rest, verifySsl: tls.verifySsl, ...(tls.ca === undefined ? {} : { ca: tls.ca }) });
  }

  /** True when the transport enforces timeouts itself (no injected fetch). */
  get nativeTimeouts(): boolean {
    return this.#options.fetch === undefined;
  }

  async send(url: URL, req: TransportRequest): Promise<TransportResponse> {
    const custom = this.#options.fetch;
    if (custom) {
      const init: RequestInit = { method: req.method, headers: req.headers, redirect: 'manual' };
      if (req.body !== undefined) init.body = req.body;
      if (req.signal) init.signal = req.signal;
      return fromFetch(await custom(url.href, init), req.maxResponseBytes);
    }
    if (this.#options.proxy !== undefined) return (await this.#proxyTransport()).send(url, req);
    this.#node ??= new NodeTransport({
      verifySsl: this.#options.verifySsl,
      connectTimeoutMs: this.#options.connectTimeoutMs ?? 10_000,
      ...(this.#options.ca === undefined ? {} : { ca: this.#options.ca }),
    });
    return this.#node.send(url, req);
  }

  /** Closes idle keep-alive sockets; in-flight requests finish first. */
  async close(): Promise<void> {
    const node = this.#node;
    const proxy = this.#proxy;
    this.#node = undefined;
    this.#proxy = undefined;
    node?.close();
    if (proxy) await (await proxy.catch(() => undefined))?.close();
  }

  #proxyTransport(): Promise<ProxyTransport> {
    const proxy = this.#options.proxy ?? '';
    this.#proxy ??= import('./proxy-undici.js').then(
      ({ ProxyTransport }) =>
        new ProxyTransport({
          proxy,
          verifySsl: this.#options.verifySsl,
          connectTimeoutMs: this.#options.connectTimeoutMs ?? 10_000,
          ...(this.#options.ca === undefined ? {} : { ca: this.#options.ca }),
        }),
    );
    return this.#proxy;
  }
}

function fromFetch(response: Response, maxBytes: number): TransportResponse {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    setCookies: () => response.headers.getSetCookie(),
    text: async () => {
      try {
        checkDeclaredLength(response.headers.get('content-length'), maxBytes);
      } catch (err) {
        await response.body?.cancel().catch(() => undefined);
        throw err;
      }
      return readWebBody(response.body, maxBytes);
    },
    stream: () => (response.body ? Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>) : null),
  };
}
