/**
 * Owns the login state: lazy login on the first request, verification of every login with
 * `GET monitoring/status` (as the Python client does), and ONE shared re-login when several concurrent
 * requests see an expired session at the same time (single flight, keyed by a login generation).
 *
 * The verification's answer is handed to the call that started the login: when that call is itself
 * `GET monitoring/status` (a monitoring check's only call), it takes that answer instead of asking again, which
 * saves a round trip in every one-shot status check (issue 13).
 */

import type { WithResponse } from '../../core/api-promise.js';
import { AbortError, ValidationError } from '../../core/errors.js';
import type { RequestOptions } from '../../core/resource.js';
import type { HeaderMap, TransportResponse } from '../http.js';
import type { SafeLogger } from '../logger.js';
import type { Redactor } from '../redact.js';
import type { Requester, RequestSpec } from '../request.js';
import type { AuthStrategy } from './types.js';

/** The request that verifies a login. */
const VERIFY: RequestSpec = { method: 'GET', path: 'monitoring/status', operation: 'verify login', auth: 'attach' };

/**
 * True when `spec` asks exactly what the login verification asked (same method, path, no query, headers or
 * body, parsed as JSON), so that the verification's answer is also the answer to it.
 */
export function isVerifyRequest(spec: RequestSpec): boolean {
  return (
    spec.method === VERIFY.method &&
    spec.path.replace(/^\/+/, '') === VERIFY.path &&
    (spec.parse ?? 'json') === 'json' &&
    (spec.query === undefined || Object.values(spec.query).every((v) => v === undefined || v === null)) &&
    spec.headers === undefined &&
    spec.json === undefined &&
    spec.text === undefined &&
    spec.form === undefined &&
    !('transport' in spec && spec.transport !== undefined)
  );
}

/** What a finished login hands to the callers that waited for it: the verification's answer, when it counted. */
type LoginResult = WithResponse<unknown> | undefined;

/** Holds the strategy and the login state of one client. */
export class AuthManager {
  #strategy: AuthStrategy | undefined;
  #loggedIn = false;
  #inflight: Promise<LoginResult> | undefined;
  /** Bumped on every successful login; a request remembers the generation it was sent with. */
  generation = 0;

  constructor(
    private readonly requester: Requester,
    private readonly redactor: Redactor,
    private readonly logger: SafeLogger,
  ) {}

  get strategy(): AuthStrategy | undefined {
    return this.#strategy;
  }

  get loggedIn(): boolean {
    return this.#loggedIn;
  }

  setStrategy(strategy: AuthStrategy | undefined): void {
    this.#strategy = strategy;
    this.#loggedIn = false;
    this.#inflight = undefined;
    if (strategy) this.redactor.setLive(strategy.secrets());
  }

  /**
   * Logs in unless already logged in; without credentials requests go out unauthenticated. Resolves to the
   * login verification's answer (`GET monitoring/status`) when this call started the login, so that a caller
   * making that same request can use it (see {@link isVerifyRequest}); to undefined otherwise: a caller that
   * joined a login already under way may not reuse an answer to a request sent before it asked.
   */
  async ensureLoggedIn(options: RequestOptions): Promise<LoginResult> {
    if (this.#loggedIn || !this.#strategy) return undefined;
    const starts = this.#inflight === undefined;
    const verification = await this.#login(options);
    return starts ? verification : undefined;
  }

  /** Logs in (or joins a login already in progress) and verifies the result. */
  async login(options: RequestOptions): Promise<void> {
    await this.#login(options);
  }

  #login(options: RequestOptions): Promise<LoginResult> {
    const strategy = this.#strategy;
    if (!strategy) {
      return Promise.reject(
        new ValidationError(
          'Failed to log in: no credentials configured. Call client.setAuth({ type: "local" | "sso" | "apikey", ... }) ' +
            'or pass the `auth` option to the constructor.',
          { operation: 'log in' },
        ),
      );
    }
    if (!this.#inflight) {
      // The shared login is not tied to the first caller's signal: another caller may still want it.
      const shared = this.#doLogin(strategy, { timeoutMs: options.timeoutMs }).finally(() => {
        if (this.#inflight === shared) this.#inflight = undefined;
      });
      this.#inflight = shared;
    }
    return raceAbort(this.#inflight, options.signal);
  }

  /** Re-login after a 401/stale 403, unless another request already did it since `seenGeneration`. */
  async relogin(seenGeneration: number, options: RequestOptions): Promise<void> {
    if (this.#inflight) {
      await raceAbort(this.#inflight, options.signal);
      return;
    }
    if (this.#loggedIn && this.generation !== seenGeneration) return;
    this.#loggedIn = false;
    await this.login(options);
  }

  apply(headers: HeaderMap, spec: RequestSpec): void {
    this.#strategy?.apply(headers, spec);
  }

  observe(response: TransportResponse): void {
    const strategy = this.#strategy;
    if (!strategy) return;
    strategy.observe(response);
    this.redactor.setLive(strategy.secrets());
  }

  isStaleSession(body: unknown): boolean {
    return this.#strategy?.isStaleSession(body) ?? false;
  }

  /** Ends the session (local auth: on the server too) and forgets credentials in memory. */
  async logout(options: RequestOptions): Promise<void> {
    const strategy = this.#strategy;
    if (strategy) {
      try {
        if (this.#loggedIn) await strategy.logout(this.#context(options));
      } finally {
        this.#strategy = undefined;
        this.#loggedIn = false;
      }
    }
  }

  async #doLogin(strategy: AuthStrategy, options: RequestOptions): Promise<LoginResult> {
    this.logger.info(`logging in (${strategy.type})`);
    await strategy.login(this.#context(options));
    this.redactor.setLive(strategy.secrets());
    const verification = await this.requester.send<unknown>(VERIFY, options);
    // setAuth() may have replaced the credentials while this login was in flight: it then does not count.
    if (this.#strategy !== strategy) return undefined;
    this.generation++;
    this.#loggedIn = true;
    this.logger.info(`logged in (${strategy.type})`);
    return verification;
  }

  #context(options: RequestOptions) {
    return { requester: this.requester, baseUrl: this.requester.config.baseUrl, options };
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError('Failed to log in: aborted by the caller', { operation: 'log in' }));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
