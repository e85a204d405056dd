/**
 * API keys: a fixed bearer token, verified like every login with GET monitoring/status. No server-side logout:
 * logging out forgets the key.
 */

import type { HeaderMap } from '../http.js';
import type { ApiKeyAuthConfig, AuthStrategy } from './types.js';

/** True when a 403 body means "this token is no longer accepted" rather than "not allowed". */
export function isStaleBearer(body: unknown): boolean {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return /credentials were not provided|not authenticated|token (is )?(invalid|expired)|expired token/i.test(text);
}

/** `Authorization: Bearer <apikey>`. */
export class ApiKeyAuth implements AuthStrategy {
  readonly type = 'apikey' as const;
  readonly #apikey: string;

  constructor(config: ApiKeyAuthConfig) {
    this.#apikey = config.apikey;
  }

  async login(): Promise<void> {
    // Nothing to exchange: the manager verifies the key with GET monitoring/status.
  }

  apply(headers: HeaderMap): void {
    headers.authorization = `Bearer ${this.#apikey}`;
  }

  observe(): void {}

  async logout(): Promise<void> {}

  isStaleSession(body: unknown): boolean {
    return isStaleBearer(body);
  }

  secrets(): string[] {
    return [this.#apikey];
  }
}
