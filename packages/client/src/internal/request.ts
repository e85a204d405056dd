/**
 * The request pipeline: builds the URL and headers, applies auth, sends one attempt at a time through the
 * transport, retries only where safe (docs/ARCHITECTURE.md, conventions 5 and 6), logs in again once on an expired session,
 * and turns every failure into a typed, redacted error.
 */

import type { APIResponseInfo, WithResponse } from '../core/api-promise.js';
import type { RequestSpec } from '../core/config.js';
import { AuthenticationError, PTNADError, UnexpectedResponseError } from '../core/errors.js';
import type { RequestOptions } from '../core/resource.js';
import { buildAPIError, parseBody } from './api-error.js';
import { AttemptScope } from './attempt.js';
import { type AuthManager, isVerifyRequest } from './auth/manager.js';
import type { HeaderMap, Transport, TransportResponse } from './http.js';
import type { SafeLogger } from './logger.js';
import type { Redactor } from './redact.js';
import { type AttemptOutcome, decideRetry, sleep } from './retry.js';

export type { AuthMode, HttpMethod, QueryValue, RequestSpec } from '../core/config.js';

/** A RequestSpec with internal extras: `transport` sends through another transport (the IAM's own TLS trust). */
export type InternalRequestSpec = RequestSpec & { transport?: Transport };

/** A response handed over unread (downloads); call `release()` when done with the body. */
export interface StreamedResponse {
  response: TransportResponse;
  release(): void;
}

/** Settings the pipeline needs from the client. */
export interface RequesterConfig {
  transport: Transport;
  redactor: Redactor;
  logger: SafeLogger;
  baseUrl: string;
  userAgent: string;
  timeoutMs: number;
  maxRetries: number;
  /** The largest answer read whole (JSON, text); downloads are streamed and not limited. */
  maxResponseBytes: number;
}

/** What one attempt came to: a result to return, a failure with its retry outcome, or a replay after re-login. */
type AttemptResult<T> =
  | { kind: 'done'; value: WithResponse<T> }
  | { kind: 'failed'; outcome: AttemptOutcome; error: PTNADError }
  | { kind: 'replay' };

/** Per-call state shared by the attempts of one `send`. */
interface CallState {
  spec: RequestSpec;
  options: RequestOptions;
  url: URL;
  body: string | undefined;
  auth: AuthManager | undefined;
  timeoutMs: number;
  /** Attempts made so far, this one included. */
  attempts: number;
  replayed: boolean;
  /** The redacted URL, computed on first use (a URL parse and several regexes). */
  safeUrl: () => string;
}

/** Sends RequestSpecs. One instance per client. */
export class Requester {
  readonly #auth: AuthManager | undefined;

  /**
   * @param connectAuth builds the auth manager this requester applies to every request. It receives the
   *   requester because logging in sends requests through it; the manager is fixed once built.
   */
  constructor(
    readonly config: RequesterConfig,
    connectAuth?: (requester: Requester) => AuthManager,
  ) {
    this.#auth = connectAuth?.(this);
  }

  /** Runs one API call to completion: data plus the HTTP facts of the exchange that produced it. */
  async send<T>(spec: RequestSpec, options: RequestOptions = {}): Promise<WithResponse<T>> {
    const mode = spec.auth ?? 'session';
    const auth = mode === 'none' ? undefined : this.#auth;
    if (mode === 'session' && auth && !auth.loggedIn && auth.strategy) {
      const verification = await auth.ensureLoggedIn(options);
      // The login this call started was verified with this very request: its answer is this call's answer.
      if (verification !== undefined && isVerifyRequest(spec)) return verification as WithResponse<T>;
    }
    const url = this.#url(spec);
    let redactedUrl: string | undefined;
    const call: CallState = {
      spec,
      options,
      url,
      body: this.#body(spec),
      auth,
      timeoutMs: options.timeoutMs ?? this.config.timeoutMs,
      attempts: 0,
      replayed: false,
      safeUrl: () => {
        redactedUrl ??= this.config.redactor.url(url.href);
        return redactedUrl;
      },
    };
    const idempotent = spec.idempotent ?? spec.method === 'GET';
    const maxRetries = Math.max(0, options.maxRetries ?? this.config.maxRetries);
    let retries = 0;
    for (;;) {
      call.attempts++;
      const result = await this.#attempt<T>(call);
      if (result.kind === 'done') return result.value;
      if (result.kind === 'replay') continue;
      // The one place a retry is decided (retry.ts) and carried out.
      const decision = decideRetry(result.outcome, { idempotent, retries, maxRetries });
      if (!decision.retry) throw result.error;
      this.config.logger.warn(
        `${spec.method} ${call.safeUrl()} ${decision.reason}; retry ${retries + 1} in ${decision.delayMs} ms` +
          (decision.basis ? ` (${decision.basis})` : ''),
      );
      await sleep(decision.delayMs, options.signal, spec.operation);
      retries++;
    }
  }

