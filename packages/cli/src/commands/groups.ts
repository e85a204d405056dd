/**
 * `ptnad groups list|get|create|update|delete` (IP and port groups such as HOME_NET).
 */

import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { asRecord, numericId, strOption } from './input.js';

const GROUP_COLUMNS = ['id', 'name', 'type', 'comment', 'value'];

/** `ptnad groups list`. */
export async function list(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const client = await ctx.client();
  const search = strOption(opts, 'search');
  const groups = await client.variables
    .getGroups({ ...(search ? { search } : {}), limit: 500 }, { signal: ctx.signal })
    .toArray({ max: 100_000 });
  ctx.records(groups.map(asRecord), { columns: GROUP_COLUMNS });
  return EXIT.ok;
}

/** `ptnad groups get <id>`. */
export async function get(ctx: Context, args: unknown[]): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.variables.getGroup(numericId(args[0], 'group id'), { signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad groups create`. */
export async function create(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const client = await ctx.client();
  const value = strOption(opts, 'value');
  const comment = strOption(opts, 'comment');
  const created = await client.variables.createGroup(
    {
      name: strOption(opts, 'name') ?? '',
      type: strOption(opts, 'type') === 'port' ? 'port' : 'ip',
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
export async function update(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const id = numericId(args[0], 'group id');
  const value = strOption(opts, 'value');
  const comment = strOption(opts, 'comment');
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
export async function remove(ctx: Context, args: unknown[]): Promise<number> {
  const id = numericId(args[0], 'group id');
  const client = await ctx.client();
  const commitRequired = await client.variables.deleteGroup(id, { signal: ctx.signal });
  ctx.info(
    `ptnad: deleted group ${id}${commitRequired ? '; run `ptnad rules commit` to apply' : ' (no commit needed)'}`,
  );
  return EXIT.ok;
}
