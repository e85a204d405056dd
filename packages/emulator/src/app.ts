import type { Account, IamClient } from './auth/accounts.js';
import type { AuthConfig } from './auth/authenticate.js';
import { Clock, CredentialStore } from './auth/credentials.js';
import { FaultController, RequestCounters } from './faults.js';
import { packageHash } from './state/commit.js';
import { readStateFile, type StateSnapshot, writeStateFile } from './state/persistence.js';
import { ReplistStore } from './state/replists.js';
import { RuleStore } from './state/rules.js';
import { StorageStore } from './state/storages.js';
import { TaskStore } from './state/tasks.js';
import { VariableStore } from './state/variables.js';
import type { Dataset, FlowRecord } from './store/types.js';

/** Settings the App needs (resolved from the public options). */
export interface AppConfig {
  dataset: Dataset;
  tls: boolean;
  /** host:port used in absolute URLs when a request has no Host header. */
  hostForUrls: string;
  accounts: readonly Account[];
  iamClient: IamClient;
  apiKey: string;
  allowBasic: boolean;
  sessionTtlSeconds: number;
  maxBodyBytes: number;
  /** Time budget of one BQL query in ms. */
  queryBudgetMs: number;
  statePath: string | null;
  reportError: (err: unknown) => void;
}

/** The emulator's runtime: the dataset, every mutable store, auth, faults and counters. Handlers receive it. */
export class App {
  readonly dataset: Dataset;
  readonly tls: boolean;
  hostForUrls: string;
  readonly accounts: readonly Account[];
  readonly iamClient: IamClient;
  readonly clock = new Clock();
  readonly credentials: CredentialStore;
  readonly authConfig: AuthConfig;
  readonly faults = new FaultController();
  readonly counters = new RequestCounters();
  readonly maxBodyBytes: number;
  /** Time budget of one BQL query in ms (`queryBudgetMs`, `--query-budget`). */
  readonly queryBudgetMs: number;
  readonly flowsById: Map<string, FlowRecord>;
  readonly replists: ReplistStore;
  readonly rules: RuleStore;
  readonly variables: VariableStore;
  readonly storages: StorageStore;
  readonly tasks = new TaskStore();
  /** Hash of the last committed package (sensors report it). */
  hashsum: string;
  readonly reportError: (err: unknown) => void;
  private readonly statePath: string | null;

  constructor(config: AppConfig) {
    const ds = config.dataset;
    this.dataset = ds;
    this.tls = config.tls;
    this.hostForUrls = config.hostForUrls;
    this.accounts = config.accounts;
    this.iamClient = config.iamClient;
    this.credentials = new CredentialStore(this.clock, config.sessionTtlSeconds);
    this.authConfig = {
      accounts: config.accounts,
      apiKey: config.apiKey,
      allowBasic: config.allowBasic,
      store: this.credentials,
    };
    this.maxBodyBytes = config.maxBodyBytes;
    this.queryBudgetMs = config.queryBudgetMs;
    this.reportError = config.reportError;
    this.statePath = config.statePath;
    // The dataset writes times with microseconds (`...T12:00:00.000000Z`); changes use the same shape.
    const nowIso = () => new Date(this.clock.now()).toISOString().replace('Z', '000Z');
    this.flowsById = new Map(ds.flows.map((f) => [f.id, f]));
    const saved = this.statePath ? readStateFile(this.statePath) : null;
    // The state file holds every list (deletions included), so it replaces the dataset's lists wholesale.
    this.replists = new ReplistStore(saved ? saved.replists : ds.replists, nowIso);
    this.rules = new RuleStore(ds.rules, nowIso);
    this.variables = new VariableStore(ds.variables, nowIso);
    this.storages = new StorageStore(ds.storages, ds.flows, nowIso);
    if (saved) {
      this.variables.restore(saved.variables);
      this.rules.restore(saved.rules);
      this.storages.restore(saved.storages, this.flowsById);
    }
    this.hashsum = packageHash(ds.seed, this.rules, this.variables);
  }

  /**
   * Adds flows to the live storage as they "arrive" (live mode): they become visible to BQL (time indexes kept
   * correct), to `sources/save` and to flow lookups by id. Throws a RangeError, changing nothing, when a flow id
   * is already stored.
   */
  appendFlows(flows: readonly FlowRecord[]): void {
    this.storages.appendFlows(flows);
    for (const f of flows) this.flowsById.set(f.id, f);
  }

  /** Call after every user change: persists the state when `--state` is set. */
  changed(): void {
    if (this.statePath) writeStateFile(this.statePath, this.snapshot());
  }

  /** Everything users can change, as the state file stores it. */
  snapshot(): StateSnapshot {
    return {
      version: 1,
      replists: this.replists.toRecords(),
      variables: this.variables.snapshot(),
      rules: this.rules.snapshot(),
      storages: this.storages.snapshot(),
    };
  }
}
