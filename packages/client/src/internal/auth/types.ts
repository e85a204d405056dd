/**
 * Auth configuration (public) and the strategy interface (private) the three modes implement.
 */

import type { RequestOptions } from '../../core/resource.js';
import type { HeaderMap, TransportResponse } from '../http.js';
import type { Requester, RequestSpec } from '../request.js';

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

/** What a strategy may use from the client while logging in or out. */
export interface AuthContext {
  requester: Requester;
  /** `https://host/api/v2/` */
  baseUrl: string;
  options: RequestOptions;
}

/** One authentication mode, applied to every request in one place (STYLE.md pattern 9). */
export interface AuthStrategy {
  readonly type: AuthConfig['type'];
  /** Exchanges the credentials for a session or token (the verification call is done by the manager). */
  login(ctx: AuthContext): Promise<void>;
  /** Adds the auth headers to a request about to be sent. */
  apply(headers: HeaderMap, spec: RequestSpec): void;
  /** Sees every response (cookie updates). */
  observe(response: TransportResponse): void;
  /** Ends the session on the server where there is one, and forgets tokens. */
  logout(ctx: AuthContext): Promise<void>;
  /** True when a 403 with this parsed body means "your session/CSRF is stale", not "you may not do this". */
  isStaleSession(body: unknown): boolean;
  /** Every secret value this strategy holds now (for the redactor). */
  secrets(): string[];
}
