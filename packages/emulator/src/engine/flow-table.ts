/**
 * The flows of one storage with time indexes, so that a keyset page (`end > T OR (end == T AND id > I)
 * ORDER BY end, id LIMIT n`, what `bql.stream` sends) or a time window costs about its own size instead of a scan
 * of every flow. Rows stay in storage order (what queries without ORDER BY return); an index is a permutation of
 * row positions sorted by one time field: by the field's millisecond value (what comparisons read), then by its
 * ORDER BY key (with the microseconds), then id, then position. That is exactly the order a full scan gives
 * `ORDER BY end asc, id asc`, so the engine can read a page straight off the index.
 *
 * Indexes are built on first use (a default emulator that never pages pays nothing) and kept correct by
 * {@link FlowTable.appendFlows}, which merges the new rows in.
 */
import type { FlowRecord } from '../store/types.js';
import { NEVER_DUE, type Steps } from './pacer.js';

/** Time fields of a flow that have an index. */
export type IndexedField = 'start' | 'end';

/** One time index: row positions in index order and, parallel to them, the values searched and ordered by. */
export interface TimeIndex {
  readonly field: IndexedField;
  /** Row positions sorted by (ms, key, id, position). */
  readonly order: Uint32Array;
  /** The field's value in ms (what `end > T` compares), in index order. */
  readonly ms: Float64Array;
  /** The ORDER BY key (ms plus the microseconds as a fraction), in index order. */
  readonly key: Float64Array;
  /** True when `key` never decreases along the index (always, unless a time has a fraction or odd micros). */
  readonly keySorted: boolean;
}

const US_FIELD = { start: 'start_us', end: 'end_us' } as const;

function msOf(f: FlowRecord, field: IndexedField): number {
  return f[field];
}

/** The ORDER BY key exactly as the engine computes it (render.ts `sortValueGetter`). */
function keyOf(f: FlowRecord, field: IndexedField): number {
  const us = f[US_FIELD[field]];
  return f[field] + (typeof us === 'number' ? us : 0) / 1000;
}

/** The flows of a storage, in storage order, with lazily built time indexes. */
export class FlowTable {
  private readonly list: FlowRecord[];
  private readonly indexes = new Map<IndexedField, TimeIndex>();
  private ids: Set<string> | undefined;
  /** Grows on every change; caches keyed on a table check it. */
  version = 0;

  /** Wraps `flows` (not copied: the live storage and the dataset share one array that appends extend). */
  constructor(flows: FlowRecord[]) {
    this.list = flows;
  }

  /** The rows in storage order. */
  get rows(): readonly FlowRecord[] {
    return this.list;
  }

  /** The index of a time field, built on first use (about 1 s per million flows). */
  index(field: IndexedField): TimeIndex {
    const r = this.buildSteps(field, NEVER_DUE).next();
    if (!r.done) throw new Error('engine: index build yielded');
    return r.value;
  }

  /** The index of a time field; a first build runs in slices, yielding when `pace` says so (queries use this). */
  *buildSteps(field: IndexedField, pace: { due(): boolean }): Steps<TimeIndex> {
    const have = this.indexes.get(field);
    if (have !== undefined) return have;
    const version = this.version;
    const idx = yield* buildIndex(this.list, field, 0, undefined, pace);
    // An append while this build yielded already merged into any index built meanwhile; start over then.
    if (version !== this.version) return yield* this.buildSteps(field, pace);
    const raced = this.indexes.get(field);
    if (raced !== undefined) return raced;
    this.indexes.set(field, idx);
    return idx;
  }

  /** True when the index of `field` exists already (for measurements). */
  hasIndex(field: IndexedField): boolean {
    return this.indexes.has(field);
  }

  /**
   * Appends flows to the storage (in the given order, after every existing row) and merges them into every
   * built index. Throws a RangeError, changing nothing, when a flow's id is already in the table or repeats in
   * `flows` (ids are the keyset's tie-breaker and must be unique).
   */
  appendFlows(flows: readonly FlowRecord[]): void {
    if (flows.length === 0) return;
    if (this.ids === undefined) this.ids = new Set(this.list.map((f) => f.id));
    const fresh = new Set<string>();
    for (const f of flows) {
      if (this.ids.has(f.id) || fresh.has(f.id))
        throw new RangeError(`appendFlows: flow id "${f.id}" is already stored`);
      fresh.add(f.id);
    }
    const from = this.list.length;
    for (const f of flows) {
      this.list.push(f);
      this.ids.add(f.id);
    }
    for (const [field, idx] of this.indexes) {
      const r = buildIndex(this.list, field, from, idx, NEVER_DUE).next();
      if (r.done) this.indexes.set(field, r.value);
    }
    this.version++;
  }
}

