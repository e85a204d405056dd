/**
 * `ptnad groups list|get|create|update|delete` (IP and port groups such as HOME_NET).
 */

import { type Command, Option } from 'commander';
import { handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { asRecord, numericId } from '../input.js';
import { collect, type ListFlags, pagingFlags } from '../listing.js';

const GROUP_COLUMNS = ['id', 'name', 'type', 'comment', 'value'];

/** Options of `ptnad groups list`. */
export interface GroupsListOptions extends ListFlags {
  search?: string;
}
/** Options of `ptnad groups create`. */
export interface GroupsCreateOptions {
  name: string;
  type: 'ip' | 'port';
  value?: string;
  comment?: string;
}
/** Options of `ptnad groups update`. */
export interface GroupsUpdateOptions {
  value?: string;
  comment?: string;
}

/** Declares `ptnad groups ...`. */
export function register(program: Command, runner: Runner): void {
  const groups = program.command('groups');
  pagingFlags(groups.command('list').description('list groups'), 500)
    .option('--search <text>', 'match name, value or comment')
    .action(handler(runner, list));
  groups.command('get').description('one group').argument('<id>').action(handler(runner, get));
  groups
    .command('create')
    .description('create a group')
    .requiredOption('--name <name>')
    .addOption(new Option('--type <type>').choices(['ip', 'port']).default('ip'))
    .option('--value <value>', 'e.g. "[10.0.0.0/8,192.168.0.0/16]" or "[80,443]"')
    .option('--comment <text>')
    .action(handler(runner, create));
  groups
    .command('update')
    .description('change the value or comment of a group')
    .argument('<id>')
    .option('--value <value>')
    .option('--comment <text>')
    .action(handler(runner, update));
  groups.command('delete').description('delete a group').argument('<id>').action(handler(runner, remove));
}

/** `ptnad groups list`. */
export async function list(ctx: Context, opts: GroupsListOptions): Promise<number> {
  const client = await ctx.client();
  const search = opts.search;
  const groups = await collect(
    ctx,
    opts,
    (p) => client.variables.getGroups({ ...(search ? { search } : {}), ...p }, { signal: ctx.signal }),
    { pageMax: 500 },
  );
  ctx.records(groups.map(asRecord), { columns: GROUP_COLUMNS });
  return EXIT.ok;
}

/** `ptnad groups get <id>`. */
export async function get(ctx: Context, _opts: unknown, id: string): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.variables.getGroup(numericId(id, 'group id'), { signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad groups create`. */
export async function create(ctx: Context, opts: GroupsCreateOptions): Promise<number> {
  const client = await ctx.client();
  const { value, comment } = opts;
  const created = await client.variables.createGroup(
    {
      name: opts.name,
      type: opts.type,
      ...(value !== undefined ? { value } : {}),
      ...(comment !== undefined ? { comment } : {}),
    },
    { signal: ctx.signal },
  );
  ctx.object(asRecord(created));
  ctx.info('ptnad: group changes take effect after `ptnad rules commit`');
  return EXIT.ok;
}

/** `ptnad groups update <id> [--value V] [--comment C]`. */
export async function update(ctx: Context, opts: GroupsUpdateOptions, arg: string): Promise<number> {
  const id = numericId(arg, 'group id');
  const { value, comment } = opts;
  if (value === undefined && comment === undefined)
    throw new UsageError('nothing to update', 'pass --value or --comment');
  const client = await ctx.client();
  const updated = await client.variables.updateGroup(
    id,
    { ...(value !== undefined ? { value } : {}), ...(comment !== undefined ? { comment } : {}) },
    { signal: ctx.signal },
  );
  ctx.object(asRecord(updated));
  return EXIT.ok;
}

/** `ptnad groups delete <id>`: says whether a commit is needed. */
export async function remove(ctx: Context, _opts: unknown, arg: string): Promise<number> {
  const id = numericId(arg, 'group id');
  const client = await ctx.client();
  const commitRequired = await client.variables.deleteGroup(id, { signal: ctx.signal });
  ctx.info(
    `ptnad: deleted group ${id}${commitRequired ? '; run `ptnad rules commit` to apply' : ' (no commit needed)'}`,
  );
  return EXIT.ok;
}
