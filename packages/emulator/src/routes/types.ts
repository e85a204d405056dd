import type { IncomingMessage } from 'node:http';
import type { App } from '../app.js';
import type { Principal } from '../auth/credentials.js';

/** HTTP methods the route table uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler returns: a JSON body (default), raw bytes, or nothing (204). */
export interface Reply {
  status: number;
  /** Serialised as JSON unless `raw` or `json` is set. */
  body?: unknown;
  /** A JSON body already serialised to UTF-8 (a BQL page is written once, not built and then stringified). */
  json?: Buffer;
  /** Raw bytes with their `contentType` (downloads). */
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string | string[]>;
}

/** Everything a handler may use about one request. */
export interface RequestContext {
  readonly app: App;
  readonly req: IncomingMessage;
  readonly method: string;
  /** Absolute URL of the request as the client addressed it (scheme and Host), for DRF `next`/`previous` links. */
  readonly url: URL;
  readonly query: URLSearchParams;
  readonly params: Record<string, string>;
  /** The caller, or null on public routes. */
  readonly principal: Principal | null;
  readonly cookies: Map<string, string>;
  /** The JSON body (must be `application/json`), or `undefined` when the body is empty. */
  json(): Promise<unknown>;
  /** The body as UTF-8 text. */
  text(): Promise<string>;
  /** An `application/x-www-form-urlencoded` body. */
  form(): Promise<Map<string, string>>;
}

/** A route handler: thin, it validates input, calls the state, shapes the reply. */
export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

/**
 * One row of the declarative route table. The security suite generates tests from these rows:
 * `auth: 'required'` routes are 401 without credentials, `unsafe` routes are 403 without CSRF for session users,
 * `write` routes are 403 for the read-only user.
 */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** Path pattern from the server root; `:name` matches exactly one percent-decoded segment. */
  readonly path: string;
  /** `public`: no credentials (login, IAM token endpoint); `required`: any authenticated caller. */
  readonly auth: 'public' | 'required';
  /** An unsafe method in Django's sense (POST/PUT/PATCH/DELETE): session callers need the CSRF token. */
  readonly unsafe: boolean;
  /** Changes state: the read-only role gets 403. */
  readonly write: boolean;
  /** One line for docs and test names. */
  readonly summary: string;
  readonly handler: Handler;
}

/** Builds a route row; `unsafe` follows from the method so the table cannot contradict Django's rule. */
export function route(
  method: HttpMethod,
  path: string,
  opts: { auth?: 'public' | 'required'; write?: boolean; summary: string },
  handler: Handler,
): RouteSpec {
  return {
    method,
    path,
    auth: opts.auth ?? 'required',
    unsafe: method !== 'GET',
    write: opts.write ?? false,
    summary: opts.summary,
    handler,
  };
}

/** A JSON reply. */
export function json(status: number, body: unknown, headers?: Record<string, string | string[]>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

/** An empty 204 reply. */
export function noContent(): Reply {
  return { status: 204 };
}
