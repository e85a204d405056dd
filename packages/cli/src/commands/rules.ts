/**
 * `ptnad rules list|get|enable|disable|stats|commit|rollback`.
 */

import { type Command, Option } from 'commander';
import { handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { asRecord, numericId } from '../input.js';
import { collect, type ListFlags, pagingFlags } from '../listing.js';

const RULE_COLUMNS = ['sid', 'vendor', 'enabled', 'cls', 'priority', 'msg'];

/** Options of `ptnad rules list`. */
export interface RulesListOptions extends ListFlags {
  search?: string;
  vendor?: string;
  class?: string;
  enabled?: boolean;
  disabled?: boolean;
  pending?: boolean;
}

/** Declares `ptnad rules ...`. */
export function register(program: Command, runner: Runner): void {
  const rules = program.command('rules');
  pagingFlags(rules.command('list').description('list rules'), 100)
    .option('--search <text>', 'full-text search')
    .option('--vendor <name>', 'ETOpen or PTSecurity')
    .option('--class <name>', 'rule class name')
    .addOption(new Option('--enabled', 'only enabled rules').conflicts('disabled'))
    .option('--disabled', 'only disabled rules')
    .option('--pending', 'only rules with changes not yet committed (added, updated or removed; PT NAD 12.2+)')
    .action(handler(runner, list));
  rules.command('get').description('one rule').argument('<sid>').action(handler(runner, get));
  rules
    .command('enable')
    .description('enable rules (pending until `ptnad rules commit`)')
    .argument('<sid...>')
    .action(handler(runner, (ctx, _o: unknown, sids: string[]) => setEnabled(ctx, sids, true)));
  rules
    .command('disable')
    .description('disable rules (pending until `ptnad rules commit`)')
    .argument('<sid...>')
    .action(handler(runner, (ctx, _o: unknown, sids: string[]) => setEnabled(ctx, sids, false)));
  rules.command('stats').description('rule statistics').action(handler(runner, stats));
  rules
    .command('commit')
    .description('apply pending rule and group changes to the sensors')
    .action(handler(runner, commit));
  rules.command('rollback').description('discard pending rule and group changes').action(handler(runner, rollback));
}

/** `ptnad rules list`. */
export async function list(ctx: Context, opts: RulesListOptions): Promise<number> {
  const client = await ctx.client();
  const enabled = opts.enabled === true ? true : opts.disabled === true ? false : undefined;
  const filters = {
    ...(opts.search ? { search: opts.search } : {}),
    ...(opts.vendor ? { vendor: opts.vendor } : {}),
    ...(opts.class ? { cls: opts.class } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
    ...(opts.pending ? { diff: ['+', '*', '-'] as Array<'+' | '*' | '-'> } : {}),
  };
  const rules = await collect(
    ctx,
    opts,
    (p) => client.signatures.getRules({ ...filters, ...p }, { signal: ctx.signal }),
    { pageMax: 500 },
  );
  ctx.records(rules.map(asRecord), {
    columns: opts.pending ? [...RULE_COLUMNS.slice(0, 1), 'diff', ...RULE_COLUMNS.slice(1)] : RULE_COLUMNS,
  });
  return EXIT.ok;
}

/** `ptnad rules get <sid>`. */
export async function get(ctx: Context, _opts: unknown, sid: string): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.signatures.getRule(numericId(sid, 'sid'), { signal: ctx.signal })));
  return EXIT.ok;
}

async function setEnabled(ctx: Context, sids: string[], enabled: boolean): Promise<number> {
  const ids = sids.map((s) => numericId(s, 'sid'));
  const client = await ctx.client();
  const updated = [];
  for (const sid of ids) {
    updated.push(asRecord(await client.signatures.updateRule(sid, { enabled }, { signal: ctx.signal })));
  }
  ctx.records(updated, { columns: RULE_COLUMNS });
  ctx.info(`ptnad: ${enabled ? 'enabled' : 'disabled'} ${ids.length} rule(s); run \`ptnad rules commit\` to apply`);
  return EXIT.ok;
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
