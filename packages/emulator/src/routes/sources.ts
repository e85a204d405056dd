import type { App } from '../app.js';
import { paginate } from '../http/envelope.js';
import { notFound, validationError } from '../http/errors.js';
import { orderItems, searchItems } from '../http/listing.js';
import type { StorageWire } from '../state/storages.js';
import type { TaskOutcome } from '../state/tasks.js';
import type { FlowRecord } from '../store/types.js';
import { extractFiles } from './extract.js';
import { asObject } from './replist-input.js';
import { json, type RequestContext, type RouteSpec, route } from './types.js';

const ORDERING: Record<string, (s: StorageWire) => unknown> = {
  id: (s) => s.id,
  name: (s) => s.name,
  description: (s) => s.description,
  start: (s) => s.start,
  end: (s) => s.end,
  last_import: (s) => s.last_import,
  created: (s) => s.created,
  modified: (s) => s.modified,
  files_count: (s) => s.files_count,
  volume: (s) => s.volume,
  is_live: (s) => s.is_live,
  user__username: (s) => s.username,
};

function list(ctx: RequestContext) {
  const found = searchItems(ctx.app.storages.all(), ctx.query.get('search'), [
    (s) => s.name,
    (s) => s.description,
    (s) => s.username,
  ]);
  return json(200, paginate(orderItems(found, ctx.query.get('ordering'), ORDERING, 'id'), ctx.url));
}

function detail(ctx: RequestContext) {
  return json(200, ctx.app.storages.get(storageId(ctx.params.id ?? '')));
}

function storageId(raw: string): number {
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

/** A parsed `sources/save` or `sources/getfile` body. */
interface FlowSelection {
  flowIds: string[];
  sources: number[];
  start: number | null;
  end: number | null;
}

function parseSelection(body: Record<string, unknown>, errors: Record<string, string[]>): FlowSelection {
  const ids = body.id;
  const flowIds = Array.isArray(ids) ? ids : typeof ids === 'string' ? [ids] : null;
  if (!flowIds || flowIds.length === 0 || !flowIds.every((v) => typeof v === 'string' && v !== '')) {
    errors.id = ['Expected a non-empty list of flow ids (strings).'];
  }
  const rawSources = body.source === undefined ? ['2'] : Array.isArray(body.source) ? body.source : [body.source];
  const sources = rawSources.map((s) =>
    typeof s === 'number' || (typeof s === 'string' && /^\d+$/.test(s)) ? Number(s) : Number.NaN,
  );
  if (sources.length === 0 || sources.some((s) => Number.isNaN(s))) errors.source = ['Expected a list of storage ids.'];
  const time = (name: 'start' | 'end'): number | null => {
    const v = body[name];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      errors[name] = ['Expected epoch milliseconds (an integer).'];
      return null;
    }
    return v;
  };
  return { flowIds: (flowIds ?? []) as string[], sources, start: time('start'), end: time('end') };
}

/** The selected flows found in the selection's storages and time window, plus the ids that were not found. */
export function resolveFlows(app: App, sel: FlowSelection): { flows: FlowRecord[]; missing: string[] } {
  const flows: FlowRecord[] = [];
  const missing: string[] = [];
  // Each source as a membership test: the live storage holds everything, saved ones their id sets.
  const members = sel.sources.flatMap((s) => {
    const storage = app.storages.find(s);
    if (!storage) return [];
    const ids = storage.flowIds === null ? null : new Set(storage.flowIds);
    return [(id: string) => ids === null || ids.has(id)];
  });
  for (const id of sel.flowIds) {
    const flow = app.flowsById.get(id);
    const inSource = flow !== undefined && members.some((has) => has(id));
    const inWindow =
      flow !== undefined &&
      (sel.start === null || flow.end >= sel.start) &&
      (sel.end === null || flow.start <= sel.end);
    if (flow && inSource && inWindow) flows.push(flow);
    else missing.push(id);
  }
  return { flows, missing };
}

async function save(ctx: RequestContext) {
  const body = asObject(await ctx.json());
  const errors: Record<string, string[]> = {};
  const sel = parseSelection(body, errors);
  const rawTarget = body.target;
  const target =
    typeof rawTarget === 'number' || (typeof rawTarget === 'string' && /^\d+$/.test(rawTarget))
      ? Number(rawTarget)
      : null;
  if (target === null) errors.target = ['Expected the id of the storage to save into.'];
  if (Object.keys(errors).length > 0) throw validationError(errors);
  const app = ctx.app;
  const task = app.tasks.create((): TaskOutcome => {
    const storage = app.storages.find(target ?? -1);
    if (!storage) return { ok: false, reason: `Target storage ${target} does not exist.` };
    if (storage.is_live)
      return { ok: false, reason: `Target storage ${target} is the live storage; save into a saved storage.` };
    const { flows, missing } = resolveFlows(app, sel);
    if (flows.length === 0)
      return { ok: false, reason: 'None of the requested flows was found in the source storages.' };
    // A failed state write throws here: the task ends in FAILURE and the storage is unchanged.
    const added = app.saveFlows(storage.id, flows);
    return { ok: true, result: { target: storage.id, saved: flows.length, added, missing } };
  });
  return json(202, task);
}

async function getfile(ctx: RequestContext) {
  const body = asObject(await ctx.json());
  const errors: Record<string, string[]> = {};
  const sel = parseSelection(body, errors);
  const md5 = body.md5 === undefined || body.md5 === null ? null : Array.isArray(body.md5) ? body.md5 : [body.md5];
  if (md5 && !md5.every((m) => typeof m === 'string' && /^[0-9a-f]{32}$/i.test(m))) {
    errors.md5 = ['Expected a list of MD5 hashes (32 hex digits).'];
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  const app = ctx.app;
  const task = app.tasks.create((taskId): TaskOutcome => {
    const { flows, missing } = resolveFlows(app, sel);
    if (flows.length === 0)
      return { ok: false, reason: `Flow ${sel.flowIds.join(', ')} was not found in the source storages.` };
    return extractFiles(flows, md5 as string[] | null, missing, `/api/v2/download/${taskId}.zip`);
  });
  return json(202, task);
}

/** Storages, saving flows into one, and extracting a flow's files. */
export const SOURCE_ROUTES: RouteSpec[] = [
  route('GET', '/api/v2/sources', { summary: 'list storages' }, list),
  route('GET', '/api/v2/sources/:id', { summary: 'storage detail' }, detail),
  route('POST', '/api/v2/sources/save', { write: true, summary: 'copy flows into a saved storage (task)' }, save),
  route('POST', '/api/v2/sources/getfile', { summary: "extract a flow's files into a ZIP (task)" }, getfile),
];
