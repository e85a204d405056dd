/**
 * The built-in transport: `node:http` / `node:https` on keep-alive agents. Chosen over undici because loading
 * undici costs about 0.3 s and 20 MiB at start-up (issue 13), and most runs of this toolkit are short processes
 * (monitoring checks, cron jobs); the per-request cost of a kept-alive node:http connection is comparable.
 *
 * Timeouts are enforced here, with one timer per attempt: a JSON/text call has a total deadline (connect,
 * headers and the whole body within `timeoutMs`, so a body that trickles cannot hold a call for ever); a
 * streamed download has the deadline until its headers and then an idle timeout (a long download that keeps
 * flowing is not cut off). A timeout destroys the request with an error coded `ERR_PTNAD_TIMEOUT`.
 */

// Named imports, not `import * as http`: esbuild turns a namespace import into a copy of every export of node:http
// with a getter each (__toESM), made at every start-up of the bundle (issue 13).
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  STATUS_CODES,
} from 'node:http';
import type * as https from 'node:https';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { checkDeclaredLength, readNodeBody } from './body.js';
import type { TransportRequest, TransportResponse } from './http.js';

/** TLS settings of the built-in transport. */

/** Node's raw header object as a fetch `Headers` (built only when a caller asks: it loads Node's fetch). */
export function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** The Set-Cookie values of a raw header object, whichever shape the client library gave them. */
export function setCookieList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export interface NodeTransportOptions {
  verifySsl: boolean;
  ca?: string | string[];
  connectTimeoutMs: number;
}

/**
 * The headers with the body's `content-length` (it wins over one given). Written as the key first, the caller's
 * headers, then the key again: `{ ...headers, 'content-length': n }` adds a key after a spread, and V8 11 keeps such
 * copies alive through young-generation collections ("Hot paths" in docs/ARCHITECTURE.md).
 */
function withContentLength(headers: TransportRequest['headers'], body: string): TransportRequest['headers'] {
  const length = String(Buffer.byteLength(body));
  const copy = { 'content-length': length, ...headers };
  copy['content-length'] = length;
  return copy;
}

/** An error with a stable `code`, for the attempt scope to classify. */
export function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The error a timeout destroys a request with; attempt.ts maps the code to TimeoutError. */
export const TIMEOUT_CODE = 'ERR_PTNAD_TIMEOUT';
/** The connect (TCP + TLS) did not finish in time: nothing was sent, so any request may be retried. */
export const CONNECT_TIMEOUT_CODE = 'ERR_PTNAD_CONNECT_TIMEOUT';

/**
 * `node:https` (and with it the TLS and crypto stack) is loaded on the first https request, not at import: a
 * process that talks plain HTTP (the emulator, a TLS-terminating proxy) does not pay for it.
 */
function loadHttps(): typeof https {
  return process.getBuiltinModule('node:https');
}

/** Sends requests on two lazily created keep-alive agents (plain and TLS). */
export class NodeTransport {
  #http: HttpAgent | undefined;
  #https: https.Agent | undefined;

  constructor(private readonly options: NodeTransportOptions) {}

