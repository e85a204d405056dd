import { paginate, singlePage } from '../http/envelope.js';
import { notFound, validationError } from '../http/errors.js';
import { orderItems, searchItems } from '../http/listing.js';
import type { ReplistWire } from '../state/replists.js';
import type { ReplistItem } from '../store/types.js';
import {
  checkValue,
  parseAttrs,
  parseBulkDelete,
  parseBulkItems,
  parseContent,
  parseReplistBody,
} from './replist-input.js';
import { json, noContent, type RequestContext, type RouteSpec, route } from './types.js';

const ORDERING: Record<string, (l: ReplistWire) => unknown> = {
  id: (l) => l.id,
  name: (l) => l.name,
  color: (l) => l.color,
  type: (l) => l.type,
  created: (l) => l.created,
  modified: (l) => l.modified,
  items_count: (l) => l.items_count,
  description: (l) => l.description,
  vendor__name: (l) => l.vendor?.name ?? null,
};

function listId(ctx: RequestContext): number {
  const raw = ctx.params.id ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

function list(ctx: RequestContext) {
  const store = ctx.app.replists;
  const all = store.all().map((l) => store.toWire(l, false));
  const found = searchItems(all, ctx.query.get('search'), [(l) => l.name, (l) => l.description, (l) => l.vendor?.name]);
  // GUESS: the real default order is unknown (it varied between runs): id, or shuffled per request (behaviour).
  const ordering = ctx.query.get('ordering');
  const ordered = orderItems(found, ordering, ORDERING, 'id');
  return json(200, paginate(ordering?.trim() ? ordered : ctx.app.behaviour.defaultOrder(ordered), ctx.url));
}

async function create(ctx: RequestContext) {
  const store = ctx.app.replists;
  const changes = parseReplistBody(await ctx.json(), { partial: false, taken: store.taken(null) });
  const { name, type } = changes;
  if (name === undefined || type === undefined) throw notFound(); // unreachable: parse enforces both
  const created = store.create({ ...changes, name, type });
  return json(201, store.toWire(created, true));
}

function detail(ctx: RequestContext) {
  const store = ctx.app.replists;
  return json(200, store.toWire(store.get(listId(ctx)), true));
}

async function update(ctx: RequestContext) {
  const store = ctx.app.replists;
  const list = store.get(listId(ctx));
  const changes = parseReplistBody(await ctx.json(), {
    partial: true,
    taken: store.taken(list.meta.id),
    currentType: list.meta.type,
    ...(list.meta.external_key !== null ? { dynamicContent: [...list.items.keys()].join('\n') } : {}),
  });
  if (changes.type && changes.type !== list.meta.type && !changes.values) {
    // Changing the type must not leave items that the new type rejects.
    const { problems } = parseContent([...list.items.keys()].join('\n'), changes.type);
    if (problems.length > 0)
      throw validationError({ type: [`The list holds items that are not valid for "${changes.type}".`, ...problems] });
  }
  const updated = store.update(list.meta.id, changes);
  return json(200, store.toWire(updated, true));
}

function remove(ctx: RequestContext) {
  ctx.app.replists.remove(listId(ctx));
  return noContent();
}

function stats(ctx: RequestContext) {
  return json(200, ctx.app.replists.stats());
}

const ITEM_ORDERING: Record<string, (i: ReplistItem) => unknown> = {
  value: (i) => i.value,
  modified: (i) => i.modified,
};

function items(ctx: RequestContext) {
  const list = ctx.app.replists.byExternalKey(ctx.params.key ?? '');
  const ordering = ctx.query.get('ordering');
  const ordered = ctx.app.replists.orderedItems(list, ordering ?? '', (all) =>
    orderItems(all, ordering, ITEM_ORDERING, 'value'),
  );
  const shown = ordering?.trim() ? ordered : ctx.app.behaviour.defaultOrder(ordered);
  // GUESS: paged like every DRF list (default), or every item in one answer (behaviour `dynamicItems: 'whole'`).
  return json(200, ctx.app.behaviour.dynamicItems === 'whole' ? singlePage([...shown]) : paginate(shown, ctx.url));
}

async function putItem(ctx: RequestContext) {
  const store = ctx.app.replists;
  const list = store.byExternalKey(ctx.params.key ?? '');
  const value = ctx.params.value ?? '';
  checkValue(list.meta.type, value);
  const attrs = parseAttrs(await ctx.json());
  const { item, created } = store.putItem(list, value, attrs);
  return json(created ? 201 : 200, item);
}

function deleteItem(ctx: RequestContext) {
  const store = ctx.app.replists;
  store.deleteItem(store.byExternalKey(ctx.params.key ?? ''), ctx.params.value ?? '');
  return noContent();
}

async function bulk(ctx: RequestContext) {
  const store = ctx.app.replists;
  const list = store.byExternalKey(ctx.params.key ?? '');
  const parsed = parseBulkItems(await ctx.json(), list.meta.type);
  const added = store.putMany(list, parsed);
  return json(200, { added, updated: parsed.length - added, items_count: list.items.size });
}

async function bulkDelete(ctx: RequestContext) {
  const store = ctx.app.replists;
  const list = store.byExternalKey(ctx.params.key ?? '');
  store.deleteMany(list, parseBulkDelete(await ctx.json()));
  return noContent();
}

const W = { write: true } as const;

/** Reputation lists and the items of dynamic lists (addressed by `external_key`). */
export const REPLIST_ROUTES: RouteSpec[] = [
  route('GET', '/api/v2/replists', { summary: 'list reputation lists' }, list),
  route('POST', '/api/v2/replists', { ...W, summary: 'create a list (201)' }, create),
  route('GET', '/api/v2/replists/stats', { summary: 'list statistics' }, stats),
  route('GET', '/api/v2/replists/:id', { summary: 'list detail with content' }, detail),
  route('PATCH', '/api/v2/replists/:id', { ...W, summary: 'partial update' }, update),
  route('DELETE', '/api/v2/replists/:id', { ...W, summary: 'delete a list (204)' }, remove),
  route('GET', '/api/v2/replists/dynamic/:key', { summary: 'items of a dynamic list' }, items),
  route('POST', '/api/v2/replists/dynamic/:key/_bulk', { ...W, summary: 'add many items (200)' }, bulk),
  route('POST', '/api/v2/replists/dynamic/:key/_delete', { ...W, summary: 'delete many items (204)' }, bulkDelete),
  route('POST', '/api/v2/replists/dynamic/:key/:value', { ...W, summary: 'add or update one item (201/200)' }, putItem),
  route('DELETE', '/api/v2/replists/dynamic/:key/:value', { ...W, summary: 'delete one item (204)' }, deleteItem),
];