/** Runs of this many positions are sorted natively; longer inputs are merged run by run between slices. */
const RUN = 8192;

/** Builds an index over every row, or merges rows `from..` into `old` (an index of rows `0..from`). */
function* buildIndex(
  rows: readonly FlowRecord[],
  field: IndexedField,
  from: number,
  old: TimeIndex | undefined,
  pace: { due(): boolean },
): Steps<TimeIndex> {
  // Values by row position in typed arrays: the sort's comparator then reads no objects in the common case.
  const msAt = new Float64Array(rows.length);
  const keyAt = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const f = rows[i] as FlowRecord;
    msAt[i] = msOf(f, field);
    keyAt[i] = keyOf(f, field);
    if ((i & 0xffff) === 0 && pace.due()) yield;
  }
  const cmp = (a: number, b: number): number => {
    const d = (msAt[a] as number) - (msAt[b] as number) || (keyAt[a] as number) - (keyAt[b] as number);
    if (d !== 0) return d;
    const ia = (rows[a] as FlowRecord).id;
    const ib = (rows[b] as FlowRecord).id;
    if (ia !== ib) return ia < ib ? -1 : 1;
    return a - b;
  };
  let added = new Uint32Array(rows.length - from);
  for (let i = 0; i < added.length; i++) added[i] = from + i;
  for (let s = 0; s < added.length; s += RUN) {
    added.subarray(s, s + RUN).sort(cmp);
    if (pace.due()) yield;
  }
  let spare = new Uint32Array(added.length);
  for (let width = RUN; width < added.length; width *= 2) {
    for (let lo = 0; lo < added.length; lo += 2 * width) {
      merge(
        added,
        lo,
        Math.min(lo + width, added.length),
        added,
        Math.min(lo + width, added.length),
        Math.min(lo + 2 * width, added.length),
        spare,
        lo,
        cmp,
      );
      if (pace.due()) yield;
    }
    [added, spare] = [spare, added];
  }
  let order: Uint32Array;
  if (old === undefined) order = added;
  else {
    // Both runs are sorted: one merge keeps the cost linear for the small batches live mode appends.
    order = new Uint32Array(rows.length);
    merge(old.order, 0, old.order.length, added, 0, added.length, order, 0, cmp);
  }
  const ms = new Float64Array(order.length);
  const key = new Float64Array(order.length);
  let keySorted = true;
  for (let i = 0; i < order.length; i++) {
    const pos = order[i] as number;
    ms[i] = msAt[pos] as number;
    key[i] = keyAt[pos] as number;
    // The ORDER BY key must never decrease, and equal keys must mean equal ms, for pages read off the index.
    if (i > 0) {
      const prev = key[i - 1] as number;
      const cur = key[i] as number;
      if (cur < prev || (cur === prev && ms[i] !== ms[i - 1])) keySorted = false;
    }
  }
  return { field, order, ms, key, keySorted };
}

/** Merges sorted a[aLo, aHi) and b[bLo, bHi) into out from `at` (stable: a first on ties). */
function merge(
  a: Uint32Array,
  aLo: number,
  aHi: number,
  b: Uint32Array,
  bLo: number,
  bHi: number,
  out: Uint32Array,
  at: number,
  cmp: (x: number, y: number) => number,
): void {
  let i = aLo;
  let j = bLo;
  let k = at;
  while (i < aHi && j < bHi)
    out[k++] = cmp(a[i] as number, b[j] as number) <= 0 ? (a[i++] as number) : (b[j++] as number);
  while (i < aHi) out[k++] = a[i++] as number;
  while (j < bHi) out[k++] = b[j++] as number;
}

/** First index position whose ms value is >= t (or > t when `strict`). */
export function boundOf(idx: TimeIndex, t: number, strict: boolean): number {
  const ms = idx.ms;
  let lo = 0;
  let hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = ms[mid] as number;
    if (strict ? v <= t : v < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
