/**
 * PTNADClient: configuration, auth wiring and the verb helpers. The resources (`client.bql`,
 * `client.replists`, ...) turn arguments into calls of `client.request()`.
 */

import { APIPromise } from './core/api-promise.js';
import type {
  AuthConfig,
  FetchLike,
  LocalAuthConfig,
  Logger,
  LogLevel,
  QueryValue,
  RequestSpec,
} from './core/config.js';
import { ValidationError } from './core/errors.js';
import type { RequestOptions } from './core/resource.js';
import { ApiKeyAuth } from './internal/auth/apikey.js';
import { LocalAuth } from './internal/auth/local.js';
import { AuthManager } from './internal/auth/manager.js';
import { SsoAuth, validateSsoUrl } from './internal/auth/sso.js';
import type { AuthStrategy } from './internal/auth/types.js';
import { Transport } from './internal/http.js';
import { registerRedactor } from './internal/introspect.js';
import { SafeLogger } from './internal/logger.js';
import { Redactor } from './internal/redact.js';
import { Requester } from './internal/request.js';
import { BqlResource } from './resources/bql.js';
import { FilesResource } from './resources/files.js';
import { FiltersResource } from './resources/filters.js';
import { FlowsResource } from './resources/flows.js';
import { HostsResource } from './resources/hosts.js';
import { MonitoringResource } from './resources/monitoring.js';
import { ReplistsResource } from './resources/replists.js';
import { SensorsResource } from './resources/sensors.js';
import { SignaturesResource } from './resources/signatures.js';
import { SourcesResource } from './resources/sources.js';
import { StorageResource } from './resources/storage.js';
import { TasksResource } from './resources/tasks.js';
import { VariablesResource } from './resources/variables.js';
import { VERSION } from './version.js';

/** The default `maxResponseBytes`: 64 MiB, far above any JSON answer PT NAD sends, far below a memory problem. */
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 2 ** 20;

/** Options of {@link PTNADClient}. */
export interface ClientOptions {
  /** Verify the server's TLS certificate. Default `true`; turn off only for lab appliances you trust. */
  verifySsl?: boolean;
  /** Extra trusted CA certificate(s), PEM; verification stays on. */
  ca?: string | string[];
  /**
   * Per-attempt timeout in ms. Default 60000. A deadline for the whole attempt (connect, headers and the whole
   * body), so an answer that trickles in cannot hold a call for ever; a streamed download (`files.download`)
   * instead gets the deadline for its headers and then an idle timeout, so a long download that keeps flowing
   * is not cut off. The connect alone is capped at 30 s.
   */
  timeoutMs?: number;
  /**
   * The largest answer read whole (JSON or text), in bytes. Default 67108864 (64 MiB). A larger answer fails
   * with ResponseTooLargeError (code `response_too_large`) as soon as it passes the limit, without holding it
   * in memory. Downloads are streamed to disk and not limited by it.
   */
  maxResponseBytes?: number;
  /** Retries of safe requests (GET, BQL) on 408/429/502/503/504 and connection errors. Default 2. */
  maxRetries?: number;
  /** HTTP(S) proxy URL, e.g. `http://proxy.local:3128`. */
  proxy?: string;
  /**
   * A fetch implementation to use instead of the built-in node:http transport (tests, middleware). TLS and
   * proxy options then do not apply.
   */
  fetch?: FetchLike;
  /** Appended to the honest `ptnad-client/<version> node/<version>` User-Agent. */
  userAgent?: string;
  /** Where log lines go (already redacted). Default: none. */
  logger?: Logger;
  /** Minimum level logged. Default `info` when a logger is given. */
  logLevel?: LogLevel;
  /** The storage BQL and flow calls use when none is given. Default `'2'` (live). */
  defaultSource?: string;
  /** Credentials; the same as calling `setAuth()`. */
  auth?: AuthConfig | Omit<LocalAuthConfig, 'type'>;
}

/**
 * The PT NAD REST API v2 client.
 * @example
 * const client = new PTNADClient('https://nad.example', { auth: { type: 'local', username, password } });
 * const rows = await client.bql.execute('SELECT src.ip, dst.ip, proto FROM flow WHERE end > 2025.02.25 LIMIT 10');
 */
export class PTNADClient {
  /** `https://host/api/v2/`: every path is relative to it. */
  readonly baseUrl: string;
  /** The storage used when a call names none (`'2'`, the live storage, unless configured). */
  readonly defaultSource: string;
  readonly bql: BqlResource;
  readonly filters: FiltersResource;
  readonly monitoring: MonitoringResource;
  readonly signatures: SignaturesResource;
  readonly replists: ReplistsResource;
  readonly sources: SourcesResource;
  readonly sensors: SensorsResource;
  readonly variables: VariablesResource;
  readonly hosts: HostsResource;
  readonly storage: StorageResource;
  readonly flows: FlowsResource;
  readonly files: FilesResource;
  readonly tasks: TasksResource;

