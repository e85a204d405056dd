/**
 * The strategy interface (private) the three auth modes implement; their public configuration types live in
 * core/config.ts and are re-exported here for the strategies.
 */

import type { AuthConfig } from '../../core/config.js';
import type { RequestOptions } from '../../core/resource.js';
import type { HeaderMap, TransportResponse } from '../http.js';
import type { Requester, RequestSpec } from '../request.js';

export type { ApiKeyAuthConfig, AuthConfig, LocalAuthConfig, SsoAuthConfig } from '../../core/config.js';

/** What a strategy may use from the client while logging in or out. */
export interface AuthContext {
  requester: Requester;
  /** `https://host/api/v2/` */
  baseUrl: string;
  options: RequestOptions;
}

/** One authentication mode, applied to every request in one place (docs/ARCHITECTURE.md, convention 9). */
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
