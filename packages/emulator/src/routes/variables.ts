import { paginate } from '../http/envelope.js';
import { type FieldErrors, notFound, validationError } from '../http/errors.js';
import { orderItems, searchItems } from '../http/listing.js';
import type { VariableRecord } from '../store/types.js';
import { asObject } from './replist-input.js';
import { json, noContent, type RequestContext, type RouteSpec, route } from './types.js';

const ORDERING: Record<string, (v: VariableRecord) => unknown> = {
  id: (v) => v.id,
  name: (v) => v.name,
  type: (v) => v.type,
  value: (v) => v.value,
  created: (v) => v.created,
  modified: (v) => v.modified,
};

function varId(ctx: RequestContext): number {
  const raw = ctx.params.id ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

function list(ctx: RequestContext) {
  const found = searchItems(ctx.app.variables.all(), ctx.query.get('search'), [
    (v) => v.name,
    (v) => v.value,
    (v) => v.comment,
  ]);
  return json(200, paginate(orderItems(found, ctx.query.get('ordering'), ORDERING, 'id'), ctx.url));
}

function stringField(body: Record<string, unknown>, key: string, errors: FieldErrors): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    errors[key] = ['Not a valid string.'];
    return undefined;
  }
  return v;
}

async function create(ctx: RequestContext) {
  const body = asObject(await ctx.json());
  const errors: FieldErrors = {};
  const name = stringField(body, 'name', errors);
  if (name === undefined && !errors.name) errors.name = ['This field is required.'];
  else if (name !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    errors.name = ['Use letters, digits and underscores, starting with a letter (e.g. HOME_NET).'];
  } else if (name !== undefined && ctx.app.variables.byName(name))
    errors.name = ['variable with this name already exists.'];
  const type = body.type ?? 'ip';
  if (type !== 'ip' && type !== 'port') errors.type = [`"${String(type)}" is not a valid choice (ip, port).`];
  // The value is checked at commit time (as the real server does), so an invalid one stays pending and fails there.
  const value = stringField(body, 'value', errors) ?? '';
  const comment = stringField(body, 'comment', errors) ?? '';
  if (Object.keys(errors).length > 0 || name === undefined) throw validationError(errors);
  const created = ctx.app.changeConfig(() =>
    ctx.app.variables.create({ name, type: type as VariableRecord['type'], value, comment }),
  );
  return json(201, created);
}

function detail(ctx: RequestContext) {
  return json(200, ctx.app.variables.get(varId(ctx)));
}

async function update(ctx: RequestContext) {
  const id = varId(ctx);
  ctx.app.variables.get(id);
  const body = asObject(await ctx.json());
  const errors: FieldErrors = {};
  const value = stringField(body, 'value', errors);
  const comment = stringField(body, 'comment', errors);
  if (Object.keys(errors).length > 0) throw validationError(errors);
  if (value === undefined && comment === undefined) {
    throw validationError({ non_field_errors: ['Send "value" and/or "comment".'] });
  }
  const changes: Partial<Pick<VariableRecord, 'value' | 'comment'>> = {};
  if (value !== undefined) changes.value = value;
  if (comment !== undefined) changes.comment = comment;
  const updated = ctx.app.changeConfig(() => ctx.app.variables.update(id, changes));
  return json(200, updated);
}

function remove(ctx: RequestContext) {
  const id = varId(ctx);
  const commitRequired = ctx.app.changeConfig(() => ctx.app.variables.remove(id));
  // GUESS (§4.9): 204 when nothing needs committing, 200 {"commit_required": true} when a commit must apply it.
  return commitRequired ? json(200, { commit_required: true }) : noContent();
}

function stats(ctx: RequestContext) {
  return json(200, ctx.app.variables.stats());
}

const W = { write: true } as const;

/** IP and port groups (pending until `signatures/commit`). */
export const VARIABLE_ROUTES: RouteSpec[] = [
  route('GET', '/api/v2/variables', { summary: 'IP/port groups' }, list),
  route('POST', '/api/v2/variables', { ...W, summary: 'create a group (pending)' }, create),
  route('GET', '/api/v2/variables/stats', { summary: 'group statistics' }, stats),
  route('GET', '/api/v2/variables/:id', { summary: 'group detail' }, detail),
  route('PATCH', '/api/v2/variables/:id', { ...W, summary: 'change value/comment (pending)' }, update),
  route('DELETE', '/api/v2/variables/:id', { ...W, summary: 'delete a group (204 or 200 commit_required)' }, remove),
];