  readonly #redactor = new Redactor();
  readonly #logger: SafeLogger;
  readonly #transport: Transport;
  readonly #requester: Requester;
  readonly #auth: AuthManager;

  /**
   * Creates a client; nothing is sent until the first call (or `login()`).
   * @throws ValidationError when the URL or an option is malformed.
   * @example
   * const client = new PTNADClient('https://1.3.3.7', { verifySsl: false });
   */
  constructor(baseUrl: string, options: ClientOptions = {}) {
    this.baseUrl = normaliseBaseUrl(baseUrl);
    registerRedactor(this, this.#redactor);
    const timeoutMs = checkNumber('timeoutMs', options.timeoutMs, 60_000, 1);
    const maxRetries = checkNumber('maxRetries', options.maxRetries, 2, 0);
    const maxResponseBytes = checkNumber('maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 1);
    this.defaultSource = String(options.defaultSource ?? '2');
    if (options.proxy !== undefined) checkUrl('proxy', options.proxy);
    this.#logger = new SafeLogger(options.logger, options.logLevel ?? 'info', this.#redactor);
    this.#transport = new Transport({
      verifySsl: options.verifySsl ?? true,
      connectTimeoutMs: Math.min(timeoutMs, 30_000),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    if (options.verifySsl === false) {
      this.#logger.securityWarning(
        'TLS certificate verification is OFF (verifySsl: false): the server is not authenticated',
        'PTNAD_TLS_UNVERIFIED',
      );
    }
    const extra = options.userAgent ? ` ${options.userAgent.replace(/[\r\n]/g, ' ')}` : '';
    let auth: AuthManager | undefined;
    this.#requester = new Requester(
      {
        transport: this.#transport,
        redactor: this.#redactor,
        logger: this.#logger,
        baseUrl: this.baseUrl,
        userAgent: `ptnad-client/${VERSION} node/${process.versions.node}${extra}`,
        timeoutMs,
        maxRetries,
        maxResponseBytes,
      },
      (requester) => {
        auth = new AuthManager(requester, this.#redactor, this.#logger);
        return auth;
      },
    );
    if (!auth) throw new Error('unreachable: the requester builds the auth manager');
    this.#auth = auth;
    if (options.auth) this.setAuth(options.auth);

    this.bql = new BqlResource(this);
    this.filters = new FiltersResource(this);
    this.monitoring = new MonitoringResource(this);
    this.signatures = new SignaturesResource(this);
    this.replists = new ReplistsResource(this);
    this.sources = new SourcesResource(this);
    this.sensors = new SensorsResource(this);
    this.variables = new VariablesResource(this);
    this.hosts = new HostsResource(this);
    this.storage = new StorageResource(this);
    this.flows = new FlowsResource(this);
    this.files = new FilesResource(this);
    this.tasks = new TasksResource(this);
  }

  /**
   * Sets (or replaces) the credentials. The next call logs in with them. Without `type` the credentials are a
   * local account, as in the Python client (`set_auth(username=..., password=...)`).
   * @throws ValidationError when a required field is missing.
   * @example
   * client.setAuth({ username: 'administrator', password: process.env.NAD_PASSWORD ?? '' }); // local
   * client.setAuth({ type: 'local', username: 'administrator', password: process.env.NAD_PASSWORD ?? '' });
   * client.setAuth({ type: 'sso', ssoUrl: 'https://siem:3334', clientId: 'ptnad', clientSecret, username, password, ssoType: 'ldap' });
   * client.setAuth({ type: 'apikey', apikey: process.env.NAD_API_KEY ?? '' });
   */
  setAuth(config: AuthConfig | Omit<LocalAuthConfig, 'type'>): void {
    this.#auth.setStrategy(makeStrategy(config));
  }

  /**
   * True after a successful login (and until logout or a detected expiry).
   * @example
   * if (!client.isLoggedIn) await client.login();
   */
  get isLoggedIn(): boolean {
    return this.#auth.loggedIn;
  }

  /**
   * Logs in now (otherwise the first call does), and verifies the login with `GET monitoring/status`.
   * @throws AuthenticationError on bad credentials; PTNADError when no credentials were set.
   * @example
   * await client.login();
   */
  async login(options: RequestOptions = {}): Promise<void> {
    await this.#auth.relogin(this.#auth.generation, options);
  }

  /**
   * Ends the session (local auth: `POST auth/logout`) and forgets the credentials in memory.
   * @example
   * await client.logout();
   */
  async logout(options: RequestOptions = {}): Promise<void> {
    await this.#auth.logout(options);
  }

  /**
   * Closes idle keep-alive connections. Call it when done so the process can exit promptly.
   * @example
   * await client.close();
   */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  /**
   * Low-level: sends one described request through auth, retries and error mapping.
   * @example
   * const stats = await client.request<Record<string, unknown>>({ method: 'GET', path: 'replists/stats', operation: 'get stats' });
   */
  request<T>(spec: RequestSpec, options?: RequestOptions): APIPromise<T> {
    return new APIPromise<T>(this.#requester.send<T>(spec, options));
  }

  /**
   * GET a path relative to `/api/v2/` (build it with the `path` tag when it holds values).
   * @example
   * const status = await client.get<{ status: string }>('monitoring/status');
   */
  get<T = unknown>(path: string, query?: Record<string, QueryValue>, options?: RequestOptions): APIPromise<T> {
    return this.request<T>({ method: 'GET', path, query, operation: `GET ${path}` }, options);
  }

  /**
   * POST JSON to a path relative to `/api/v2/`. Never retried unless the connection was refused.
   * @example
   * await client.post('signatures/rollback');
   */
  post<T = unknown>(path: string, json?: unknown, options?: RequestOptions): APIPromise<T> {
    return this.request<T>({ method: 'POST', path, json, operation: `POST ${path}` }, options);
  }

  /**
   * PATCH JSON to a path relative to `/api/v2/`.
   * @example
   * await client.patch(path`replists/${7}`, { description: 'feed' });
   */
  patch<T = unknown>(path: string, json?: unknown, options?: RequestOptions): APIPromise<T> {
    return this.request<T>({ method: 'PATCH', path, json, operation: `PATCH ${path}` }, options);
  }

  /**
   * PUT JSON to a path relative to `/api/v2/` (Python `client.put`). Never retried unless the connection was
   * refused.
   * @example
   * await client.put(path`replists/${7}`, { name: 'feed', type: 'ip', color: '1' });
   */
  put<T = unknown>(path: string, json?: unknown, options?: RequestOptions): APIPromise<T> {
    return this.request<T>({ method: 'PUT', path, json, operation: `PUT ${path}` }, options);
  }

  /**
   * DELETE a path relative to `/api/v2/`.
   * @example
   * await client.delete(path`replists/${7}`);
   */
  delete<T = unknown>(path: string, options?: RequestOptions): APIPromise<T> {
    return this.request<T>({ method: 'DELETE', path, operation: `DELETE ${path}` }, options);
  }
}

function makeStrategy(given: AuthConfig | Omit<LocalAuthConfig, 'type'>): AuthStrategy {
  if (given === null || typeof given !== 'object') {
    throw new ValidationError('auth must be an object such as { username, password } or { type: "apikey", apikey }');
  }
  // No type means a local account, as the Python client's set_auth defaults to "local".
  const config: AuthConfig = 'type' in given && given.type !== undefined ? given : { ...given, type: 'local' };
  const need = (field: string, value: unknown) => {
    if (typeof value !== 'string' || value === '') {
      throw new ValidationError(`auth.${field} is required for auth type "${config.type}" (a non-empty string)`);
    }
  };
  switch (config.type) {
    case 'local':
      need('username', config.username);
      need('password', config.password);
      return new LocalAuth(config);
    case 'sso':
      for (const f of ['ssoUrl', 'clientId', 'clientSecret', 'username', 'password'] as const) need(f, config[f]);
      validateSsoUrl(config.ssoUrl);
      if (config.ssoType !== undefined && config.ssoType !== 'local' && config.ssoType !== 'ldap') {
        throw new ValidationError(`auth.ssoType must be "local" or "ldap", got "${String(config.ssoType)}"`);
      }
      return new SsoAuth(config);
    case 'apikey':
      need('apikey', config.apikey);
      return new ApiKeyAuth(config);
    default:
      throw new ValidationError(
        `auth.type must be "local", "sso" or "apikey", got "${String((config as { type?: unknown }).type)}"`,
      );
  }
}

function normaliseBaseUrl(raw: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new ValidationError('baseUrl is required, e.g. "https://nad.example.local"');
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValidationError(
      `baseUrl must be an absolute http(s) URL such as https://nad.example.local, got "${raw}"`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ValidationError(`baseUrl must use https:// (or http://), got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new ValidationError('baseUrl must not contain credentials; use setAuth() instead');
  }
  // Accept `https://host`, `https://host/`, `https://host/api/v2` and `https://host/api/v2/` (a query or fragment
  // is dropped). Built from the parsed parts: URL's setters and `origin` are code a one-shot process would
  // otherwise compile for this one call (issue 13).
  const base = url.pathname.replace(/\/+$/, '').replace(/\/api\/v2$/, '');
  return `${url.protocol}//${url.host}${base}/api/v2/`;
}

function checkNumber(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    throw new ValidationError(`${name} must be a number >= ${min}, got ${String(value)}`);
  }
  return value;
}

function checkUrl(name: string, value: string): void {
  try {
    new URL(value);
  } catch {
    throw new ValidationError(`${name} must be a URL such as http://proxy.local:3128, got "${value}"`);
  }
}
