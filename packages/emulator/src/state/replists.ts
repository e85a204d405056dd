import { notFound } from '../http/errors.js';
import type { ReplistType } from '../lib/indicators.js';
import type { ReplistItem, ReplistRecord } from '../store/types.js';

/** A list's attributes without its items. */
export type ReplistMeta = Omit<ReplistRecord, 'items'>;

interface ListState {
  meta: ReplistMeta;
  /** Keyed by value; Map keeps insertion order, which is the `content` order. */
  items: Map<string, ReplistItem>;
  /** Bumped by every change to the items; keys the cache of sorted item pages. */
  version: number;
}

/** The wire shape of a list (`content` only on detail). */
export interface ReplistWire extends ReplistMeta {
  items_count: number;
  content?: string;
}

/** The editable attributes of a list, already validated. */
export interface ReplistChanges {
  name?: string;
  type?: ReplistType;
  color?: string;
  description?: string;
  external_key?: string | null;
  /** Replaces every item of a static list. */
  values?: string[];
}

/**
 * One change to the lists, as the state journal stores it. Each sets values (never adds to them), so applying a
 * record twice gives the same state: replay over a snapshot that already holds it is harmless.
 */
export type ReplistChange =
  | { op: 'list.put'; list: ReplistRecord }
  | { op: 'list.meta'; id: number; meta: Partial<ReplistMeta> }
  | { op: 'list.del'; id: number }
  | { op: 'items.put'; id: number; items: ReplistItem[]; modified: string }
  | { op: 'items.del'; id: number; values: string[]; modified: string };

/**
 * Reputation lists and their items, with secondary indexes by name and external key. Every change is first
 * described as a {@link ReplistChange}, handed to `persist` (which throws when it cannot make it durable) and only
 * then applied, so a failed state write leaves memory as it was.
 */
export class ReplistStore {
  private readonly lists = new Map<number, ListState>();
  private nextId = 1;
  /** The last sorted copy of each list's items: paging 100k items must not re-sort them for every page. */
  private readonly sorted = new WeakMap<ListState, { version: number; ordering: string; items: ReplistItem[] }>();

  constructor(
    records: readonly ReplistRecord[],
    private readonly nowIso: () => string,
    private readonly persist: (change: ReplistChange) => void = () => {},
  ) {
    for (const r of records) this.insert(r);
  }

  /** Persists a change, then applies it. */
  private commit(change: ReplistChange): void {
    this.persist(change);
    this.apply(change);
  }

  /** Applies a change without persisting it (the journal replays through here). */
  apply(change: ReplistChange): void {
    switch (change.op) {
      case 'list.put':
        this.insert(change.list);
        return;
      case 'list.meta': {
        const list = this.lists.get(change.id);
        if (!list) return;
        Object.assign(list.meta, change.meta);
        list.version += 1;
        return;
      }
      case 'list.del':
        this.lists.delete(change.id);
        return;
      case 'items.put': {
        const list = this.lists.get(change.id);
        if (!list) return;
        for (const item of change.items) list.items.set(item.value, item);
        list.meta.modified = change.modified;
        list.version += 1;
        return;
      }
      case 'items.del': {
        const list = this.lists.get(change.id);
        if (!list) return;
        for (const v of change.values) list.items.delete(v);
        list.meta.modified = change.modified;
        list.version += 1;
        return;
      }
    }
  }

  private insert(record: ReplistRecord): ListState {
    const { items, ...meta } = record;
    const state: ListState = { meta: { ...meta }, items: new Map(items.map((i) => [i.value, { ...i }])), version: 0 };
    this.lists.set(meta.id, state);
    this.nextId = Math.max(this.nextId, meta.id + 1);
    return state;
  }

  /** Every list in id order. */
  all(): ListState[] {
    return [...this.lists.values()];
  }

  /** The list with this id; 404 otherwise. */
  get(id: number): ListState {
    const list = this.lists.get(id);
    if (!list) throw notFound();
    return list;
  }

  /** The dynamic list with this external key; 404 otherwise. */
  byExternalKey(key: string): ListState {
    for (const list of this.lists.values()) if (list.meta.external_key === key) return list;
    throw notFound(`No reputation list has external_key "${key}".`);
  }

  /** Names and external keys already taken (excluding list `exceptId`), for uniqueness checks. */
  taken(exceptId: number | null): { names: Set<string>; keys: Set<string> } {
    const names = new Set<string>();
    const keys = new Set<string>();
    for (const l of this.lists.values()) {
      if (l.meta.id === exceptId) continue;
      names.add(l.meta.name);
      if (l.meta.external_key) keys.add(l.meta.external_key);
    }
    return { names, keys };
  }

  /** Creates a list (changes validated by the caller). */
  create(changes: Required<Pick<ReplistChanges, 'name' | 'type'>> & ReplistChanges): ListState {
    const now = this.nowIso();
    const id = this.nextId;
    this.commit({
      op: 'list.put',
      list: {
        id,
        name: changes.name,
        type: changes.type,
        color: changes.color ?? '0',
        description: changes.description ?? '',
        external_key: changes.external_key ?? null,
        vendor: null,
        created: now,
        modified: now,
        items: (changes.values ?? []).map((value) => ({ value, attrs: {}, modified: now })),
      },
    });
    return this.get(id);
  }

