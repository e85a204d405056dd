/**
 * Owns the login state: lazy login on the first request, verification of every login with
 * `GET monitoring/status` (as the Python client does), and ONE shared re-login when several concurrent
 * requests see an expired session at the same time (single flight, keyed by a login generation).
 */

import { AbortError, ValidationError } from '../../core/errors.js';
import type { RequestOptions } from '../../core/resource.js';
import type { HeaderMap, TransportResponse } from '../http.js';
import type { SafeLogger } from '../logger.js';
import type { Redactor } from '../redact.js';
import type { Requester, RequestSpec } from '../request.js';
import type { AuthStrategy } from './types.js';

/** Holds the strategy and the login state of one client. */
export class AuthManager {
  #strategy: AuthStrategy | undefined;
  #loggedIn = false;
  #inflight: Promise<void> | undefined;
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

  /** Logs in unless already logged in; without credentials requests go out unauthenticated. */
  async ensureLoggedIn(options: RequestOptions): Promise<void> {
    if (this.#loggedIn || !this.#strategy) return;
    await this.login(options);
  }

  /** Logs in (or joins a login already in progress) and verifies the result. */
  login(options: RequestOptions): Promise<void> {
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
  relogin(seenGeneration: number, options: RequestOptions): Promise<void> {
    if (this.#inflight) return raceAbort(this.#inflight, options.signal);
    if (this.#loggedIn && this.generation !== seenGeneration) return Promise.resolve();
    this.#loggedIn = false;
    return this.login(options);
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

  async #doLogin(strategy: AuthStrategy, options: RequestOptions): Promise<void> {
    this.logger.info(`logging in (${strategy.type})`);
    await strategy.login(this.#context(options));
    this.redactor.setLive(strategy.secrets());
    await this.requester.send(
      { method: 'GET', path: 'monitoring/status', operation: 'verify login', auth: 'attach' },
      options,
    );
    // setAuth() may have replaced the credentials while this login was in flight: it then does not count.
    if (this.#strategy !== strategy) return;
    this.generation++;
    this.#loggedIn = true;
    this.logger.info(`logged in (${strategy.type})`);
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
