/**
 * PT MaxPatrol IAM (SSO): an OAuth2 resource-owner password grant at `<ssoUrl>/connect/token` with the exact
 * form fields the Python client sends (plus `amr=ldap` for directory users), then `Authorization: Bearer`.
 * There is no server-side logout: logging out forgets the token.
 */

import { AuthenticationError, ConnectionError, ValidationError } from '../../core/errors.js';
import type { HeaderMap, Transport } from '../http.js';
import type { InternalRequestSpec, RequestSpec } from '../request.js';
import { isStaleBearer } from './apikey.js';
import type { AuthContext, AuthStrategy, SsoAuthConfig } from './types.js';

/** OAuth2 resource-owner password grant against PT MaxPatrol IAM, then `Authorization: Bearer <token>`. */
export class SsoAuth implements AuthStrategy {
  readonly type = 'sso' as const;
  readonly #config: SsoAuthConfig;
  #token: string | undefined;
  #refresh: string | undefined;

  constructor(config: SsoAuthConfig) {
    this.#config = config;
  }

  async login(ctx: AuthContext): Promise<void> {
    this.#token = undefined;
    const c = this.#config;
    const form: Record<string, string> = {
      client_id: c.clientId,
      client_secret: c.clientSecret,
      grant_type: 'password',
      response_type: 'code id_token',
      scope: `openid profile offline_access authorization ${c.clientId}.api`,
      username: c.username,
      password: c.password,
    };
    if (c.ssoType === 'ldap') form.amr = 'ldap';
    const transport = this.#iamTransport(ctx);
    const spec: InternalRequestSpec = {
      method: 'POST',
      path: `${c.ssoUrl.replace(/\/+$/, '')}/connect/token`,
      form,
      operation: `log in as "${c.username}" via SSO`,
      auth: 'none',
      errorClass: (status) => (status === 400 || status === 401 || status === 403 ? AuthenticationError : undefined),
      ...(transport ? { transport } : {}),
    };
    let data: unknown;
    try {
      ({ data } = await ctx.requester.send<unknown>(spec, ctx.options));
    } catch (err) {
      // The generic TLS hint names the client's `ca`, which does not cover an IAM with a trust of its own.
      throw transport && err instanceof ConnectionError && err.tls ? iamTlsError(err) : err;
    } finally {
      await transport?.close();
    }
    const token = (data as { access_token?: unknown } | undefined)?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new AuthenticationError(
        `Failed to log in as "${c.username}" via SSO: the token endpoint answered without an access_token`,
        { status: 200, method: 'POST', url: `${c.ssoUrl}/connect/token`, body: undefined, operation: 'log in' },
      );
    }
    const refresh = (data as { refresh_token?: unknown }).refresh_token;
    this.#refresh = typeof refresh === 'string' ? refresh : undefined;
    this.#token = token;
  }

  /**
   * The IAM's own transport, or undefined to use the client's. The client's TLS trust (`ca`, `verifySsl`) belongs
   * to the NAD: it applies to the IAM only when both share an origin and the IAM has no trust of its own. Built per
   * login (logins are rare) and closed right after, so no idle socket outlives it.
   */
  #iamTransport(ctx: AuthContext): Transport | undefined {
    const c = this.#config;
    const sameOrigin = new URL(c.ssoUrl).origin === new URL(ctx.baseUrl).origin;
    if (sameOrigin && c.ca === undefined && c.verifySsl === undefined) return undefined;
    const verifySsl = c.verifySsl ?? true;
    if (!verifySsl) {
      ctx.requester.config.logger.securityWarning(
        'TLS certificate verification is OFF for the IAM (auth.verifySsl: false): the IAM is not authenticated',
        'PTNAD_IAM_TLS_UNVERIFIED',
      );
    }
    return ctx.requester.config.transport.withTls({ verifySsl, ...(c.ca === undefined ? {} : { ca: c.ca }) });
  }

  apply(headers: HeaderMap, _spec: RequestSpec): void {
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
  }

  observe(): void {}

  async logout(): Promise<void> {
    this.#token = undefined;
    this.#refresh = undefined;
  }

  isStaleSession(body: unknown): boolean {
    return isStaleBearer(body);
  }

  secrets(): string[] {
    return [this.#config.password, this.#config.clientSecret, this.#token ?? '', this.#refresh ?? ''];
  }
}

/** The same TLS failure, with the hint that fits the IAM: its own `auth.ca`, not the client's `ca`. */
function iamTlsError(err: ConnectionError): ConnectionError {
  const hint =
    'The IAM has a TLS trust of its own (the client\'s "ca" and "verifySsl" cover only the NAD\'s origin): pass ' +
    "the IAM's CA certificate as auth.ca (PEM), or set auth.verifySsl: false only if you accept that the IAM is " +
    'not authenticated.';
  const at = err.message.indexOf(' Pass the server');
  const message = `${at >= 0 ? err.message.slice(0, at) : err.message} ${hint}`;
  return new ConnectionError(message, {
    cause: err.cause,
    operation: err.operation,
    tls: true,
    ...(err.systemCode === undefined ? {} : { systemCode: err.systemCode }),
  });
}

/** Checks that an SSO URL is an http(s) URL, with a message that says what was wrong. */
export function validateSsoUrl(ssoUrl: string): void {
  try {
    const url = new URL(ssoUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
  } catch {
    throw new ValidationError(
      `auth.ssoUrl must be an http(s) URL such as https://siem.example.local:3334, got "${ssoUrl}"`,
    );
  }
}
