import { alertDetail, flowDetail } from '../engine/index.js';
import { HttpError, notFound } from '../http/errors.js';
import type { FlowRecord } from '../store/types.js';
import { LIVE_SOURCE } from './bql.js';
import { json, type RequestContext, type RouteSpec, route } from './types.js';

function msParam(ctx: RequestContext, name: string): number | null {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return null;
  if (!/^\d+$/.test(raw)) throw new HttpError(400, { [name]: [`Expected epoch milliseconds, got "${raw}".`] });
  return Number(raw);
}

/**
 * Finds a flow the way the real search does: inside the `source` storage (default live) and, when `start`/`end`
 * are given, overlapping that window. Anything else is 404.
 */
function findFlow(ctx: RequestContext): FlowRecord {
  const start = msParam(ctx, 'start');
  const end = msParam(ctx, 'end');
  const rawSource = ctx.query.get('source') ?? String(LIVE_SOURCE);
  if (!/^\d+$/.test(rawSource)) throw new HttpError(400, { source: [`Expected a storage id, got "${rawSource}".`] });
  const storage = ctx.app.storages.find(Number(rawSource));
  if (!storage) throw notFound(`Source ${rawSource} does not exist.`);
  const flow = ctx.app.flowsById.get(ctx.params.flowId ?? '');
  if (!flow) throw notFound();
  if (storage.flowIds !== null && !storage.flowIds.includes(flow.id)) throw notFound();
  if (start !== null && flow.end < start) throw notFound();
  if (end !== null && flow.start > end) throw notFound();
  return flow;
}

function getFlow(ctx: RequestContext) {
  return json(200, flowDetail(findFlow(ctx)));
}

function getAlert(ctx: RequestContext) {
  const flow = findFlow(ctx);
  const alert = flow.alert.find((a) => a.id === ctx.params.alertId);
  if (!alert) throw notFound();
  return json(200, alertDetail(flow, alert));
}

/** Flow (session) detail and alert detail. */
export const FLOW_ROUTES: RouteSpec[] = [
  route('GET', '/api/v2/flow/:flowId', { summary: 'flow (session) detail' }, getFlow),
  route('GET', '/api/v2/flow/:flowId/alert/:alertId', { summary: 'alert detail with payload and rule' }, getAlert),
];
