import { notFound } from '../http/errors.js';
import type { RuleRecord } from '../store/types.js';

/** The editable fields of a rule (`PATCH signatures/rules/{sid}`). */
export interface RulePatch {
  enabled?: boolean;
  action?: RuleRecord['action'];
  msg?: string;
  priority?: number;
  /** Set by the store when the change is recorded. */
  modified?: string;
}

/** The wire view of a rule (the dataset record without the bulky alert signature block). */
export type RuleWire = Omit<RuleRecord, 'signature'>;

/**
 * Detection rules: the dataset's base records, committed overrides and pending overrides.
 * The API shows base + committed + pending; pending ones carry `diff: "*"` until commit or rollback.
 */
export class RuleStore {
  private readonly base: Map<number, RuleRecord>;
  private committed = new Map<number, RulePatch>();
  private pending = new Map<number, RulePatch>();
  private readonly nowIso: () => string;
  /** The merged views in sid order, rebuilt only after a change (listing is the hot path). */
  private views: RuleWire[] | null = null;

  constructor(records: readonly RuleRecord[], nowIso: () => string) {
    this.base = new Map(records.map((r) => [r.sid, r]));
    this.nowIso = nowIso;
  }

  /** Every rule as the API shows it, in sid order. */
  all(): readonly RuleWire[] {
    this.views ??= [...this.base.keys()].sort((a, b) => a - b).map((sid) => this.view(sid));
    return this.views;
  }

  /** One rule as the API shows it; 404 otherwise. */
  get(sid: number): RuleWire {
    if (!this.base.has(sid)) throw notFound();
    return this.view(sid);
  }

  private view(sid: number): RuleWire {
    const base = this.base.get(sid);
    if (!base) throw notFound();
    const { signature: _signature, ...rest } = base;
    const pending = this.pending.get(sid);
    const merged: RuleWire = { ...rest, ...this.committed.get(sid), ...pending };
    if (pending) merged.diff = '*';
    return merged;
  }

  /** Records a pending change; a patch equal to the committed state drops the pending entry. */
  patch(sid: number, patch: RulePatch): RuleWire {
    if (!this.base.has(sid)) throw notFound();
    const next = { ...this.pending.get(sid), ...patch };
    const committedView = { ...this.base.get(sid), ...this.committed.get(sid) } as Record<string, unknown>;
    const differs = Object.entries(next).some(([k, v]) => k !== 'modified' && committedView[k] !== v);
    if (differs) this.pending.set(sid, { ...next, modified: this.nowIso() });
    else this.pending.delete(sid);
    this.views = null;
    return this.view(sid);
  }

  /** Number of rules with pending changes. */
  pendingCount(): number {
    return this.pending.size;
  }

  /** Merges pending overrides into the committed ones. */
  commit(): void {
    for (const [sid, patch] of this.pending) this.committed.set(sid, { ...this.committed.get(sid), ...patch });
    this.pending.clear();
    this.views = null;
  }

  /** Discards pending overrides. */
  rollback(): void {
    this.pending.clear();
    this.views = null;
  }

  /** Committed overrides in sid order (for the package hash). */
  committedOverrides(): Array<[number, RulePatch]> {
    return [...this.committed].sort((a, b) => a[0] - b[0]);
  }

  /** Overrides for persistence. */
  snapshot(): { committed: Array<[number, RulePatch]>; pending: Array<[number, RulePatch]> } {
    return { committed: [...this.committed], pending: [...this.pending] };
  }

  /** Restores overrides written by {@link snapshot}, ignoring sids the dataset no longer has. */
  restore(s: { committed: Array<[number, RulePatch]>; pending: Array<[number, RulePatch]> }): void {
    this.committed = new Map(s.committed.filter(([sid]) => this.base.has(sid)));
    this.pending = new Map(s.pending.filter(([sid]) => this.base.has(sid)));
    this.views = null;
  }
}
