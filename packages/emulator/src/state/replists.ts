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

/** Reputation lists and their items, with secondary indexes by name and external key. */
export class ReplistStore {
  private readonly lists = new Map<number, ListState>();
  private nextId = 1;
  /** The last sorted copy of each list's items: paging 100k items must not re-sort them for every page. */
  private readonly sorted = new WeakMap<ListState, { version: number; ordering: string; items: ReplistItem[] }>();

  constructor(
    records: readonly ReplistRecord[],
    private readonly nowIso: () => string,
  ) {
    for (const r of records) this.insert(r);
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
    return this.insert({
      id: this.nextId,
      name: changes.name,
      type: changes.type,
      color: changes.color ?? '0',
      description: changes.description ?? '',
      external_key: changes.external_key ?? null,
      vendor: null,
      created: now,
      modified: now,
      items: (changes.values ?? []).map((value) => ({ value, attrs: {}, modified: now })),
    });
  }

  /** Applies validated changes to a list. */
  update(id: number, changes: ReplistChanges): ListState {
    const list = this.get(id);
    const { values, ...meta } = changes;
    Object.assign(list.meta, meta);
    if (values) {
      const now = this.nowIso();
      list.items = new Map(
        values.map((value) => [value, list.items.get(value) ?? { value, attrs: {}, modified: now }]),
      );
    }
    list.meta.modified = this.nowIso();
    list.version += 1;
    return list;
  }

  /** Deletes a list; 404 when unknown. */
  remove(id: number): void {
    if (!this.lists.delete(id)) throw notFound();
  }

  /** Adds or updates one item; `created` tells 201 from 200. */
  putItem(list: ListState, value: string, attrs: Record<string, string>): { item: ReplistItem; created: boolean } {
    const created = !list.items.has(value);
    const item = { value, attrs, modified: this.nowIso() };
    list.items.set(value, item);
    list.meta.modified = item.modified;
    list.version += 1;
    return { item, created };
  }

  /** Removes one item; 404 when the list does not hold it. */
  deleteItem(list: ListState, value: string): void {
    if (!list.items.delete(value)) throw notFound(`The list does not contain "${value}".`);
    list.meta.modified = this.nowIso();
    list.version += 1;
  }

  /** Adds or updates many items at once; returns how many were new. */
  putMany(list: ListState, items: Array<{ value: string; attrs: Record<string, string> }>): number {
    let added = 0;
    const now = this.nowIso();
    for (const { value, attrs } of items) {
      if (!list.items.has(value)) added += 1;
      list.items.set(value, { value, attrs, modified: now });
    }
    list.meta.modified = now;
    list.version += 1;
    return added;
  }

  /** Removes many items (unknown values are ignored); returns how many were removed. */
  deleteMany(list: ListState, values: string[]): number {
    let removed = 0;
    for (const v of values) if (list.items.delete(v)) removed += 1;
    if (removed > 0) {
      list.meta.modified = this.nowIso();
      list.version += 1;
    }
    return removed;
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
