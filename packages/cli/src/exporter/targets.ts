/**
 * The appliances one exporter serves (its default connection, and any profile named by `?target=`), each with
 * its client, its exporter-side counters and the cache of its last burst. A burst in flight is shared by every
 * scrape that arrives meanwhile, and its result is reused for `cacheSeconds`: several Prometheus servers
 * scraping the same exporter do not multiply the load on the appliance.
 */

import { Counter, Gauge, Registry } from 'prom-client';
import type { PTNADClient } from 'ptnad-client';
import { checkProfileName, loadConfig } from '../config.js';
import { type Connection, resolveConnection } from '../connection.js';
import { errorCode } from '../errors.js';
import { type BurstResult, collect } from './collect.js';

/** Settings of every target. */
export interface TargetSettings {
  /** How long a burst's result is served from cache, in seconds (0: every scrape sends a burst). */
  cacheSeconds: number;
  /** The longest a burst may take, in seconds: after it the scrape answers `ptnad_up 0`. */
  timeoutSeconds: number;
}

/** How targets are found and connected (the command builds it from its Context). */
export interface TargetSource {
  /** The default target's profile name and client. */
  defaultName: string;
  defaultClient: () => Promise<PTNADClient>;
  /** The config dir holding the profiles `?target=` may name. */
  configDir: string;
  /** Builds a client for a resolved connection (the CLI's createClient). */
  createClient: (c: Connection) => Promise<PTNADClient>;
  /** Secrets in play, extended as targets are resolved (for scrubbing). */
  secrets: string[];
  /** The environment (PTNAD_* variables are dropped for named targets). */
  env: NodeJS.ProcessEnv;
}

/** Raised for a `?target=` that names no profile: the HTTP layer answers 400. */
export class UnknownTargetError extends Error {}

/** One appliance. */
class Target {
  readonly own = new Registry();
  readonly #scrapes: Counter;
  readonly #bursts: Counter;
  readonly #cacheHits: Counter;
  readonly #errors: Counter;
  readonly #duration: Gauge;
  readonly #lastBurst: Gauge;
  #cached: { at: number; result: BurstResult } | undefined;
  #inFlight: Promise<BurstResult> | undefined;

  constructor(
    readonly name: string,
    readonly client: () => Promise<PTNADClient>,
  ) {
    const registers = [this.own];
    this.#scrapes = new Counter({ name: 'ptnad_exporter_scrapes_total', help: 'Scrapes served.', registers });
    this.#bursts = new Counter({
      name: 'ptnad_exporter_bursts_total',
      help: 'Bursts of appliance requests sent (a cached scrape sends none).',
      registers,
    });
    this.#cacheHits = new Counter({
      name: 'ptnad_exporter_cache_hits_total',
      help: 'Scrapes answered from the cache or from a burst already in flight.',
      registers,
    });
    this.#errors = new Counter({
      name: 'ptnad_exporter_errors_total',
      help: 'Failed parts of bursts, by collector and SDK error code.',
      labelNames: ['collector', 'code'],
      registers,
    });
    this.#duration = new Gauge({
      name: 'ptnad_exporter_scrape_duration_seconds',
      help: 'How long the exporter took to answer the last scrape (cache lookups included).',
      registers,
    });
    this.#lastBurst = new Gauge({
      name: 'ptnad_exporter_last_burst_timestamp_seconds',
      help: 'When the last burst of appliance requests ended.',
      registers,
    });
  }

  /** The metrics text of one scrape. */
  async scrape(settings: TargetSettings): Promise<string> {
    const started = performance.now();
    this.#scrapes.inc();
    const fresh = this.#cached && (performance.now() - this.#cached.at) / 1000 < settings.cacheSeconds;
    let result: BurstResult;
    if (fresh && this.#cached) {
      this.#cacheHits.inc();
      result = this.#cached.result;
    } else if (this.#inFlight) {
      this.#cacheHits.inc();
      result = await this.#inFlight;
    } else {
      this.#inFlight = this.#burst(settings);
      try {
        result = await this.#inFlight;
      } finally {
        this.#inFlight = undefined;
      }
    }
    this.#duration.set((performance.now() - started) / 1000);
    return `${await result.registry.metrics()}\n${await this.own.metrics()}`;
  }

  async #burst(settings: TargetSettings): Promise<BurstResult> {
    this.#bursts.inc();
    const deadline = AbortSignal.timeout(settings.timeoutSeconds * 1000);
    let result: BurstResult;
    try {
      const client = await this.client();
      result = await collect(client, { signal: deadline });
    } catch (err) {
      // Only building the client can fail here (collect never throws): the target is down for this scrape.
      const registry = new Registry();
      const help = 'Whether the appliance answered the monitoring status request (1) or not (0).';
      new Gauge({ name: 'ptnad_up', help, registers: [registry] }).set(0);
      const failures = [{ collector: 'status' as const, code: errorCode(err) ?? 'other' }];
      result = { registry, up: false, durationSeconds: 0, failures };
    }
    for (const f of result.failures) this.#errors.inc({ collector: f.collector, code: f.code });
    this.#lastBurst.set(Date.now() / 1000);
    this.#cached = { at: performance.now(), result };
    return result;
  }
}

/** Every target, created on first use. */
export class Targets {
  readonly #source: TargetSource;
  readonly #settings: TargetSettings;
  readonly #targets = new Map<string, Target>();
  readonly #clients: { client: PTNADClient; local: boolean }[] = [];

  constructor(source: TargetSource, settings: TargetSettings) {
    this.#source = source;
    this.#settings = settings;
  }

  /** The metrics text for `?target=name` (undefined: the default target). */
  async scrape(name: string | undefined): Promise<string> {
    return this.#target(name ?? this.#source.defaultName).scrape(this.#settings);
  }

  #target(name: string): Target {
    const known = this.#targets.get(name);
    if (known) return known;
    let target: Target;
    if (name === this.#source.defaultName) {
      target = new Target(name, this.#source.defaultClient);
    } else {
      try {
        checkProfileName(name);
      } catch {
        throw new UnknownTargetError('invalid target name');
      }
      // Only profiles that exist: a scraper cannot make the exporter connect anywhere else.
      if (!Object.hasOwn(loadConfig(this.#source.configDir).profiles, name)) {
        throw new UnknownTargetError(`no profile named "${name}"`);
      }
      let client: Promise<PTNADClient> | undefined;
      target = new Target(name, () => {
        client ??= this.#connect(name);
        return client;
      });
    }
    this.#targets.set(name, target);
    return target;
  }

  async #connect(name: string): Promise<PTNADClient> {
    // PTNAD_* variables configure the default target only: PTNAD_URL must not redirect every profile to one URL.
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(this.#source.env)) if (!k.startsWith('PTNAD_')) env[k] = v;
    const c = resolveConnection({ profile: name }, env, this.#source.configDir, () => undefined);
    this.#source.secrets.push(...c.secrets);
    const client = await this.#source.createClient(c);
    this.#clients.push({ client, local: c.auth.type === 'local' });
    return client;
  }

  /**
   * Logs out the password sessions of the named targets and closes their clients (the Context does the same
   * for the default target). Bounded, like the Context's: a dead appliance must not hold the exit.
   */
  async close(): Promise<void> {
    await Promise.all(
      this.#clients.map(async ({ client, local }) => {
        if (local && client.isLoggedIn) {
          await client.logout({ signal: AbortSignal.timeout(5000), maxRetries: 0 }).catch(() => undefined);
        }
        await client.close().catch(() => undefined);
      }),
    );
  }
}
