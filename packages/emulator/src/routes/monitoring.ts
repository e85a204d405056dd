import type { TriggerRecord } from '../store/types.js';
import { json, type RequestContext, type RouteSpec, route } from './types.js';

// GUESS: "unknown" ranks between green and yellow: it is worse than healthy but not a known problem.
const SEVERITY: Record<TriggerRecord['status'], number> = { green: 0, unknown: 1, yellow: 2, red: 3 };

/** Overall status = the worst trigger colour; problems = every non-green trigger's template and vars. */
export function renderStatus(triggers: readonly TriggerRecord[]) {
  let status: TriggerRecord['status'] = 'green';
  const problems = [];
  for (const t of triggers) {
    if (SEVERITY[t.status] > SEVERITY[status]) status = t.status;
    if (t.status !== 'green') problems.push({ status: t.status, template: t.template, vars: t.vars });
  }
  return { status, problems };
}

function status(ctx: RequestContext) {
  return json(200, renderStatus(ctx.app.dataset.triggers));
}

function triggers(ctx: RequestContext) {
  return json(200, { results: ctx.app.dataset.triggers });
}

/** `monitoring/status` and `monitoring/triggers`. */
export const MONITORING_ROUTES: RouteSpec[] = [
  route('GET', '/api/v2/monitoring/status', { summary: 'overall health and problems' }, status),
  route('GET', '/api/v2/monitoring/triggers', { summary: 'health triggers' }, triggers),
];
