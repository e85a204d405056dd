import { BqlEngineError, compileFilter, executeBqlJsonAsync, type FlowTable } from '../engine/index.js';
import { mediaType, unsupportedMediaType } from '../http/body.js';
import { HttpError, notFound, validationError } from '../http/errors.js';
import { asObject } from './replist-input.js';
import { json, type RequestContext, type RouteSpec, route } from './types.js';

/** The live storage, queried when a request names no `source` (as the real clients default). */
export const LIVE_SOURCE = 2;

/** Resolves `?source=` to its flows: 400 for a non-integer, 404 for an unknown storage. */
export function sourceFlows(ctx: RequestContext): { id: number; flows: FlowTable } {
  const raw = ctx.query.get('source') ?? String(LIVE_SOURCE);
  if (!/^\d+$/.test(raw))
    throw new HttpError(400, { error: `source must be a storage id (an integer), got "${raw}".` });
  const id = Number(raw);
  const flows = ctx.app.storages.tableOf(id);
  if (!flows) throw notFound(`Source ${id} does not exist.`);
  return { id, flows };
}

async function runBql(ctx: RequestContext) {
  const type = mediaType(ctx.req);
  // BQL is raw text; a missing Content-Type is tolerated, anything else is the caller's mistake.
  if (type !== '' && type !== 'text/plain') throw unsupportedMediaType(type);
  const { flows } = sourceFlows(ctx);
  const text = await ctx.text();
  if (text.trim() === '') throw new HttpError(400, { error: 'The query is empty: send BQL text as the body.' });
  try {
    // Paced: the event loop runs between slices, so other clients (monitoring/status) are answered meanwhile.
    // The answer comes back as JSON text, written row by row (`{"result", "took", "total"}`).
    const body = await executeBqlJsonAsync(text, {
      flows,
      now: new Date(ctx.app.dataset.now),
      budgetMs: ctx.app.queryBudgetMs,
    });
    return { status: 200, json: body };
  } catch (err) {
    if (err instanceof BqlEngineError) throw new HttpError(400, { error: err.message });
    throw err;
  }
}

async function compile(ctx: RequestContext) {
  const body = asObject(await ctx.json());
  const filter = body.user_filter;
  if (filter === undefined || filter === null) throw validationError({ user_filter: ['This field is required.'] });
  if (typeof filter !== 'string') throw validationError({ user_filter: ['Not a valid string.'] });
  try {
    return json(200, { compiled_filter: compileFilter(filter) });
  } catch (err) {
    if (err instanceof BqlEngineError) throw new HttpError(400, { error: err.message });
    throw err;
  }
}

/** `bql` and `filters/compile`. */
export const BQL_ROUTES: RouteSpec[] = [
  route('POST', '/api/v2/bql', { summary: 'run a BQL query (text/plain body, ?source=)' }, runBql),
  route('POST', '/api/v2/filters/compile', { summary: 'UI filter -> canonical BQL fragment' }, compile),
];
