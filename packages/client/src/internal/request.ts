/**
 * The request pipeline: builds the URL and headers, applies auth, sends one attempt at a time through the
 * transport, retries only where safe (STYLE.md patterns 5 and 6), logs in again once on an expired session,
 * and turns every failure into a typed, redacted error.
 */

import type { APIResponseInfo, WithResponse } from '../core/api-promise.js';
import { AbortError, type APIError, type APIErrorInit, ConnectionError, PTNADError } from '../core/errors.js';
import type { RequestOptions } from '../core/resource.js';
import { buildAPIError, parseBody } from './api-error.js';
import { AttemptScope } from './attempt.js';
import type { AuthManager } from './auth/manager.js';
import type { HeaderMap, Transport, TransportResponse } from './http.js';
import type { SafeLogger } from './logger.js';
import type { Redactor } from './redact.js';
import { backoffDelay, MAX_RETRY_AFTER_MS, NOT_SENT_CODES, parseRetryAfter, RETRYABLE_STATUS, sleep } from './retry.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;

/** How a request relates to auth: full (lazy login + re-login on expiry), attach only, or none at all. */
export type AuthMode = 'session' | 'attach' | 'none';

/** One API call, as the resources describe it. */
export interface RequestSpec {
  method: HttpMethod;
  /** Path relative to `/api/v2/`, already built with the `path` tag; or an absolute URL (SSO token endpoint). */
  path: string;
  query?: Record<string, QueryValue>;
  json?: unknown;
  text?: string;
  form?: Record<string, string>;
  /** What the call does, for messages: "create reputation list" -> "Failed to create reputation list: ...". */
  operation: string;
  /** Safe to repeat (GET by default; the read-only BQL POST sets it). */
  idempotent?: boolean;
  auth?: AuthMode;
  /** `json` (default), `text`, `none` (body drained), `stream` (the Response is handed over unread). */
  parse?: 'json' | 'text' | 'none' | 'stream';
  headers?: Record<string, string>;
  /** Sends through this transport instead of the client's (the IAM's own TLS trust). */
  transport?: Transport;
  /** Picks a specific error class for an error answer (BQL errors, login failures); undefined = by status. */
  errorClass?: (status: number, body: unknown) => (new (message: string, init: APIErrorInit) => APIError) | undefined;
}

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
}

/** Sends RequestSpecs. One instance per client. */
export class Requester {
  auth: AuthManager | undefined;

  constructor(readonly config: RequesterConfig) {}

