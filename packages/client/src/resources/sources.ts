/**
 * `client.sources`: storages (`sources`, `sources/{id}`).
 */

import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { type OffsetPage, offsetList, type PagePromise } from '../core/pagination.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { integerId, path } from '../internal/path.js';

/** A storage (`GET sources/{id}`); the live storage is usually id 2. */
export interface Source {
  id: number;
  name: string;
  description?: string;
  start?: string | null;
  end?: string | null;
  last_import?: string | null;
  created?: string;
  modified?: string;
  files_count?: number;
  volume?: number;
  is_live?: boolean;
}

/** Filters of {@link SourcesResource.getSources}. */
export interface GetSourcesParams {
  /** Matches name, description and the creator's names. */
  search?: string;
  /** Any field, `user__username`; prefix `-` for descending. */
  ordering?: string;
  limit?: number;
  offset?: number;
}

/** Storages. */
export class SourcesResource extends APIResource {
  /**
   * Storages, one page (await) or all of them (`for await`).
   * @example
   * for await (const s of client.sources.getSources({ ordering: 'name' })) console.log(s.id, s.name);
   */
  getSources(params: GetSourcesParams = {}, options?: RequestOptions): PagePromise<OffsetPage<Source>, Source> {
    return offsetList<Source>(
      this.client,
      {
        method: 'GET',
        path: 'sources',
        query: { search: params.search || undefined, ordering: params.ordering || undefined },
        operation: 'get sources',
      },
      { limit: params.limit, offset: params.offset },
      options,
    );
  }

  /**
   * One storage.
   * @throws NotFoundError when there is no such storage.
   * @example
   * const live = await client.sources.getSource(2);
   */
  getSource(id: number | string, options?: RequestOptions): APIPromise<Source> {
    return asAPIPromise(() => {
      return this.client.request<Source>(
        { method: 'GET', path: path`sources/${integerId(id, 'source id')}`, operation: `get source ${id}` },
        options,
      );
    });
  }
}
