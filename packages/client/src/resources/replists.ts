/**
 * `client.replists`: reputation lists, static and dynamic (API-managed, keyed by `external_key`).
 */

import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import { asPagePromise, type OffsetPage, offsetList, type PagePromise } from '../core/pagination.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { integerId, path } from '../internal/path.js';
import {
  type PlanOptions,
  planDynamicListSync,
  type SyncOptions,
  type SyncPlan,
  type SyncReport,
  syncDynamicList,
} from '../lib/replists-sync.js';
import type { OrString } from './monitoring.js';

/** Indicator kind of a list. */
export type RepListType = 'ip' | 'dn' | 'uri' | 'md5';
/** UI colour, `"0"`..`"7"`. */
export type RepListColor = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7';

/** A reputation list. */
export interface RepList {
  id: number;
  name: string;
  type: OrString<RepListType>;
  color: OrString<RepListColor>;
  description?: string | null;
  /** Newline-separated items (detail view). */
  content?: string;
  /** Set on dynamic (API-managed) lists. */
  external_key?: string | null;
  items_count?: number;
  created?: string;
  modified?: string;
  vendor?: { name?: string; [key: string]: unknown } | string | null;
}

/** An item of a dynamic list. */
export interface DynamicListItem {
  value: string;
  attrs?: Record<string, unknown>;
  modified?: string;
}

/** Filters of {@link ReplistsResource.getLists}. */
export interface GetListsParams {
  /** Case-insensitive match on name, description and vendor name. */
  search?: string;
  /** `id, name, color, type, created, modified, items_count, description, vendor__name`; `-` = descending. */
  ordering?: string;
  /** Page size. Default 100. */
  limit?: number;
  offset?: number;
}

/** Fields of {@link ReplistsResource.createList}. */
export interface CreateListParams {
  /** Letters, digits, `_` and `-` only. */
  name: string;
  type: RepListType;
  color: RepListColor | number;
  description?: string;
  /** Items: one string (newline-separated) or an array. */
  content?: string | string[];
  /** Makes the list dynamic (API-managed). */
  externalKey?: string;
}

/** Fields of {@link ReplistsResource.updateList}. */
export interface UpdateListParams {
  name?: string;
  type?: RepListType;
  color?: RepListColor | number;
  description?: string;
  content?: string | string[];
}

const NAME = /^[A-Za-z0-9_-]+$/;
const TYPES = new Set(['ip', 'dn', 'uri', 'md5']);

function checkName(name: unknown, where: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ValidationError(
      `${where}: name must consist of letters, digits, "_" and "-" only (got ${JSON.stringify(name)})`,
    );
  }
}

function checkType(type: unknown, where: string): void {
  if (typeof type !== 'string' || !TYPES.has(type)) {
    throw new ValidationError(`${where}: type must be one of ip, dn, uri, md5 (got ${JSON.stringify(type)})`);
  }
}

function normColor(color: unknown, where: string): string {
  const text = typeof color === 'number' ? String(color) : color;
  if (typeof text !== 'string' || !/^[0-7]$/.test(text)) {
    throw new ValidationError(`${where}: color must be "0".."7" (got ${JSON.stringify(color)})`);
  }
  return text;
}

function joinContent(content: string | string[]): string {
  return Array.isArray(content) ? content.join('\n') : content;
}

/** Reputation lists. */
export class ReplistsResource extends APIResource {
  /**
   * Lists, one page (await) or all of them (`for await`).
   * @example
   * const page = await client.replists.getLists({ search: 'APT', limit: 50 });
   * for await (const list of client.replists.getLists()) console.log(list.name, list.items_count);
   */
  getLists(params: GetListsParams = {}, options?: RequestOptions): PagePromise<OffsetPage<RepList>, RepList> {
    return offsetList<RepList>(
      this.client,
      {
        method: 'GET',
        path: 'replists',
        // Without an ordering the server's order may change between requests (recorded runs differ), so offset
        // paging could skip or repeat lists: ask for the documented `id` order unless the caller chose one.
        query: { search: params.search || undefined, ordering: params.ordering || 'id' },
        operation: 'get reputation lists',
      },
      { limit: params.limit ?? 100, offset: params.offset ?? 0 },
      options,
    );
  }

  /**
   * Every list, paging with `limit` (Python `get_all_lists`). `max` caps the number collected (default 100000).
   * @example
   * const all = await client.replists.getAllLists({ ordering: 'name' });
   */
  getAllLists(
    params: Omit<GetListsParams, 'offset'> & { max?: number } = {},
    options?: RequestOptions,
  ): Promise<RepList[]> {
    const { max = 100_000, ...rest } = params;
    return this.getLists(rest, options).toArray({ max });
  }

