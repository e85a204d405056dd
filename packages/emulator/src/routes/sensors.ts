import { singlePage } from '../http/envelope.js';
import { notFound } from '../http/errors.js';
import type { SensorRecord } from '../store/types.js';
import { json, type RequestContext, type RouteSpec, route } from './types.js';

/** A sensor as served: after a commit it reports the committed package's hash. */
function view(ctx: RequestContext, s: SensorRecord): SensorRecord {
  return { ...s, rules_hashsum: ctx.app.hashsum };
}

function list(ctx: RequestContext) {
  return json(200, singlePage(ctx.app.dataset.sensors.map((s) => view(ctx, s))));
}

function detail(ctx: RequestContext) {
  const raw = ctx.params.id ?? '';
  const sensor = /^\d+$/.test(raw) ? ctx.app.dataset.sensors.find((s) => s.id === Number(raw)) : undefined;
  if (!sensor) throw notFound();
  return json(200, view(ctx, sensor));
}

/** ptdpi sensor modules. */
export const SENSOR_ROUTES: RouteSpec[] = [
  route('GET', '/api/v2/sensors', { summary: 'sensor modules' }, list),
  route('GET', '/api/v2/sensors/:id', { summary: 'one sensor module' }, detail),
];