  send(url: URL, req: TransportRequest): Promise<TransportResponse> {
    const secure = url.protocol === 'https:';
    const headers = req.body === undefined ? req.headers : withContentLength(req.headers, req.body);
    const options: https.RequestOptions = {
      method: req.method,
      // URL keeps the brackets of an IPv6 literal; the socket layer wants the bare address.
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname + url.search,
      headers,
      agent: secure ? this.#httpsAgent() : this.#httpAgent(),
    };
    if (req.signal) options.signal = req.signal;
    const timeoutMs = req.timeoutMs > 0 && Number.isFinite(req.timeoutMs) ? req.timeoutMs : 0;
    const connectTimeoutMs = this.options.connectTimeoutMs;

    return new Promise((resolve, reject) => {
      const request = secure ? loadHttps().request(options) : httpRequest(options);
      let response: IncomingMessage | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      };
      const timedOut = () => {
        timer = undefined;
        const err = codedError(`no complete answer within ${timeoutMs} ms`, TIMEOUT_CODE);
        // Once the answer has started, the error must reach whoever reads its body.
        if (response) response.destroy(err);
        else request.destroy(err);
      };
      if (timeoutMs > 0) timer = setTimeout(timedOut, timeoutMs);

      request.once('socket', (socket: Socket) => {
        if (!socket.connecting || connectTimeoutMs <= 0) return;
        const connectTimer = setTimeout(
          () => request.destroy(codedError(`could not connect within ${connectTimeoutMs} ms`, CONNECT_TIMEOUT_CODE)),
          connectTimeoutMs,
        );
        const clear = () => clearTimeout(connectTimer);
        socket.once(secure ? 'secureConnect' : 'connect', clear);
        socket.once('close', clear);
      });
      request.on('error', (err) => {
        stop();
        if (!response) reject(err);
      });
      request.once('response', (res) => {
        response = res;
        if (req.deadline === 'idle') {
          // A download: from here on only a pause longer than timeoutMs ends it.
          stop();
          if (timeoutMs > 0) {
            res.socket.setTimeout(timeoutMs, () =>
              res.destroy(codedError(`the download paused for more than ${timeoutMs} ms`, TIMEOUT_CODE)),
            );
            res.once('close', () => res.socket?.setTimeout(0));
          }
        } else {
          res.once('close', stop);
        }
        resolve(new NodeResponse(res, req.maxResponseBytes));
      });
      request.end(req.body);
    });
  }

  /** Closes idle keep-alive sockets; requests in flight finish first, and their sockets are closed after. */
  close(): void {
    for (const agent of [this.#http, this.#https]) {
      if (!agent) continue;
      // With keepAlive off, a socket that finishes its request is closed instead of kept.
      (agent as unknown as { keepAlive: boolean }).keepAlive = false;
      for (const sockets of Object.values(agent.freeSockets)) for (const s of sockets ?? []) s.destroy();
    }
    this.#http = undefined;
    this.#https = undefined;
  }

  #httpAgent(): HttpAgent {
    this.#http ??= new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
    return this.#http;
  }

  #httpsAgent(): https.Agent {
    this.#https ??= new (loadHttps().Agent)({
      keepAlive: true,
      scheduling: 'lifo',
      rejectUnauthorized: this.options.verifySsl,
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
    });
    return this.#https;
  }
}

/**
 * A node:http answer; the WHATWG Headers object is only built when someone asks for it. The IncomingMessage is
 * handed over once (to `text()` or `stream()`) and not kept: callers hold on to this object (a result's
 * `withResponse()` facts), and a kept IncomingMessage held its socket's per-request state alive across young
 * generation collections, which made each of them copy megabytes (measured: scavenges of 8-12 ms instead of
 * 0.3 ms in a loop of warm calls, a third of the per-call overhead; issue 13).
 */
class NodeResponse implements TransportResponse {
  readonly status: number;
  readonly #statusMessage: string | undefined;
  readonly #rawHeaders: IncomingHttpHeaders;
  #res: IncomingMessage | undefined;
  #headers: Headers | undefined;

  constructor(
    res: IncomingMessage,
    private readonly maxBytes: number,
  ) {
    this.status = res.statusCode ?? 0;
    this.#statusMessage = res.statusMessage;
    this.#rawHeaders = res.headers;
    this.#res = res;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? this.#statusMessage ?? '';
  }

  get headers(): Headers {
    this.#headers ??= headersOf(this.#rawHeaders);
    return this.#headers;
  }

  setCookies(): string[] {
    return setCookieList(this.#rawHeaders['set-cookie']);
  }

  text(): Promise<string> {
    let res: IncomingMessage | undefined;
    try {
      res = this.#take();
      checkDeclaredLength(this.#rawHeaders['content-length'], this.maxBytes);
    } catch (err) {
      res?.destroy();
      return Promise.reject(err);
    }
    return readNodeBody(res, this.maxBytes);
  }

  stream(): Readable {
    return this.#take();
  }

  /** The body, once: a second read would wait for ever on a stream that has ended. */
  #take(): IncomingMessage {
    const res = this.#res;
    if (res === undefined) throw new Error('ptnad-client: the body of this answer was already read');
    this.#res = undefined;
    return res;
  }
}
