import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { App } from './app.js';
import {
  type Account,
  DEFAULT_ACCOUNTS,
  DEFAULT_API_KEY,
  DEFAULT_IAM_CLIENT,
  type IamClient,
} from './auth/accounts.js';
import type { BehaviourOptions } from './behaviour.js';
import { DEFAULT_QUERY_BUDGET_MS } from './engine/pacer.js';
import { FaultController, type RequestCounters } from './faults.js';
import { DEFAULT_MAX_BODY_BYTES } from './http/body.js';
import { type LiveMode, type LiveOptions, startLive, type WebhookOptions } from './live/index.js';
import { ROUTES } from './routes/table.js';
import type { RouteSpec } from './routes/types.js';
import { createRequestListener } from './server.js';
import { DEFAULT_FLOW_COUNT, generateDataset } from './store/dataset.js';
import type { Dataset, DatasetOptions } from './store/types.js';
import { type TlsPair, testIamTlsPair, testTlsPair } from './tls.js';

/** The IAM token endpoint on its own origin (as on a real deployment, e.g. `https://siem.example.local:3334`). */
export interface IamOriginOptions {
  /** TCP port of the IAM origin; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Serve the IAM over HTTPS: `true` uses the shipped test-only IAM certificate (a different one from the NAD's),
   * or pass your own pair. Default: HTTPS when the NAD serves HTTPS.
   */
  tls?: boolean | TlsPair;
}

const TOKEN_PATH = '/connect/token';

/** Options of {@link startEmulator}; every one has a default. */
export interface EmulatorOptions extends BehaviourOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Serve HTTPS: `true` uses the shipped test-only localhost certificate, or pass your own pair. Default false. */
  tls?: boolean | TlsPair;
  /** Dataset seed. Default 1. */
  seed?: number;
  /** Number of flows. Default 20,000. */
  flows?: number;
  /** The dataset's "now" (flows span the 7 days before it). Default: the current time. */
  now?: Date | string;
  /** Session and IAM token lifetime in seconds. Default 3600. */
  sessionTtl?: number;
  /** API key accepted as `Authorization: Bearer`. Default `ptnad-emulator-api-key`. */
  apiKey?: string;
  /** Fault SPEC applied from the start (see the README). */
  faults?: string;
  /**
   * Persist user changes: each change is appended (fsynced) to `<statePath>.journal` before it is applied, and
   * snapshots are written to `statePath` in the background once the journal passes `stateCompactBytes`. Both are
   * loaded at start.
   */
  statePath?: string;
  /** Journal size in bytes that starts a background snapshot. Default 4 MiB. */
  stateCompactBytes?: number;
  /** Accounts replacing the defaults. */
  users?: readonly Account[];
  /** IAM client replacing the default `ptnad` client. */
  iamClient?: IamClient;
  /** Accept legacy HTTP Basic for local accounts. Default true (GUESS, reference §3.4). */
  allowBasic?: boolean;
  /** Request body cap in bytes. Default 8 MiB. */
  maxBodyBytes?: number;
  /** Time budget of one BQL query in ms; a query past it gets a 400 BQL error naming the budget. Default 5000. */
  queryBudgetMs?: number;
  /** A pre-generated dataset (tests reuse one across emulators); overrides seed/flows/now. */
  dataset?: Dataset;
  /** Called with unexpected handler errors (default: print the stack to stderr). */
  onError?: (err: unknown) => void;
  /** Live mode: keep adding flows and alerts as emulator time passes (`emulator.live.tick(ms)`). */
  live?: LiveOptions;
  /** POST each new alert of live mode to this URL (NAD-Alert-Bot's document). Needs `live`. */
  webhook?: string | WebhookOptions;
  /**
   * Serve `POST /connect/token` on a second origin (its own port and certificate) instead of the NAD's; the NAD
   * then answers 404 there. Default: IAM on the NAD's origin.
   */
  iam?: IamOriginOptions;
  /**
   * Called as soon as the sockets accept connections. When the emulator generates its dataset (no `dataset`,
   * no `statePath`), that is before generating it: a process waiting for the emulator's address can go on at
   * once, and requests that arrive before the dataset exists are answered once it does (the same answers).
   * Every option is checked before. Otherwise it is called once everything is ready.
   */
  onListening?: (address: EmulatorAddress) => void;
}