  /** Applies validated changes to a list. */
  update(id: number, changes: ReplistChanges): ListState {
    const list = this.get(id);
    const { values, ...meta } = changes;
    const now = this.nowIso();
    if (values) {
      const items = values.map((value) => list.items.get(value) ?? { value, attrs: {}, modified: now });
      this.commit({ op: 'list.put', list: { ...list.meta, ...meta, modified: now, items } });
    } else {
      this.commit({ op: 'list.meta', id, meta: { ...meta, modified: now } });
    }
    return this.get(id);
  }

  /** Deletes a list; 404 when unknown. */
  remove(id: number): void {
    if (!this.lists.has(id)) throw notFound();
    this.commit({ op: 'list.del', id });
  }

  /** Adds or updates one item; `created` tells 201 from 200. */
  putItem(list: ListState, value: string, attrs: Record<string, string>): { item: ReplistItem; created: boolean } {
    const created = !list.items.has(value);
    const item = { value, attrs, modified: this.nowIso() };
    this.commit({ op: 'items.put', id: list.meta.id, items: [item], modified: item.modified });
    return { item, created };
  }

  /** Removes one item; 404 when the list does not hold it. */
  deleteItem(list: ListState, value: string): void {
    if (!list.items.has(value)) throw notFound(`The list does not contain "${value}".`);
    this.commit({ op: 'items.del', id: list.meta.id, values: [value], modified: this.nowIso() });
  }

  /** Adds or updates many items at once; returns how many were new. */
  putMany(list: ListState, items: Array<{ value: string; attrs: Record<string, string> }>): number {
    const now = this.nowIso();
    // Later duplicates win, as with repeated set(); count each new value once.
    const fresh = new Set<string>();
    for (const { value } of items) if (!list.items.has(value)) fresh.add(value);
    const records = items.map(({ value, attrs }) => ({ value, attrs, modified: now }));
    this.commit({ op: 'items.put', id: list.meta.id, items: records, modified: now });
    return fresh.size;
  }

  /** Removes many items (unknown values are ignored); returns how many were removed. */
  deleteMany(list: ListState, values: string[]): number {
    const present = [...new Set(values)].filter((v) => list.items.has(v));
    if (present.length > 0)
      this.commit({ op: 'items.del', id: list.meta.id, values: present, modified: this.nowIso() });
    return present.length;
  }

  /** The list's items in `ordering`, sorted by `sort` once per change of the list (cached between pages). */
  orderedItems(list: ListState, ordering: string, sort: (items: ReplistItem[]) => ReplistItem[]): ReplistItem[] {
    const hit = this.sorted.get(list);
    if (hit && hit.version === list.version && hit.ordering === ordering) return hit.items;
    const items = sort([...list.items.values()]);
    this.sorted.set(list, { version: list.version, ordering, items });
    return items;
  }

  /** The wire object of a list. */
  toWire(list: ListState, withContent: boolean): ReplistWire {
    const wire: ReplistWire = { ...list.meta, items_count: list.items.size };
    if (withContent) wire.content = [...list.items.keys()].join('\n');
    return wire;
  }

  /** Every list as records (for persistence). */
  toRecords(): ReplistRecord[] {
    return this.all().map((l) => ({ ...l.meta, items: [...l.items.values()] }));
  }

  /**
   * The lists as JSON text in pieces (a list's meta, then its items a thousand at a time), so a background
   * snapshot can yield between pieces. Concatenated, the pieces are a JSON array of records.
   */
  *jsonPieces(): Generator<string> {
    let firstList = true;
    for (const l of this.lists.values()) {
      const head = JSON.stringify({ ...l.meta, items: [] });
      yield `${firstList ? '' : ','}${head.slice(0, -2)}`;
      firstList = false;
      let batch: string[] = [];
      let firstItem = true;
      for (const item of l.items.values()) {
        batch.push(JSON.stringify(item));
        if (batch.length === 1000) {
          yield `${firstItem ? '' : ','}${batch.join(',')}`;
          firstItem = false;
          batch = [];
        }
      }
      if (batch.length > 0) yield `${firstItem ? '' : ','}${batch.join(',')}`;
      yield ']}';
    }
  }

  /** Counts per type and in total (`GET replists/stats`; shape is a GUESS). */
  stats(): Record<string, unknown> {
    const byType: Record<string, number> = { ip: 0, dn: 0, uri: 0, md5: 0 };
    let items = 0;
    let dynamic = 0;
    for (const l of this.lists.values()) {
      byType[l.meta.type] = (byType[l.meta.type] ?? 0) + 1;
      items += l.items.size;
      if (l.meta.external_key) dynamic += 1;
    }
    return { count: this.lists.size, dynamic_count: dynamic, items_count: items, by_type: byType };
  }
}
