import { notFound } from '../http/errors.js';
import type { VariableRecord } from '../store/types.js';

/**
 * IP and port groups with a committed set (what sensors run) and a working set (what the API shows and edits).
 * Differences stay pending until `signatures/commit`, and `signatures/rollback` discards them.
 */
export class VariableStore {
  private committed: Map<number, VariableRecord>;
  private working: Map<number, VariableRecord>;
  private nextId = 1;

  constructor(
    records: readonly VariableRecord[],
    private readonly nowIso: () => string,
  ) {
    this.committed = new Map(records.map((r) => [r.id, { ...r }]));
    this.working = new Map(records.map((r) => [r.id, { ...r }]));
    for (const r of records) this.nextId = Math.max(this.nextId, r.id + 1);
  }

  /** The working set in id order. */
  all(): VariableRecord[] {
    return [...this.working.values()];
  }

  /** One working variable; 404 otherwise. */
  get(id: number): VariableRecord {
    const v = this.working.get(id);
    if (!v) throw notFound();
    return v;
  }

  /** Finds a working variable by name (for `$NAME` references). */
  byName(name: string): VariableRecord | undefined {
    for (const v of this.working.values()) if (v.name === name) return v;
    return undefined;
  }

  /** Adds a variable to the working set (pending until commit). */
  create(input: Pick<VariableRecord, 'name' | 'type' | 'value' | 'comment'>): VariableRecord {
    const now = this.nowIso();
    const record: VariableRecord = { id: this.nextId++, ...input, created: now, modified: now };
    this.working.set(record.id, record);
    return record;
  }

  /** Changes `value` and/or `comment` of a working variable. */
  update(id: number, changes: Partial<Pick<VariableRecord, 'value' | 'comment'>>): VariableRecord {
    const current = this.get(id);
    const next = { ...current, ...changes, modified: this.nowIso() };
    this.working.set(id, next);
    return next;
  }

  /**
   * Removes a working variable. Returns whether a commit is needed: false when the variable only existed as a
   * pending addition (removing it just drops the pending change).
   */
  remove(id: number): boolean {
    this.get(id);
    this.working.delete(id);
    return this.committed.has(id);
  }

  /** Whether the working set differs from the committed one. */
  hasPending(): boolean {
    if (this.working.size !== this.committed.size) return true;
    for (const [id, w] of this.working) {
      const c = this.committed.get(id);
      if (!c || c.value !== w.value || c.comment !== w.comment || c.name !== w.name) return true;
    }
    return false;
  }

  /** Makes the working set the committed one. */
  commit(): void {
    this.committed = cloneMap(this.working);
  }

  /** Discards pending changes. */
  rollback(): void {
    this.working = cloneMap(this.committed);
  }

  /** The committed set, for the package hash. */
  committedRecords(): VariableRecord[] {
    return [...this.committed.values()];
  }

  /** Both sets for persistence. */
  snapshot(): { committed: VariableRecord[]; working: VariableRecord[]; nextId: number } {
    return { committed: [...this.committed.values()], working: [...this.working.values()], nextId: this.nextId };
  }

  /** Restores a snapshot written by {@link snapshot}. */
  restore(s: { committed: VariableRecord[]; working: VariableRecord[]; nextId: number }): void {
    this.committed = new Map(s.committed.map((r) => [r.id, r]));
    this.working = new Map(s.working.map((r) => [r.id, r]));
    this.nextId = s.nextId;
  }

  /** Counts by type (`GET variables/stats`; shape is a GUESS). */
  stats(): Record<string, unknown> {
    const all = this.all();
    return {
      count: all.length,
      ip: all.filter((v) => v.type === 'ip').length,
      port: all.filter((v) => v.type === 'port').length,
      commit_required: this.hasPending(),
    };
  }
}

function cloneMap(m: Map<number, VariableRecord>): Map<number, VariableRecord> {
  return new Map([...m].map(([id, r]) => [id, { ...r }]));
}