/** Where a starting emulator listens and what it accepts (what its "listening" banner shows). */
export interface EmulatorAddress {
  url: string;
  host: string;
  iamUrl: string;
  credentials: { users: readonly Account[]; iamClient: IamClient; apiKey: string };
  /** File the TLS certificate was loaded from, when known. */
  certPath?: string;
  /** File the IAM certificate was loaded from, when known. */
  iamCertPath?: string;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:53411` (append `/api/v2/...`). */
  url: string;
  host: string;
  port: number;
  tls: boolean;
  /** PEM of the certificate to trust (`ca` pinning), when serving TLS. */
  caPem?: string;
  /** File the certificate was loaded from, when known. */
  certPath?: string;
  /** The runtime: dataset, stores, credentials (for assertions in tests). */
  state: App;
  /** Fault injection: `faults.add('503@GET:/api/v2/monitoring/*:every=3')`, `faults.clear()`. */
  faults: FaultController;
  /** Requests that reached the server, per route. */
  counters: RequestCounters;
  /** Accounts, IAM client and API key this emulator accepts. */
  credentials: { users: readonly Account[]; iamClient: IamClient; apiKey: string };
  /** The declarative route table. */
  routes: readonly RouteSpec[];
  /** Base URL of the IAM (`ssoUrl`): the NAD's `url`, or the second origin when `iam` was given. */
  iamUrl: string;
  /** PEM of the IAM's certificate when it is on its own HTTPS origin (trust it separately from `caPem`). */
  iamCaPem?: string;
  /** File the IAM certificate was loaded from, when known. */
  iamCertPath?: string;
  /** Moves the session clock forward (expire sessions without sleeping). */
  advanceClock(ms: number): void;
  /** Live mode, when started with `live`: `live.tick(ms)` moves live time and appends the flows that appear. */
  live: LiveMode | undefined;
  /** Stops listening and closes every socket; resolves when all are closed. */
  close(): Promise<void>;
}

/**
 * Starts a PT NAD emulator. Rejects when the port is taken, the state file is corrupt or a fault SPEC is invalid.
 * @example
 * const emu = await startEmulator({ seed: 1, flows: 2000, now: '2025-06-01T00:00:00Z' });
 * const res = await fetch(`${emu.url}/api/v2/monitoring/status`, { headers: { Authorization: `Bearer ${emu.credentials.apiKey}` } });
 * await emu.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const tlsPair = options.tls === true ? testTlsPair() : options.tls || null;
  const given = options.dataset;
  const datasetOptions = given
    ? null
    : { seed: options.seed ?? 1, flows: options.flows ?? DEFAULT_FLOW_COUNT, now: resolveNow(options.now) };
  const users = options.users ?? DEFAULT_ACCOUNTS;
  const iamClient = options.iamClient ?? DEFAULT_IAM_CLIENT;
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const sessionTtl = options.sessionTtl ?? 3600;
  if (!Number.isFinite(sessionTtl) || sessionTtl <= 0)
    throw new RangeError(`sessionTtl must be a positive number of seconds, got ${sessionTtl}`);
  const queryBudgetMs = options.queryBudgetMs ?? DEFAULT_QUERY_BUDGET_MS;
  if (!Number.isFinite(queryBudgetMs) || queryBudgetMs <= 0)
    throw new RangeError(`queryBudgetMs must be a positive number of ms, got ${queryBudgetMs}`);
  if (options.webhook !== undefined && options.live === undefined) {
    throw new RangeError('webhook needs live mode: alerts are posted as live traffic creates them');
  }
  // Generating the default dataset is most of the start-up (issue 13): when nothing else needs it first (no
  // state file to merge into it), the sockets are bound before it is generated, with every option checked
  // before that (a bad fault SPEC or flow count fails here, not after the "listening" line).
  const early = options.onListening !== undefined && datasetOptions !== null && !options.statePath;
  if (early && datasetOptions) {
    checkDatasetOptions(datasetOptions);
    if (options.faults) new FaultController().add(options.faults);
  }
  const makeApp = () => {
    const app = new App({
      dataset: given ?? generateDataset(datasetOptions as DatasetOptions),
      tls: tlsPair !== null,
      hostForUrls: host,
      accounts: users,
      iamClient,
      apiKey,
      allowBasic: options.allowBasic ?? true,
      sessionTtlSeconds: sessionTtl,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      queryBudgetMs,
      statePath: options.statePath ?? null,
      ...(options.stateCompactBytes !== undefined ? { stateCompactBytes: options.stateCompactBytes } : {}),
      reportError:
        options.onError ??
        ((err) => process.stderr.write(`ptnad-emulator: ${err instanceof Error ? err.stack : String(err)}\n`)),
      behaviour: options,
    });
    if (options.faults) app.faults.add(options.faults);
    return app;
  };
  let app: App | undefined = early ? undefined : makeApp();
  const ready = new Deferred<App>();
  if (app) ready.resolve(app);

  const iamOptions = options.iam;
  const nadRoutes = iamOptions ? ROUTES.filter((r) => r.path !== TOKEN_PATH) : ROUTES;
  const servers: Server[] = [];
  const closeAll = async () => {
    await Promise.all(servers.map(closeServer));
    await app?.close();
  };
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let server: Server;
  let iam: { url: string; pair: TlsPair | null } | null = null;
  try {
    server = await listen(whenReady(ready.promise, nadRoutes), tlsPair, host, options.port ?? 0);
    servers.push(server);
    if (iamOptions) {
      const iamPair =
        iamOptions.tls === true || (iamOptions.tls === undefined && tlsPair)
          ? testIamTlsPair()
          : iamOptions.tls || null;
      const iamRoutes = ROUTES.filter((r) => r.path === TOKEN_PATH);
      const iamServer = await listen(whenReady(ready.promise, iamRoutes), iamPair, host, iamOptions.port ?? 0);
      servers.push(iamServer);
      const iamPort = (iamServer.address() as AddressInfo).port;
      iam = { url: `${iamPair ? 'https' : 'http'}://${urlHost}:${iamPort}`, pair: iamPair };
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `${tlsPair ? 'https' : 'http'}://${urlHost}:${port}`;
  const address: EmulatorAddress = {
    url,
    host,
    iamUrl: iam ? iam.url : url,
    credentials: { users, iamClient, apiKey },
  };
  if (tlsPair?.certPath) address.certPath = tlsPair.certPath;
  if (iam?.pair?.certPath) address.iamCertPath = iam.pair.certPath;
  if (!app) {
    options.onListening?.(address);
    // Let the caller's output (the banner) leave before the event loop is busy generating.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      app = makeApp();
    } catch (err) {
      ready.reject(err);
      await closeAll();
      throw err;
    }
    app.hostForUrls = `${urlHost}:${port}`;
    // Requests that arrived meanwhile are handled from here on.
    ready.resolve(app);
  }
  app.hostForUrls = `${urlHost}:${port}`;
  const webhook = typeof options.webhook === 'string' ? { url: options.webhook } : options.webhook;
  const onWebhookError = (message: string) => app.reportError(new Error(message));
  const live = options.live
    ? startLive(app, options.live, webhook && { onError: onWebhookError, ...webhook }, () => url)
    : undefined;
  const emulator: Emulator = {
    url,
    host,
    port,
    tls: tlsPair !== null,
    state: app,
    faults: app.faults,
    counters: app.counters,
    credentials: { users, iamClient, apiKey },
    routes: nadRoutes,
    iamUrl: iam ? iam.url : url,
    advanceClock: (ms) => app.clock.advance(ms),
    live,
    close: async () => {
      await live?.close();
      await closeAll();
    },
  };
  if (iam?.pair) {
    emulator.iamCaPem = iam.pair.cert;
    if (iam.pair.certPath) emulator.iamCertPath = iam.pair.certPath;
  }
  if (tlsPair) {
    emulator.caPem = tlsPair.cert;
    if (tlsPair.certPath) emulator.certPath = tlsPair.certPath;
  }
  if (!early) options.onListening?.(address);
  return emulator;
}

