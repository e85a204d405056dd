/**
 * `ptnad rules list|get|enable|disable|stats|commit|rollback` and `ptnad classes list`.
 */

import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { asRecord, intOption, numericId, strOption } from './input.js';

const RULE_COLUMNS = ['sid', 'vendor', 'enabled', 'cls', 'priority', 'msg'];

/** `ptnad rules list`. */
export async function list(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const client = await ctx.client();
  const max = intOption(opts, 'limit', '--limit') ?? 100;
  const search = strOption(opts, 'search');
  const vendor = strOption(opts, 'vendor');
  const cls = strOption(opts, 'class');
  const enabled = opts.enabled === true ? true : opts.disabled === true ? false : undefined;
  const rules = await client.signatures
    .getRules(
      {
        ...(search ? { search } : {}),
        ...(vendor ? { vendor } : {}),
        ...(cls ? { cls } : {}),
        ...(enabled !== undefined ? { enabled } : {}),
        limit: Math.min(max, 500),
      },
      { signal: ctx.signal },
    )
    .toArray({ max });
  ctx.records(rules.map(asRecord), { columns: RULE_COLUMNS });
  return EXIT.ok;
}

/** `ptnad rules get <sid>`. */
export async function get(ctx: Context, args: unknown[]): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.signatures.getRule(numericId(args[0], 'sid'), { signal: ctx.signal })));
  return EXIT.ok;
}

async function setEnabled(ctx: Context, sids: unknown, enabled: boolean): Promise<number> {
  const ids = (sids as string[]).map((s) => numericId(s, 'sid'));
  const client = await ctx.client();
  const updated = [];
  for (const sid of ids)
    updated.push(asRecord(await client.signatures.updateRule(sid, { enabled }, { signal: ctx.signal })));
  ctx.records(updated, { columns: RULE_COLUMNS });
  ctx.info(`ptnad: ${enabled ? 'enabled' : 'disabled'} ${ids.length} rule(s); run \`ptnad rules commit\` to apply`);
  return EXIT.ok;
}

/** `ptnad rules enable <sid...>` (pending until commit). */
export function enable(ctx: Context, args: unknown[]): Promise<number> {
  return setEnabled(ctx, args[0], true);
}

/** `ptnad rules disable <sid...>` (pending until commit). */
export function disable(ctx: Context, args: unknown[]): Promise<number> {
  return setEnabled(ctx, args[0], false);
}

/** `ptnad rules stats`. */
export async function stats(ctx: Context): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.signatures.getStats({ signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad rules commit`: prints the new package hashsum; a failed commit exits 1 with the server's reasons. */
export async function commit(ctx: Context): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.signatures.applyChanges({ signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad rules rollback`. */
export async function rollback(ctx: Context): Promise<number> {
  const client = await ctx.client();
  await client.signatures.revertChanges({ signal: ctx.signal });
  ctx.info('ptnad: pending rule and group changes discarded');
  return EXIT.ok;
}

/** `ptnad classes list`. */
export async function classes(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const client = await ctx.client();
  const search = strOption(opts, 'search');
  const all = await client.signatures
    .getClasses({ ...(search ? { search } : {}), limit: 500 }, { signal: ctx.signal })
    .toArray({ max: 10_000 });
  ctx.records(all.map(asRecord), { columns: ['name', 'title', 'priority'] });
  return EXIT.ok;
}
