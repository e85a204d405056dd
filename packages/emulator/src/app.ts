import type { Account, IamClient } from './auth/accounts.js';
import type { AuthConfig } from './auth/authenticate.js';
import { Clock, CredentialStore } from './auth/credentials.js';
import { Behaviour, type BehaviourOptions } from './behaviour.js';
import { FaultController, RequestCounters } from './faults.js';
import { packageHash } from './state/commit.js';
import { type ConfigSections, type StateChange, stateWriteFailed } from './state/durable.js';
import { readJournal, type SnapshotPieces, StateJournal, writeSnapshotSync } from './state/journal.js';
import { readStateFile, removeStaleTempFiles, type StateSnapshot } from './state/persistence.js';
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
  /** Journal size that starts a background snapshot (default 4 MiB). */
  stateCompactBytes?: number;
  reportError: (err: unknown) => void;
  /** Behaviours played one way or the other (defaults in behaviour.ts). */
  behaviour?: BehaviourOptions;
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
  /** Which variant of each unsettled behaviour this emulator plays. */
  readonly behaviour: Behaviour;
  private byId: Map<string, FlowRecord> | undefined;
  readonly replists: ReplistStore;
  readonly rules: RuleStore;
  readonly variables: VariableStore;
  readonly storages: StorageStore;
  readonly tasks = new TaskStore();
  /** Hash of the last committed package (sensors report it). */
  hashsum: string;
  readonly reportError: (err: unknown) => void;
  /** The `--state` journal, when persisting. */
  readonly journal: StateJournal<StateChange> | null;

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
    this.behaviour = new Behaviour(config.behaviour ?? {}, ds.seed);
    // The dataset writes times with microseconds (`...T12:00:00.000000Z`); changes use the same shape.
    const nowIso = () => new Date(this.clock.now()).toISOString().replace('Z', '000Z');
    this.nowIso = nowIso;
    const statePath = config.statePath;
    if (statePath) removeStaleTempFiles(statePath);
    const saved = statePath ? readStateFile(statePath) : null;
    const journaled = statePath ? readJournal<StateChange>(statePath, saved?.seq ?? 0) : { records: [], bytes: 0 };
    // The state file holds every list (deletions included), so it replaces the dataset's lists wholesale.
    this.replists = new ReplistStore(saved ? saved.replists : ds.replists, nowIso, (c) => this.persist(c));
    this.rules = new RuleStore(ds.rules, nowIso);
    this.variables = new VariableStore(ds.variables, nowIso);
    this.storages = new StorageStore(ds.storages, ds.flows, nowIso);
    if (saved) {
      this.restoreConfig(saved);
      this.storages.restore(saved.storages, this.flowsById);
    }
    for (const { change } of journaled.records) this.replay(change);
    this.hashsum = packageHash(ds.seed, this.rules, this.variables);
    if (statePath) {
      const lastSeq = Math.max(saved?.seq ?? 0, ...journaled.records.map((r) => r.seq));
      this.journal = new StateJournal<StateChange>(
        statePath,
        lastSeq,
        journaled.bytes,
        config.stateCompactBytes ?? 4 * 2 ** 20,
        (seq) => this.snapshotPieces(seq),
        this.reportError,
      );
      // A first run writes the whole state once, so the file alone describes it (as before the journal).
      if (!saved) writeSnapshotSync(statePath, this.snapshotPieces(lastSeq));
    } else {
      this.journal = null;
    }
  }

  /**
   * Adds flows to the live storage as they "arrive" (live mode): they become visible to BQL (time indexes kept
   * correct), to `sources/save` and to flow lookups by id. Throws a RangeError, changing nothing, when a flow id
   * is already stored.
   */
  appendFlows(flows: readonly FlowRecord[]): void {
    this.storages.appendFlows(flows);
    if (this.byId !== undefined) for (const f of flows) this.byId.set(f.id, f);
  }

  /**
   * Flows by id (the live storage's rows), built on first use: a million-flow map costs about a second and 60 MB,
   * which an emulator that never looks a flow up by id (most test runs, every benchmark) need not pay at start-up.
   */
  get flowsById(): Map<string, FlowRecord> {
    if (this.byId === undefined) {
      // The dataset's array is the live storage's rows: appended flows are in it too.
      const byId = new Map<string, FlowRecord>();
      for (const f of this.dataset.flows) byId.set(f.id, f);
      this.byId = byId;
    }
    return this.byId;
  }

  private readonly nowIso: () => string;

  /** Makes a change durable before it is applied; a failed write is a 500 and nothing changes. */
  private persist(change: StateChange): void {
    if (!this.journal) return;
    try {
      this.journal.append(change);
    } catch (err) {
      this.reportError(err);
      throw stateWriteFailed(err);
    }
  }

  private replay(change: StateChange): void {
    if (change.op === 'config') {
      this.restoreConfig(change);
    } else if (change.op === 'storage.add') {
      const flows = change.flowIds.flatMap((id) => this.flowsById.get(id) ?? []);
      this.storages.addFlows(change.id, flows, change.at);
    } else {
      this.replists.apply(change);
    }
  }

  private restoreConfig(c: ConfigSections): void {
    this.variables.restore(structuredClone(c.variables));
    this.rules.restore(structuredClone(c.rules));
  }

  /**
   * Runs a change to rules and variables (patch, commit, rollback, group edits), then makes it durable; when the
   * write fails the stores and the hashsum go back to where they were before any other request can see them, and
   * the caller gets a 500.
   */
  changeConfig<T>(change: () => T): T {
    if (!this.journal) return change();
    const before: ConfigSections = structuredClone({
      variables: this.variables.snapshot(),
      rules: this.rules.snapshot(),
    });
    const hashsum = this.hashsum;
    const out = change();
    try {
      this.persist({ op: 'config', variables: this.variables.snapshot(), rules: this.rules.snapshot() });
    } catch (err) {
      this.restoreConfig(before);
      this.hashsum = hashsum;
      throw err;
    }
    return out;
  }

  /** Adds flows to a saved storage once the addition is durable; returns how many were new. */
  saveFlows(storageId: number, flows: readonly FlowRecord[]): number {
    const fresh = this.storages.newFlows(storageId, flows);
    if (fresh.length === 0) return 0;
    const at = this.nowIso();
    this.persist({ op: 'storage.add', id: storageId, flowIds: fresh.map((f) => f.id), at });
    return this.storages.addFlows(storageId, fresh, at);
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

  /** The snapshot as JSON text in pieces, for writing without holding the event loop (see StateJournal). */
  private snapshotPieces(seq: number): SnapshotPieces {
    return function* (this: App) {
      yield `{"version":1,"seq":${seq},"replists":[`;
      yield* this.replists.jsonPieces();
      yield `],"variables":${JSON.stringify(this.variables.snapshot())},"rules":${JSON.stringify(this.rules.snapshot())}`;
      yield `,"storages":${JSON.stringify(this.storages.snapshot())}}`;
    }.bind(this);
  }

  /** Writes the final snapshot when persisting (called by `close()`). */
  async close(): Promise<void> {
    await this.journal?.close();
  }
}
