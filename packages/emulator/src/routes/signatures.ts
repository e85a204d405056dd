import { paginate } from '../http/envelope.js';
import { type FieldErrors, HttpError, notFound, validationError } from '../http/errors.js';
import { orderItems, searchItems } from '../http/listing.js';
import { commitChanges } from '../state/commit.js';
import type { RulePatch, RuleWire } from '../state/rules.js';
import type { ClassRecord } from '../store/types.js';
import { asObject } from './replist-input.js';
import { collectRuleFilters, rulePredicate } from './rule-filter.js';
import { json, type RequestContext, type RouteSpec, route } from './types.js';

const CLASS_ORDERING: Record<string, (c: ClassRecord) => unknown> = {
  name: (c) => c.name,
  title: (c) => c.title,
  priority: (c) => c.priority,
};

function classes(ctx: RequestContext) {
  const q = ctx.query;
  let found = searchItems(ctx.app.dataset.classes, q.get('search'), [(c) => c.name, (c) => c.title]);
  for (const key of ['name', 'title', 'priority'] as const) {
    const want = q.get(key);
    if (want !== null && want !== '') found = found.filter((c) => String(c[key]).toLowerCase() === want.toLowerCase());
  }
  // Without `ordering` the classes keep the appliance's order (classification.config, as a real one lists them).
  return json(200, paginate(orderItems(found, q.get('ordering'), CLASS_ORDERING, ''), ctx.url));
}

const RULE_ORDERING: Record<string, (r: RuleWire) => unknown> = {
  sid: (r) => r.sid,
  msg: (r) => r.msg,
  vendor: (r) => r.vendor,
  priority: (r) => r.priority,
  cls: (r) => r.cls,
  enabled: (r) => r.enabled,
  action: (r) => r.action,
  created: (r) => r.created,
  modified: (r) => r.modified,
  rev: (r) => r.rev,
};

async function rules(ctx: RequestContext) {
  // A JSON body on a GET carries the filters (UP); the same keys also work as query parameters.
  const filters = collectRuleFilters(ctx.query, await ctx.json());
  const predicate = rulePredicate(filters, ctx.app.variables);
  const all = ctx.app.rules.all().filter(predicate);
  const found = searchItems(all, ctx.query.get('search'), [(r) => r.msg, (r) => r.sid, (r) => r.cls]);
  return json(200, paginate(orderItems(found, ctx.query.get('ordering'), RULE_ORDERING, 'sid'), ctx.url));
}

function sidParam(ctx: RequestContext): number {
  const raw = ctx.params.sid ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

function rule(ctx: RequestContext) {
  return json(200, ctx.app.rules.get(sidParam(ctx)));
}

const ACTIONS = ['alert', 'drop', 'pass', 'reject'];

async function patchRule(ctx: RequestContext) {
  const sid = sidParam(ctx);
  ctx.app.rules.get(sid);
  const body = asObject(await ctx.json());
  const patch: RulePatch = {};
  const errors: FieldErrors = {};
  if (body.enabled !== undefined) {
    if (typeof body.enabled !== 'boolean') errors.enabled = ['Must be a valid boolean.'];
    else patch.enabled = body.enabled;
  }
  if (body.action !== undefined) {
    if (typeof body.action !== 'string' || !ACTIONS.includes(body.action)) {
      errors.action = [`"${String(body.action)}" is not a valid choice (${ACTIONS.join(', ')}).`];
    } else patch.action = body.action as RulePatch['action'];
  }
  if (body.msg !== undefined) {
    if (typeof body.msg !== 'string' || body.msg.trim() === '') errors.msg = ['This field may not be blank.'];
    else patch.msg = body.msg;
  }
  if (body.priority !== undefined) {
    if (
      typeof body.priority !== 'number' ||
      !Number.isInteger(body.priority) ||
      body.priority < 1 ||
      body.priority > 4
    ) {
      errors.priority = ['Ensure this value is an integer from 1 to 4.'];
    } else patch.priority = body.priority;
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  if (Object.keys(patch).length === 0) {
    throw validationError({ non_field_errors: ['Nothing to change: send enabled, action, msg or priority.'] });
  }
  const updated = ctx.app.changeConfig(() => ctx.app.rules.patch(sid, patch));
  return json(200, updated);
}

function stats(ctx: RequestContext) {
  const all = ctx.app.rules.all();
  const byVendor: Record<string, number> = {};
  for (const r of all) byVendor[r.vendor] = (byVendor[r.vendor] ?? 0) + 1;
  return json(200, {
    total: all.length,
    enabled: all.filter((r) => r.enabled).length,
    disabled: all.filter((r) => !r.enabled).length,
    by_vendor: byVendor,
    pending_changes: ctx.app.rules.pendingCount() + (ctx.app.variables.hasPending() ? 1 : 0),
    hashsum: ctx.app.hashsum,
  });
}

function commit(ctx: RequestContext) {
  const app = ctx.app;
  const outcome = app.changeConfig(() => {
    const result = commitChanges(app.dataset.seed, app.rules, app.variables);
    if (result.ok) app.hashsum = result.hashsum;
    return result;
  });
  if (!outcome.ok) {
    // GUESS: the failure status is unknown; 400 says "your pending change is invalid" and keeps it pending.
    throw new HttpError(400, { fatal_error: outcome.fatal_error, other_errors: outcome.other_errors });
  }
  return json(200, { hashsum: outcome.hashsum });
}

function rollback(ctx: RequestContext) {
  ctx.app.changeConfig(() => {
    ctx.app.rules.rollback();
    ctx.app.variables.rollback();
  });
  return json(200, { detail: 'Pending changes discarded.', hashsum: ctx.app.hashsum });
}

const W = { write: true } as const;

/** Signature classes, rules, their statistics, commit and rollback. */
export const SIGNATURE_ROUTES: RouteSpec[] = [
  route('GET', '/api/v2/signatures/classes', { summary: 'rule classes' }, classes),
  route('GET', '/api/v2/signatures/rules', { summary: 'rules (filters in query or JSON body)' }, rules),
  route('GET', '/api/v2/signatures/rules/:sid', { summary: 'one rule' }, rule),
  route('PATCH', '/api/v2/signatures/rules/:sid', { ...W, summary: 'change a rule (pending until commit)' }, patchRule),
  route('GET', '/api/v2/signatures/stats', { summary: 'rule statistics' }, stats),
  route('POST', '/api/v2/signatures/commit', { ...W, summary: 'apply pending changes' }, commit),
  route('POST', '/api/v2/signatures/rollback', { ...W, summary: 'discard pending changes' }, rollback),
];
