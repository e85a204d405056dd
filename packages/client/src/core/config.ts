/**
 * The public configuration types: what a caller passes to the client (auth, logger, fetch) and the shape of one
 * low-level request (`client.request(spec)`). They live here, not under `internal/`, because they are API:
 * changing them is a breaking change (internal/README.md says what is not).
 */

import type { APIError, APIErrorInit } from './errors.js';

/** Local PT NAD account: session cookies + CSRF token, like the web UI. */
export interface LocalAuthConfig {
  type: 'local';
  username: string;
  password: string;
}

/** PT MaxPatrol IAM (SSO): OAuth2 password grant at `<ssoUrl>/connect/token`, then a bearer token. */
export interface SsoAuthConfig {
  type: 'sso';
  /** IAM base URL, e.g. `https://siem.example.local:3334` (`iam.url` in iam_cookie.json). */
  ssoUrl: string;
  /** `iam.id` in iam_cookie.json, e.g. `ptnad`. */
  clientId: string;
  /** `iam.secret` in iam_cookie.json. */
  clientSecret: string;
  username: string;
  password: string;
  /** `ldap` adds `amr=ldap` for directory users. Default `local`. */
  ssoType?: 'local' | 'ldap';
  /**
   * CA certificate(s) (PEM) to trust for the IAM. The client's `ca` is trusted for the IAM only when the IAM has
   * the NAD's origin (same scheme, host and port); an IAM on another origin (the usual `https://...:3334`) is
   * checked against the system CAs unless you pass its CA here (pass the NAD's `ca` again if it signed both).
   */
  ca?: string | string[];
  /**
   * `false` turns off TLS verification for the IAM only (a warning is logged). Default: the client's `verifySsl`
   * when the IAM has the NAD's origin, otherwise `true`: turning verification off for the NAD never turns it off
   * for a different host.
   */
  verifySsl?: boolean;
}

/** An API key, sent as a bearer token. */
export interface ApiKeyAuthConfig {
  type: 'apikey';
  apikey: string;
}

/** How the client authenticates; pass to `setAuth()` or as the `auth` option. */
export type AuthConfig = LocalAuthConfig | SsoAuthConfig | ApiKeyAuthConfig;

/** Log levels, from the most to the least verbose; `off` silences the SDK. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** A sink for the SDK's log lines; `console` fits. Each method receives one already-redacted line. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The subset of the fetch API the SDK uses; pass any compatible implementation as the `fetch` option. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;

/** How a request relates to auth: full (lazy login + re-login on expiry), attach only, or none at all. */
export type AuthMode = 'session' | 'attach' | 'none';

/** One API call, as the resources describe it (and as `client.request()` takes it). */
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
  /** Picks a specific error class for an error answer (BQL errors, login failures); undefined = by status. */
  errorClass?: (status: number, body: unknown) => (new (message: string, init: APIErrorInit) => APIError) | undefined;
}