  /**
   * Creates a list; name, type and color are checked before anything is sent.
   * @throws ValidationError on a bad name, type or color.
   * @example
   * const list = await client.replists.createList({ name: 'feed-ip', type: 'ip', color: '7', externalKey: 'feed-ip' });
   */
  createList(params: CreateListParams, options?: RequestOptions): APIPromise<RepList> {
    return asAPIPromise(() => this.#createList(params, options));
  }

  #createList(params: CreateListParams, options?: RequestOptions): APIPromise<RepList> {
    const where = 'replists.createList';
    checkName(params?.name, where);
    checkType(params.type, where);
    const json: Record<string, unknown> = {
      name: params.name,
      type: params.type,
      color: normColor(params.color, where),
    };
    if (params.description) json.description = params.description;
    if (params.content !== undefined && params.content.length > 0) json.content = joinContent(params.content);
    if (params.externalKey) json.external_key = params.externalKey;
    return this.client.request<RepList>(
      { method: 'POST', path: 'replists', json, operation: `create reputation list "${params.name}"` },
      options,
    );
  }

  /**
   * One list, with its `content`.
   * @throws NotFoundError when there is no such list.
   * @example
   * const list = await client.replists.getList(2118);
   */
  getList(id: number | string, options?: RequestOptions): APIPromise<RepList> {
    return asAPIPromise(() =>
      this.client.request<RepList>(
        {
          method: 'GET',
          path: path`replists/${integerId(id, 'reputation list id')}`,
          operation: `get reputation list ${id}`,
        },
        options,
      ),
    );
  }

  /**
   * Partially updates a list.
   * @throws ValidationError on a bad name, type or color, or when no field is given.
   * @example
   * await client.replists.updateList(2118, { description: 'from the CTI feed', color: '3' });
   */
  updateList(id: number | string, fields: UpdateListParams, options?: RequestOptions): APIPromise<RepList> {
    return asAPIPromise(() => this.#updateList(id, fields, options));
  }

  #updateList(id: number | string, fields: UpdateListParams, options?: RequestOptions): APIPromise<RepList> {
    const where = 'replists.updateList';
    const json: Record<string, unknown> = {};
    if (fields?.name !== undefined) {
      checkName(fields.name, where);
      json.name = fields.name;
    }
    if (fields?.type !== undefined) {
      checkType(fields.type, where);
      json.type = fields.type;
    }
    if (fields?.color !== undefined) json.color = normColor(fields.color, where);
    if (fields?.description !== undefined) json.description = fields.description;
    if (fields?.content !== undefined) json.content = joinContent(fields.content);
    if (Object.keys(json).length === 0) throw new ValidationError(`${where}: no field to update`);
    return this.client.request<RepList>(
      {
        method: 'PATCH',
        path: path`replists/${integerId(id, 'reputation list id')}`,
        json,
        operation: `update reputation list ${id}`,
      },
      options,
    );
  }

  /**
   * Deletes a list.
   * @example
   * await client.replists.deleteList(2118);
   */
  async deleteList(id: number | string, options?: RequestOptions): Promise<void> {
    await this.client.request(
      {
        method: 'DELETE',
        path: path`replists/${integerId(id, 'reputation list id')}`,
        operation: `delete reputation list ${id}`,
        parse: 'none',
      },
      options,
    );
  }

  /**
   * Adds (or updates) one item of a dynamic list. The value is sent as one encoded path segment, so an
   * indicator such as `http://x/a?b#c` or `../../x` cannot change the route.
   * @example
   * await client.replists.addDynamicListItem('feed-ip', '203.0.113.7', { source: 'opencti' });
   */
  addDynamicListItem(
    externalKey: string,
    value: string,
    attributes?: Record<string, unknown>,
    options?: RequestOptions,
  ): APIPromise<DynamicListItem> {
    return asAPIPromise(() => this.#addDynamicListItem(externalKey, value, attributes, options));
  }

  #addDynamicListItem(
    externalKey: string,
    value: string,
    attributes: Record<string, unknown> | undefined,
    options: RequestOptions | undefined,
  ): APIPromise<DynamicListItem> {
    if (value === '_bulk' || value === '_delete') {
      // POST replists/dynamic/<key>/_bulk is the bulk route: this value cannot be addressed as one item.
      throw new ValidationError(
        `replists.addDynamicListItem: the value "${value}" names a bulk endpoint; add it with bulkAddItems(key, ["${value}"])`,
      );
    }
    return this.client.request<DynamicListItem>(
      {
        method: 'POST',
        path: path`replists/dynamic/${externalKey}/${value}`,
        json: attributes ?? {},
        operation: `add item to reputation list "${externalKey}"`,
      },
      options,
    );
  }

