import { FlowTable } from '../engine/flow-table.js';
import { notFound } from '../http/errors.js';
import type { FlowRecord, StorageRecord } from '../store/types.js';

/** The wire view of a storage (without the internal flow id list). */
export type StorageWire = Omit<StorageRecord, 'flowIds'>;

/**
 * Storages (sources): the live one holds every flow; saved ones hold a set of flow ids that `sources/save` extends.
 * Each storage's flows are a {@link FlowTable} (time-indexed for BQL); a saved storage's table is rebuilt only
 * after a save, the live one grows with {@link StorageStore.appendFlows}.
 */
export class StorageStore {
  private readonly storages: Map<number, StorageRecord>;
  private readonly tableCache = new Map<number, FlowTable>();
  private readonly live: FlowTable;

  constructor(
    records: readonly StorageRecord[],
    private readonly flows: FlowRecord[],
    private readonly nowIso: () => string,
  ) {
    this.storages = new Map(records.map((r) => [r.id, { ...r, flowIds: r.flowIds ? [...r.flowIds] : null }]));
    this.live = new FlowTable(flows);
  }

  /** Every storage in id order, as the API shows it. */
  all(): StorageWire[] {
    return [...this.storages.values()].sort((a, b) => a.id - b.id).map(toWire);
  }

  /** One storage or undefined. */
  find(id: number): StorageRecord | undefined {
    return this.storages.get(id);
  }

  /** One storage as the API shows it; 404 otherwise. */
  get(id: number): StorageWire {
    const s = this.storages.get(id);
    if (!s) throw notFound();
    return toWire(s);
  }

  /** The flows of a storage (dataset order: by start; appended flows after), or undefined for an unknown id. */
  flowsOf(id: number): readonly FlowRecord[] | undefined {
    return this.tableOf(id)?.rows;
  }

  /** The flows of a storage as a time-indexed table (what BQL queries run on), or undefined for an unknown id. */
  tableOf(id: number): FlowTable | undefined {
    const s = this.storages.get(id);
    if (!s) return undefined;
    if (s.flowIds === null) return this.live;
    let cached = this.tableCache.get(id);
    if (!cached) {
      const ids = new Set(s.flowIds);
      cached = new FlowTable(this.flows.filter((f) => ids.has(f.id)));
      this.tableCache.set(id, cached);
    }
    return cached;
  }

  /**
   * Appends flows to the live storage (the dataset's flow array), keeping its time indexes correct. Throws a
   * RangeError and changes nothing when an id is already stored. Saved storages are unchanged.
   */
  appendFlows(flows: readonly FlowRecord[]): void {
    this.live.appendFlows(flows);
  }

  /** The flows of `flows` that a saved storage does not hold yet (empty for the live storage or an unknown id). */
  newFlows(id: number, flows: readonly FlowRecord[]): FlowRecord[] {
    const s = this.storages.get(id);
    if (!s || s.flowIds === null) return [];
    const ids = new Set(s.flowIds);
    return flows.filter((f) => {
      if (ids.has(f.id)) return false;
      ids.add(f.id);
      return true;
    });
  }

  /** Adds flows to a saved storage (at time `at`, default now); returns how many were new. */
  addFlows(id: number, flows: readonly FlowRecord[], at?: string): number {
    const s = this.storages.get(id);
    if (!s || s.flowIds === null) return 0;
    const ids = new Set(s.flowIds);
    let added = 0;
    for (const f of flows) {
      if (ids.has(f.id)) continue;
      ids.add(f.id);
      s.flowIds.push(f.id);
      s.files_count += f.files.length;
      s.volume += f.bytes.total;
      added += 1;
    }
    if (added > 0) {
      s.last_import = at ?? this.nowIso();
      s.modified = s.last_import;
      this.tableCache.delete(id);
    }
    return added;
  }

  /** Flow ids that saves added to each saved storage (for persistence). */
  snapshot(): Array<{ id: number; flowIds: string[] }> {
    return [...this.storages.values()]
      .filter((s) => s.flowIds !== null)
      .map((s) => ({ id: s.id, flowIds: s.flowIds ?? [] }));
  }

  /** Restores saved storages' flow ids written by {@link snapshot}. */
  restore(entries: Array<{ id: number; flowIds: string[] }>, flowsById: Map<string, FlowRecord>): void {
    for (const e of entries) {
      const s = this.storages.get(e.id);
      if (!s || s.flowIds === null) continue;
      const current = new Set(s.flowIds);
      const extra = e.flowIds.filter((fid) => !current.has(fid)).flatMap((fid) => flowsById.get(fid) ?? []);
      this.addFlows(e.id, extra);
    }
  }
}

function toWire(s: StorageRecord): StorageWire {
  const { flowIds: _flowIds, ...wire } = s;
  return wire;
}