/** The same checks generateDataset makes, made before the sockets are bound. */
function checkDatasetOptions(opts: DatasetOptions): void {
  if (!Number.isInteger(opts.flows) || opts.flows < 0) {
    throw new RangeError(`flows must be a non-negative integer, got ${opts.flows}`);
  }
  if (!Number.isFinite(opts.seed)) throw new RangeError(`seed must be a finite number, got ${opts.seed}`);
}

/** A promise with its resolve and reject at hand. */
class Deferred<T> {
  resolve!: (value: T) => void;
  reject!: (err: unknown) => void;
  readonly promise = new Promise<T>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
  constructor() {
    // A start-up that fails rejects this; its caller hears of it from startEmulator, not from here.
    this.promise.catch(() => undefined);
  }
}

/** A request listener that serves with the app once it exists; a request that arrives earlier waits for it. */
function whenReady(app: Promise<App>, routes: readonly RouteSpec[]): RequestListener {
  let listener: RequestListener | undefined;
  const serve = (a: App) => {
    listener ??= createRequestListener(a, routes);
    return listener;
  };
  app.then(serve, () => undefined);
  return (req, res) => {
    if (listener) listener(req, res);
    else
      app.then(
        (a) => serve(a)(req, res),
        () => res.destroy(),
      );
  };
}

function resolveNow(now: Date | string | undefined): Date {
  if (now === undefined) return new Date();
  const d = typeof now === 'string' ? new Date(now) : now;
  if (Number.isNaN(d.getTime())) throw new RangeError(`now must be a valid date or ISO string, got "${String(now)}"`);
  return d;
}

/** Starts one HTTP(S) server; rejects when the port is taken. */
async function listen(listener: RequestListener, pair: TlsPair | null, host: string, port: number): Promise<Server> {
  const server: Server = pair
    ? createHttpsServer({ key: pair.key, cert: pair.cert }, listener)
    : createHttpServer(listener);
  // Long keep-alive so benchmark and SDK loops reuse connections; headersTimeout must exceed it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