  /** One attempt: send, read, and classify the result. Never sleeps and never retries by itself. */
  async #attempt<T>(call: CallState): Promise<AttemptResult<T>> {
    const { spec, options, auth } = call;
    const generation = auth?.generation ?? 0;
    const headers = this.#headers(spec);
    if (auth) auth.apply(headers, spec);
    const transport = (spec as InternalRequestSpec).transport ?? this.config.transport;
    const scope = new AttemptScope(call.timeoutMs, options.signal, transport.nativeTimeouts);
    const mapError = (err: unknown): PTNADError =>
      err instanceof PTNADError
        ? err
        : scope.mapError(err, {
            operation: spec.operation,
            url: call.safeUrl(),
            redactor: this.config.redactor,
            attempts: call.attempts,
          });
    const started = Date.now();
    let response: TransportResponse;
    try {
      response = await transport.send(call.url, {
        method: spec.method,
        headers,
        body: call.body,
        signal: scope.signal,
        timeoutMs: call.timeoutMs,
        deadline: spec.parse === 'stream' ? 'idle' : 'total',
        maxResponseBytes: this.config.maxResponseBytes,
      });
    } catch (err) {
      scope.dispose();
      const error = mapError(err);
      return { kind: 'failed', outcome: { kind: 'send-failed', error }, error };
    }
    if (auth) auth.observe(response);
    if (this.config.logger.enabled('debug')) {
      this.config.logger.debug(`${spec.method} ${call.safeUrl()} -> ${response.status} in ${Date.now() - started} ms`);
    }
    if (response.status < 300 && spec.parse === 'stream') {
      scope.stopTimer();
      const data = { response, release: () => scope.dispose() } satisfies StreamedResponse;
      return { kind: 'done', value: { data: data as T, response: new ResponseInfo(response, call.safeUrl) } };
    }

    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      scope.dispose();
      const error = mapError(err);
      // An error answer whose body broke off is reported as it is; a success cut short may be retried.
      if (response.status >= 300) throw error;
      return { kind: 'failed', outcome: { kind: 'body-failed', error }, error };
    }
    scope.dispose();

    if (response.status < 300) {
      const data =
        spec.parse === 'text' ? text : spec.parse === 'none' ? undefined : parseJson(text, spec, call.safeUrl);
      return { kind: 'done', value: { data: data as T, response: new ResponseInfo(response, call.safeUrl) } };
    }
    const isAuthFailure =
      response.status === 401 || (response.status === 403 && auth?.isStaleSession(parseBody(text)) === true);
    if (isAuthFailure && (spec.auth ?? 'session') === 'session' && auth?.strategy && !call.replayed) {
      call.replayed = true;
      this.config.logger.info(
        `${spec.method} ${call.safeUrl()} -> ${response.status}: session expired, logging in again`,
      );
      await auth.relogin(generation, options);
      return { kind: 'replay' };
    }
    const error = buildAPIError(
      {
        status: response.status,
        statusText: response.statusText,
        method: spec.method,
        url: call.url.href,
        bodyText: text,
        headers: response.headers,
        operation: spec.operation,
      },
      this.config.redactor,
      // A 403 that says the credentials are missing or no longer valid (DRF's SessionAuthentication answers 403,
      // not 401) is an authentication failure, not a missing permission: same class as a 401.
      spec.errorClass?.(response.status, parseBody(text)) ??
        (response.status === 403 && isAuthFailure ? AuthenticationError : undefined),
    );
    return { kind: 'failed', outcome: { kind: 'status', status: response.status, headers: response.headers }, error };
  }

  /** The absolute URL of a spec (base + path + query). */
  #url(spec: RequestSpec): URL {
    const absolute = /^https?:\/\//i.test(spec.path);
    const url = new URL(absolute ? spec.path : this.config.baseUrl + spec.path.replace(/^\/+/, ''));
    if (!spec.query) return url;
    for (const [key, value] of Object.entries(spec.query)) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        if (value.length > 0) url.searchParams.set(key, value.join(','));
      } else url.searchParams.set(key, String(value));
    }
    return url;
  }

  #headers(spec: RequestSpec): HeaderMap {
    const headers: HeaderMap = { accept: 'application/json', 'user-agent': this.config.userAgent };
    if (spec.json !== undefined) headers['content-type'] = 'application/json';
    else if (spec.text !== undefined) headers['content-type'] = 'text/plain; charset=utf-8';
    else if (spec.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (spec.headers) for (const [name, value] of Object.entries(spec.headers)) headers[name.toLowerCase()] = value;
    return headers;
  }

  #body(spec: RequestSpec): string | undefined {
    if (spec.json !== undefined) return JSON.stringify(spec.json);
    if (spec.text !== undefined) return spec.text;
    if (spec.form !== undefined) return new URLSearchParams(spec.form).toString();
    return undefined;
  }
}

/**
 * The HTTP facts of an exchange: `status`, and `headers` and the redacted `url` computed only when read. All three
 * are own enumerable properties (spread, `Object.keys` and `JSON.stringify` see them), but the two accessors are
 * the same functions for every instance. This was an object literal with two getters (two closures per call), and
 * on V8 11 those kept each call's objects (response, URL, closures) alive through young-generation collections: in
 * a loop of warm calls every scavenge promoted the garbage of the previous few hundred calls (old space +0.8 MB per
 * scavenge) and took ~3.5 ms instead of ~0.3 ms ("Hot paths" in docs/ARCHITECTURE.md).
 */
class ResponseInfo implements APIResponseInfo {
  readonly status: number;
  declare readonly headers: Headers;
  declare readonly url: string;
  readonly #response: TransportResponse;
  readonly #safeUrl: () => string;
  static readonly #accessors: PropertyDescriptorMap = {
    headers: {
      get(this: ResponseInfo): Headers {
        return this.#response.headers;
      },
      enumerable: true,
    },
    url: {
      get(this: ResponseInfo): string {
        return this.#safeUrl();
      },
      enumerable: true,
    },
  };

  constructor(response: TransportResponse, safeUrl: () => string) {
    this.status = response.status;
    this.#response = response;
    this.#safeUrl = safeUrl;
    Object.defineProperties(this, ResponseInfo.#accessors);
  }
}

function parseJson(text: string, spec: RequestSpec, safeUrl: () => string): unknown {
  // A regex test stops at the first non-space character; trim() would copy the whole body first.
  if (!/\S/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UnexpectedResponseError(
      `Failed to ${spec.operation}: the server answered ${spec.method} ${safeUrl()} with a body that is not JSON`,
      { operation: spec.operation },
    );
  }
}
