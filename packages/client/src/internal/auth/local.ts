/**
 * Local accounts: `POST auth/login` with JSON credentials sets the `sessionid` and `csrftoken` cookies; every
 * later request carries the cookies and `X-CSRFToken` (on every method, as the Python client does), and unsafe
 * methods also carry `Referer`, because Django's HTTPS CSRF check compares it with the host.
 */

import { AuthenticationError, PermissionDeniedError } from '../../core/errors.js';
import { CookieJar } from '../cookies.js';
import type { HeaderMap, TransportResponse } from '../http.js';
import type { RequestSpec } from '../request.js';
import type { AuthContext, AuthStrategy, LocalAuthConfig } from './types.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Session-cookie authentication for local PT NAD accounts. */
export class LocalAuth implements AuthStrategy {
  readonly type = 'local' as const;
  readonly jar = new CookieJar();
  readonly #config: LocalAuthConfig;
  #referer = '';
  #apiPath = '/';

  constructor(config: LocalAuthConfig) {
    this.#config = config;
  }

  async login(ctx: AuthContext): Promise<void> {
    this.#referer = ctx.baseUrl;
    this.#apiPath = new URL(ctx.baseUrl).pathname;
    this.jar.clear();
    await ctx.requester.send(
      {
        method: 'POST',
        path: 'auth/login',
        json: { username: this.#config.username, password: this.#config.password },
        operation: `log in as "${this.#config.username}"`,
        auth: 'attach',
        parse: 'none',
        errorClass: (status) => (status === 400 || status === 401 || status === 403 ? AuthenticationError : undefined),
      },
      ctx.options,
    );
    if (this.jar.get('sessionid') === undefined) {
      throw new AuthenticationError(
        `Failed to log in as "${this.#config.username}": the server answered 200 but set no sessionid cookie`,
        { status: 200, method: 'POST', url: `${ctx.baseUrl}auth/login`, body: undefined, operation: 'log in' },
      );
    }
  }

  apply(headers: HeaderMap, spec: RequestSpec): void {
    const cookie = this.jar.header(this.#apiPath);
    if (cookie) headers.cookie = cookie;
    const csrf = this.jar.get('csrftoken');
    if (csrf) headers['x-csrftoken'] = csrf;
    if (UNSAFE.has(spec.method) && this.#referer) headers.referer = this.#referer;
  }

  observe(response: TransportResponse): void {
    const setCookies = response.setCookies();
    if (setCookies.length > 0) this.jar.update(setCookies);
  }

  async logout(ctx: AuthContext): Promise<void> {
    try {
      await ctx.requester.send(
        { method: 'POST', path: 'auth/logout', operation: 'log out', auth: 'attach', parse: 'none' },
        ctx.options,
      );
    } catch (err) {
      // A session that already expired is as logged out as it gets; anything else is worth reporting.
      if (!(err instanceof AuthenticationError || err instanceof PermissionDeniedError)) throw err;
    } finally {
      this.jar.clear();
    }
  }

  isStaleSession(body: unknown): boolean {
    // DRF's SessionAuthentication answers 403 (not 401) when the session is gone, and Django answers 403 on a
    // CSRF failure; a missing permission says "You do not have permission ...".
    const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
    return /csrf|credentials were not provided|not authenticated|session (is invalid or )?(has )?expired|login required/i.test(
      text,
    );
  }

  secrets(): string[] {
    return [this.#config.password, ...this.jar.values()];
  }
}
