/**
 * `client.hosts`: the asset inventory. The list pages with a cursor taken from the `next` URL (a cursor page,
 * through the same list helper as every other list).
 */

import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { asPagePromise, type CursorPage, cursorList, type PagePromise } from '../core/pagination.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { path } from '../internal/path.js';
import type { QueryValue } from '../internal/request.js';

/** A host of the asset inventory; nested lists are sorted `-last_seen,-id`. */
export interface Host {
  id: string | number;
  ip?: Array<{ ip: string; [key: string]: unknown }>;
  hostname?: string | null;
  user_hostname?: string | null;
  dns?: Array<{ dns: string; [key: string]: unknown }>;
  os?: unknown[];
  server_services?: unknown[];
  client_services?: unknown[];
  credentials?: unknown[];
  type?: string | null;
  user_type?: string | null;
  roles?: unknown[];
  groups?: string[];
  first_seen?: string;
  last_seen?: string;
  comment?: string | null;
  has_redef?: boolean;
}

type OneOrMany = string | string[];

/** Filters of {@link HostsResource.getHosts}; lists are sent comma-joined. */
export interface GetHostsParams {
  id?: OneOrMany;
  /** Matches id, ip, hostname, user_hostname and dns. */
  host?: OneOrMany;
  type?: OneOrMany;
  role?: OneOrMany;
  groups?: OneOrMany;
  /** Protocol, port or banner. */
  trafficIncoming?: OneOrMany;
  trafficOutgoing?: OneOrMany;
  hasRedef?: boolean;
  comment?: boolean;
  /** `id, ip, first_seen, last_seen, has_redef, hostname, comment` with `-` for descending. Default `-last_seen,-id`. */
  ordering?: string;
  /** Nested history records per host; default 5; -1 = all. */
  historyDepth?: number;
  /** Page size (default 100). */
  limit?: number;
}

function hostQuery(params: GetHostsParams): Record<string, QueryValue> {
  const list = (v: OneOrMany | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const bool = (v: boolean | undefined) => (v === undefined ? undefined : String(v));
  return {
    id: list(params.id),
    host: list(params.host),
    type: list(params.type),
    role: list(params.role),
    groups: list(params.groups),
    traffic_incoming: list(params.trafficIncoming),
    traffic_outgoing: list(params.trafficOutgoing),
    has_redef: bool(params.hasRedef),
    comment: bool(params.comment),
    ordering: params.ordering || undefined,
    history_depth: params.historyDepth,
  };
}

/** The asset inventory. */
export class HostsResource extends APIResource {
  /**
   * Hosts, one page (await) or all of them (`for await`, following the cursor).
   * @example
   * const page = await client.hosts.getHosts({ groups: 'HOME_NET', limit: 50 });
   * for await (const host of client.hosts.getHosts({ ordering: '-last_seen' })) console.log(host.id);
   */
  getHosts(params: GetHostsParams = {}, options?: RequestOptions): PagePromise<CursorPage<Host>, Host> {
    return asPagePromise(() =>
      cursorList<Host>(
        this.client,
        { method: 'GET', path: 'hosts', query: hostQuery(params), operation: 'get hosts' },
        { limit: params.limit ?? 100 },
        options,
      ),
    );
  }

  /**
   * All hosts, following the cursor (Python `get_all_hosts`). `max` caps the number collected (default 100000).
   * @example
   * const all = await client.hosts.getAllHosts({ groups: ['HOME_NET'] });
   */
  getAllHosts(params: GetHostsParams & { max?: number } = {}, options?: RequestOptions): Promise<Host[]> {
    const { max = 100_000, ...rest } = params;
    return this.getHosts(rest, options).toArray({ max });
  }

  /**
   * One host.
   * @throws NotFoundError when there is no such host.
   * @example
   * const host = await client.hosts.getHost('h-42', { historyDepth: -1 });
   */
  getHost(id: string | number, params: { historyDepth?: number } = {}, options?: RequestOptions): APIPromise<Host> {
    return asAPIPromise(() =>
      this.client.request<Host>(
        {
          method: 'GET',
          path: path`hosts/${id}`,
          query: { history_depth: params.historyDepth },
          operation: `get host ${id}`,
        },
        options,
      ),
    );
  }
}
