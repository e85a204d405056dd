/**
 * The transport used when a proxy is configured: undici's ProxyAgent (HTTP CONNECT tunnels), loaded only then,
 * because loading undici costs about 0.3 s at start-up (issue 13). Timeouts behave as on the built-in transport:
 * a total deadline per attempt for JSON/text calls, an idle timeout for streamed downloads.
 */

import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { ProxyAgent } from 'undici';
import { checkDeclaredLength, readNodeBody } from './body.js';
import type { TransportRequest, TransportResponse } from './http.js';
import { codedError, headersOf, setCookieList, TIMEOUT_CODE } from './node-http.js';

/** Settings of the proxy transport. */
export interface ProxyTransportOptions {
  proxy: string;
  verifySsl: boolean;
  ca?: string | string[];
  connectTimeoutMs: number;
}

/** Sends requests through one undici ProxyAgent. */
export class ProxyTransport {
  readonly #agent: ProxyAgent;

  constructor(options: ProxyTransportOptions) {
    const tls = {
      rejectUnauthorized: options.verifySsl,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      timeout: options.connectTimeoutMs,
    };
    this.#agent = new ProxyAgent({ uri: options.proxy, requestTls: tls, keepAliveTimeout: 30_000 });
  }

  async send(url: URL, req: TransportRequest): Promise<TransportResponse> {
    const timeoutMs = req.timeoutMs > 0 && Number.isFinite(req.timeoutMs) ? req.timeoutMs : 0;
    // One controller per attempt carries both the caller's abort and the deadline (the proxy path is not hot).
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(req.signal?.reason);
    if (req.signal?.aborted) onCallerAbort();
    else req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let body: Readable | undefined;
    const stop = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      req.signal?.removeEventListener('abort', onCallerAbort);
    };
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        const err = codedError(`no complete answer within ${timeoutMs} ms`, TIMEOUT_CODE);
        if (body) body.destroy(err);
        else controller.abort(err);
      }, timeoutMs);
    }
    try {
      const res = await this.#agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        signal: controller.signal,
        // undici's own idle timeouts stay as a backstop; downloads rely on the body one.
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      body = res.body;
      if (req.deadline === 'idle') {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      }
      res.body.once('close', stop);
      return new UndiciResponse(res, req.maxResponseBytes);
    } catch (err) {
      stop();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/**
 * An undici answer; the WHATWG Headers object is only built when someone asks for it. Like the node:http answer
 * (node-http.ts), it hands its body over once and keeps only status and headers: results hold on to this object.
 */
class UndiciResponse implements TransportResponse {
  readonly status: number;
  readonly #rawHeaders: Dispatcher.ResponseData['headers'];
  #body: Dispatcher.ResponseData['body'] | undefined;
  #headers: Headers | undefined;

  constructor(
    res: Dispatcher.ResponseData,
    private readonly maxBytes: number,
  ) {
    this.status = res.statusCode;
    this.#rawHeaders = res.headers;
    this.#body = res.body;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  get headers(): Headers {
    this.#headers ??= headersOf(this.#rawHeaders);
    return this.#headers;
  }

  setCookies(): string[] {
    return setCookieList(this.#rawHeaders['set-cookie']);
  }

  text(): Promise<string> {
    let body: Dispatcher.ResponseData['body'] | undefined;
    try {
      body = this.#take();
      const length = this.#rawHeaders['content-length'];
      checkDeclaredLength(Array.isArray(length) ? length[0] : length, this.maxBytes);
    } catch (err) {
      body?.destroy();
      return Promise.reject(err);
    }
    return readNodeBody(body, this.maxBytes);
  }

  stream(): Readable {
    return this.#take();
  }

  /** The body, once: a second read would wait for ever on a stream that has ended. */
  #take(): Dispatcher.ResponseData['body'] {
    const body = this.#body;
    if (body === undefined) throw new Error('ptnad-client: the body of this answer was already read');
    this.#body = undefined;
    return body;
  }
}