  /** Runs one API call to completion: data plus the HTTP facts of the exchange that produced it. */
  async send<T>(spec: RequestSpec, options: RequestOptions = {}): Promise<WithResponse<T>> {
    const mode = spec.auth ?? 'session';
    const auth = mode === 'none' ? undefined : this.auth;
    if (mode === 'session' && auth && !auth.loggedIn && auth.strategy) await auth.ensureLoggedIn(options);
    const url = this.#url(spec);
    // Redacting costs a URL parse and several regexes: only pay it when something is logged or thrown.
    let redactedUrl: string | undefined;
    const safe = () => {
      redactedUrl ??= this.config.redactor.url(url.href);
      return redactedUrl;
    };
    const idempotent = spec.idempotent ?? spec.method === 'GET';
    const maxRetries = Math.max(0, options.maxRetries ?? this.config.maxRetries);
    const timeoutMs = options.timeoutMs ?? this.config.timeoutMs;
    let replayed = false;
    let retries = 0;

    for (;;) {
      const generation = auth?.generation ?? 0;
      const headers = this.#headers(spec);
      if (auth) auth.apply(headers, spec);
      const transport = spec.transport ?? this.config.transport;
      const scope = new AttemptScope(timeoutMs, options.signal, transport.nativeTimeouts);
      const started = Date.now();
      let response: TransportResponse;
      try {
        response = await transport.send(url, {
          method: spec.method,
          headers,
          body: this.#body(spec),
          signal: scope.signal,
          timeoutMs,
        });
      } catch (err) {
        scope.dispose();
        const mapped = scope.mapError(err, { operation: spec.operation, url: safe(), redactor: this.config.redactor });
        const notSent =
          mapped instanceof ConnectionError && mapped.code !== undefined && NOT_SENT_CODES.has(mapped.code);
        const retryable =
          !(mapped instanceof AbortError) &&
          (notSent || (idempotent && !(mapped instanceof ConnectionError && mapped.tls)));
        if (!retryable || retries >= maxRetries) throw mapped;
        const delay = backoffDelay(retries);
        this.config.logger.warn(
          `${spec.method} ${safe()} failed (${mapped.message}); retry ${retries + 1} in ${delay} ms`,
        );
        await sleep(delay, options.signal, spec.operation);
        retries++;
        continue;
      }
      if (auth) auth.observe(response);
      if (this.config.logger.enabled('debug')) {
        this.config.logger.debug(`${spec.method} ${safe()} -> ${response.status} in ${Date.now() - started} ms`);
      }

      if (response.status >= 300) {
        let bodyText = '';
        try {
          bodyText = await response.text();
        } catch (err) {
          scope.dispose();
          throw scope.mapError(err, { operation: spec.operation, url: safe(), redactor: this.config.redactor });
        }
        scope.dispose();
        const isAuthFailure =
          response.status === 401 || (response.status === 403 && auth?.isStaleSession(parseBody(bodyText)) === true);
        if (isAuthFailure && mode === 'session' && auth?.strategy && !replayed) {
          replayed = true;
          this.config.logger.info(`${spec.method} ${safe()} -> ${response.status}: session expired, logging in again`);
          await auth.relogin(generation, options);
          continue;
        }
        if (idempotent && RETRYABLE_STATUS.has(response.status) && retries < maxRetries) {
          const retryAfter = parseRetryAfter(response.headers);
          if (retryAfter === undefined || retryAfter <= MAX_RETRY_AFTER_MS) {
            const delay = retryAfter ?? backoffDelay(retries);
            this.config.logger.warn(
              `${spec.method} ${safe()} -> ${response.status}; retry ${retries + 1} in ${Math.round(delay)} ms` +
                (retryAfter === undefined ? ' (backoff)' : ' (Retry-After)'),
            );
            await sleep(delay, options.signal, spec.operation);
            retries++;
            continue;
          }
        }
        throw buildAPIError(
          {
            status: response.status,
            statusText: response.statusText,
            method: spec.method,
            url: url.href,
            bodyText,
            headers: response.headers,
            operation: spec.operation,
          },
          this.config.redactor,
          spec.errorClass?.(response.status, parseBody(bodyText)),
        );
      }

      const info: APIResponseInfo = {
        status: response.status,
        get headers() {
          return response.headers;
        },
        get url() {
          return safe();
        },
      };
      if (spec.parse === 'stream') {
        scope.stopTimer();
        return { data: { response, release: () => scope.dispose() } as T, response: info };
      }
      let text: string;
      try {
        text = await response.text();
      } catch (err) {
        scope.dispose();
        const mapped =
          err instanceof PTNADError
            ? err
            : scope.mapError(err, { operation: spec.operation, url: safe(), redactor: this.config.redactor });
        // A body cut short (reset, truncation, body timeout) of a request that is safe to repeat is retried like
        // a failed connection: nothing of the broken answer has been handed to the caller.
        if (idempotent && !(mapped instanceof AbortError) && retries < maxRetries) {
          const delay = backoffDelay(retries);
          this.config.logger.warn(
            `${spec.method} ${safe()}: the answer broke off (${mapped.message}); retry ${retries + 1} in ${delay} ms`,
          );
          await sleep(delay, options.signal, spec.operation);
          retries++;
          continue;
        }
        throw mapped;
      }
      scope.dispose();
      const data = spec.parse === 'text' ? text : spec.parse === 'none' ? undefined : parseJson(text, spec, safe);
      return { data: data as T, response: info };
    }
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

function parseJson(text: string, spec: RequestSpec, safeUrl: () => string): unknown {
  // A regex test stops at the first non-space character; trim() would copy the whole body first.
  if (!/\S/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PTNADError(
      `Failed to ${spec.operation}: the server answered ${spec.method} ${safeUrl()} with a body that is not JSON`,
      { operation: spec.operation },
    );
  }
}