  /**
   * Removes one item of a dynamic list.
   * @example
   * await client.replists.removeItem('feed-ip', '203.0.113.7');
   */
  async removeItem(externalKey: string, value: string, options?: RequestOptions): Promise<void> {
    await this.client.request(
      {
        method: 'DELETE',
        path: path`replists/dynamic/${externalKey}/${value}`,
        operation: `remove item from reputation list "${externalKey}"`,
        parse: 'none',
      },
      options,
    );
  }

  /**
   * Items of a dynamic list, one page (await) or all (`for await`).
   * @example
   * for await (const item of client.replists.getDynamicListItems('feed-ip', { ordering: 'value' })) console.log(item.value);
   */
  getDynamicListItems(
    externalKey: string,
    params: {
      ordering?: OrString<'value' | '-value' | 'modified' | '-modified'>;
      limit?: number;
      offset?: number;
    } = {},
    options?: RequestOptions,
  ): PagePromise<OffsetPage<DynamicListItem>, DynamicListItem> {
    return asPagePromise(() =>
      offsetList<DynamicListItem>(
        this.client,
        {
          method: 'GET',
          path: path`replists/dynamic/${externalKey}`,
          // A stable order for offset paging (see getLists); `value` is one of the two documented orderings.
          query: { ordering: params.ordering || 'value' },
          operation: `get items of reputation list "${externalKey}"`,
        },
        { limit: params.limit, offset: params.offset },
        options,
      ),
    );
  }

  /**
   * Adds many items in one call. Items may be strings or `{ value, attrs? }`.
   * @example
   * await client.replists.bulkAddItems('feed-ip', ['198.51.100.1', { value: '198.51.100.2', attrs: { score: 80 } }]);
   */
  async bulkAddItems(
    externalKey: string,
    items: ReadonlyArray<string | { value: string; attrs?: Record<string, unknown> }>,
    options?: RequestOptions,
  ): Promise<void> {
    const json = items.map((item) => (typeof item === 'string' ? { value: item } : item));
    await this.client.request(
      {
        method: 'POST',
        path: path`replists/dynamic/${externalKey}/_bulk`,
        json,
        operation: `bulk add ${json.length} items to reputation list "${externalKey}"`,
        parse: 'none',
      },
      options,
    );
  }

  /**
   * Deletes many items in one call.
   * @example
   * await client.replists.bulkDeleteItems('feed-ip', ['198.51.100.1', '198.51.100.2']);
   */
  async bulkDeleteItems(externalKey: string, values: readonly string[], options?: RequestOptions): Promise<void> {
    await this.client.request(
      {
        method: 'POST',
        path: path`replists/dynamic/${externalKey}/_delete`,
        json: [...values],
        operation: `bulk delete ${values.length} items from reputation list "${externalKey}"`,
        parse: 'none',
      },
      options,
    );
  }

  /**
   * List statistics.
   * @example
   * const stats = await client.replists.getStats();
   */
  getStats(options?: RequestOptions): APIPromise<Record<string, unknown>> {
    return this.client.request(
      { method: 'GET', path: 'replists/stats', operation: 'get reputation lists statistics' },
      options,
    );
  }

  /**
   * Makes the server's item set of a dynamic list equal to `values` (an IOC feed sync): reads the current
   * items (paged), then bulk-adds the missing and bulk-deletes the extra values in chunks with bounded
   * concurrency. Idempotent: a second run changes nothing, and after a partial failure a second run completes
   * the job (failed chunks are reported, never thrown, unless the caller aborts).
   *
   * Guarded: before changing anything it refuses with a SyncGuardError (code `sync_guard`) when the feed has no
   * value (pass `allowEmpty: true` to empty the list on purpose) or when it would remove more than
   * `maxRemoveRatio` (default 0.5) of the list's current values; the error says how many of how many, with
   * examples. `planDynamicListSync` is the dry run.
   * @throws SyncGuardError as above; AbortError when `signal` fires; APIError when the current items cannot be
   *   read; UnexpectedResponseError when an item read is malformed.
   * @example
   * const report = await client.replists.syncDynamicList('feed-ip', feedValues, { chunkSize: 1000, concurrency: 4 });
   * console.log(report.added, report.removed, report.unchanged, report.failed.length);
   */
  syncDynamicList(externalKey: string, values: Iterable<string>, options: SyncOptions = {}): Promise<SyncReport> {
    return syncDynamicList(this, externalKey, values, options);
  }

  /**
   * A dry run of {@link syncDynamicList}: reads the list and says what a sync would add and remove, and whether
   * its guard would refuse (`refusal`). Changes nothing.
   * @example
   * const plan = await client.replists.planDynamicListSync('feed-ip', feedValues);
   * if (plan.refusal) console.error(plan.refusal.message); else console.log(plan.toAdd.length, plan.toRemove.length);
   */
  planDynamicListSync(externalKey: string, values: Iterable<string>, options: PlanOptions = {}): Promise<SyncPlan> {
    return planDynamicListSync(this, externalKey, values, options);
  }
}
