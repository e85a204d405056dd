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
import type { FaultController, RequestCounters } from './faults.js';
import { DEFAULT_MAX_BODY_BYTES } from './http/body.js';
import { type LiveMode, type LiveOptions, startLive, type WebhookOptions } from './live/index.js';
import { ROUTES } from './routes/table.js';
import type { RouteSpec } from './routes/types.js';
import { createRequestListener } from './server.js';
import { DEFAULT_FLOW_COUNT, generateDataset } from './store/dataset.js';
import type { Dataset } from './store/types.js';
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
  const dataset =
    options.dataset ??
    generateDataset({
      seed: options.seed ?? 1,
      flows: options.flows ?? DEFAULT_FLOW_COUNT,
      now: resolveNow(options.now),
    });
  const users = options.users ?? DEFAULT_ACCOUNTS;
  const iamClient = options.iamClient ?? DEFAULT_IAM_CLIENT;
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const sessionTtl = options.sessionTtl ?? 3600;
  if (!Number.isFinite(sessionTtl) || sessionTtl <= 0)
    throw new RangeError(`sessionTtl must be a positive number of seconds, got ${sessionTtl}`);
  const queryBudgetMs = options.queryBudgetMs ?? DEFAULT_QUERY_BUDGET_MS;
  if (!Number.isFinite(queryBudgetMs) || queryBudgetMs <= 0)
    throw new RangeError(`queryBudgetMs must be a positive number of ms, got ${queryBudgetMs}`);
  const app = new App({
    dataset,
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
  if (options.webhook !== undefined && options.live === undefined) {
    throw new RangeError('webhook needs live mode: alerts are posted as live traffic creates them');
  }

  const iamOptions = options.iam;
  const nadRoutes = iamOptions ? ROUTES.filter((r) => r.path !== TOKEN_PATH) : ROUTES;
  const servers: Server[] = [];
  const closeAll = async () => {
    await Promise.all(servers.map(closeServer));
    await app.close();
  };
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let server: Server;
  let iam: { url: string; pair: TlsPair | null } | null = null;
  try {
    server = await listen(createRequestListener(app, nadRoutes), tlsPair, host, options.port ?? 0);
    servers.push(server);
    if (iamOptions) {
      const iamPair =
        iamOptions.tls === true || (iamOptions.tls === undefined && tlsPair)
          ? testIamTlsPair()
          : iamOptions.tls || null;
      const iamRoutes = ROUTES.filter((r) => r.path === TOKEN_PATH);
      const iamServer = await listen(createRequestListener(app, iamRoutes), iamPair, host, iamOptions.port ?? 0);
      servers.push(iamServer);
      const iamPort = (iamServer.address() as AddressInfo).port;
      iam = { url: `${iamPair ? 'https' : 'http'}://${urlHost}:${iamPort}`, pair: iamPair };
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  app.hostForUrls = `${urlHost}:${port}`;
  const url = `${tlsPair ? 'https' : 'http'}://${urlHost}:${port}`;
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
  return emulator;
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
