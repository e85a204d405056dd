import { cursorPage, requestCursor } from '../http/cursor.js';
import { intParam } from '../http/envelope.js';
import { fieldError, notFound } from '../http/errors.js';
import { boolParam, listParam, orderItems } from '../http/listing.js';
import { ipSortKey } from '../lib/indicators.js';
import type { HostRecord } from '../store/types.js';
import { json, type RequestContext, type RouteSpec, route } from './types.js';

const ORDERING: Record<string, (h: HostRecord) => unknown> = {
  id: (h) => Number(h.id),
  ip: (h) => ipSortKey(h.ip[0]?.ip),
  first_seen: (h) => h.first_seen,
  last_seen: (h) => h.last_seen,
  has_redef: (h) => h.has_redef,
  hostname: (h) => h.hostname,
  comment: (h) => h.comment,
};
const DEFAULT_ORDERING = '-last_seen,-id';

const has = (values: string[], candidates: Array<string | number | null | undefined>) =>
  values.some((v) =>
    candidates.some((c) => c !== null && c !== undefined && String(c).toLowerCase().includes(v.toLowerCase())),
  );

/** Applies the §4.11 filters; list values are OR-ed, different keys AND-ed. */
function filterHosts(hosts: readonly HostRecord[], q: URLSearchParams): HostRecord[] {
  const ids = listParam(q, 'id').map((v) => {
    if (!/^\d+$/.test(v)) throw fieldError('id', `Expected host ids, got "${v}".`);
    return String(Number(v));
  });
  const host = listParam(q, 'host');
  const type = listParam(q, 'type');
  const role = listParam(q, 'role');
  const groups = listParam(q, 'groups');
  const incoming = listParam(q, 'traffic_incoming');
  const outgoing = listParam(q, 'traffic_outgoing');
  const hasRedef = boolParam(q, 'has_redef');
  const hasComment = boolParam(q, 'comment');
  return hosts.filter(
    (h) =>
      (ids.length === 0 || ids.includes(h.id)) &&
      (host.length === 0 ||
        has(host, [String(h.id), h.hostname, h.user_hostname, ...h.ip.map((i) => i.ip), ...h.dns.map((d) => d.dns)])) &&
      (type.length === 0 || has(type, [h.type, h.user_type])) &&
      (role.length === 0 || has(role, h.roles)) &&
      (groups.length === 0 || has(groups, h.groups)) &&
      (incoming.length === 0 ||
        has(
          incoming,
          h.server_services.flatMap((s) => [s.protocol, s.port, s.banner]),
        )) &&
      (outgoing.length === 0 ||
        has(
          outgoing,
          h.client_services.flatMap((s) => [s.protocol, s.banner]),
        )) &&
      (hasRedef === null || h.has_redef === hasRedef) &&
      (hasComment === null || (h.comment !== null && h.comment !== '') === hasComment),
  );
}

/** Keeps the newest `depth` entries of every history list (`-1` keeps all), newest first. */
function withHistory(h: HostRecord, depth: number): HostRecord {
  const cut = <T extends { last_seen: string }>(items: T[]): T[] => {
    const sorted = [...items].sort((a, b) => (a.last_seen < b.last_seen ? 1 : a.last_seen > b.last_seen ? -1 : 0));
    return depth < 0 ? sorted : sorted.slice(0, depth);
  };
  return {
    ...h,
    ip: cut(h.ip),
    dns: cut(h.dns),
    os: cut(h.os),
    server_services: cut(h.server_services),
    client_services: cut(h.client_services),
    credentials: cut(h.credentials),
  };
}

function historyDepth(q: URLSearchParams): number {
  return intParam(q, 'history_depth', 5, -1);
}

/**
 * The first page is limit/offset (with `count`); `next` then carries an opaque `cursor` (reference §4.11, §5).
 * Cursor pages have no `count`, like DRF's CursorPagination.
 */
function list(ctx: RequestContext) {
  const q = ctx.query;
  const position = requestCursor(q);
  const ordering = position?.ordering ?? (q.get('ordering') || DEFAULT_ORDERING);
  const hosts = orderItems(filterHosts(ctx.app.dataset.hosts, q), ordering, ORDERING, DEFAULT_ORDERING);
  const page = cursorPage(hosts, ctx.url, ordering, position);
  const depth = historyDepth(q);
  return json(200, { ...page, results: page.results.map((h) => withHistory(h, depth)) });
}

function detail(ctx: RequestContext) {
  const raw = ctx.params.id ?? '';
  const host = /^\d+$/.test(raw) ? ctx.app.dataset.hosts.find((h) => h.id === String(Number(raw))) : undefined;
  if (!host) throw notFound();
  return json(200, withHistory(host, historyDepth(ctx.query)));
}

/** The asset inventory. */
export const HOST_ROUTES: RouteSpec[] = [
  route('GET', '/api/v2/hosts', { summary: 'hosts (offset first page, then cursor)' }, list),
  route('GET', '/api/v2/hosts/:id', { summary: 'one host (?history_depth=N)' }, detail),
];
