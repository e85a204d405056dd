/**
 * `ptnad replists list|get|create|update|delete|stats` and `ptnad replists items list|add|remove`.
 */

import type { PTNADClient } from 'ptnad-client';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { type IndicatorType, indicatorError, parseFeed } from '../indicators.js';
import { asRecord, intOption, numericId, readTextFile, strOption } from './input.js';

const LIST_COLUMNS = ['id', 'name', 'type', 'color', 'external_key', 'items_count', 'description', 'modified'];

/** The dynamic list with this external key, or a usage error naming the key. */
export async function findDynamicList(
  ctx: Context,
  client: PTNADClient,
  key: string,
): Promise<{ id: number; type: IndicatorType; name: string }> {
  for await (const list of client.replists.getLists({ limit: 500 }, { signal: ctx.signal })) {
    if (list.external_key === key) {
      const type = String(list.type);
      if (type !== 'ip' && type !== 'dn' && type !== 'uri' && type !== 'md5') {
        throw new UsageError(`list "${list.name}" has an unknown type "${type}"`);
      }
      return { id: list.id, type, name: list.name };
    }
  }
  throw new UsageError(
    `no dynamic list with external key "${key}"`,
    'create one with `ptnad replists create --name N --type ip --external-key KEY`',
  );
}

async function contentOption(ctx: Context, opts: Record<string, unknown>, type: string | undefined) {
  const file = strOption(opts, 'contentFile');
  if (file === undefined) return undefined;
  const text = await readTextFile(ctx, file, 'content file');
  const lines = parseFeed(text, (type ?? 'uri') as IndicatorType);
  const bad = type ? lines.filter((l) => l.error !== null) : [];
  if (bad.length > 0) {
    const shown = bad.slice(0, 10).map((l) => `line ${l.line}: "${l.value}": ${l.error}`);
    throw new UsageError(`${file} has ${bad.length} invalid indicator(s) for type ${type}:\n  ${shown.join('\n  ')}`);
  }
  return lines.map((l) => l.value);
}

/** `ptnad replists list`. */
export async function list(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const client = await ctx.client();
  const max = intOption(opts, 'limit', '--limit') ?? 100;
  const search = strOption(opts, 'search');
  const lists = await client.replists
    .getLists({ ...(search ? { search } : {}), limit: Math.min(max, 500) }, { signal: ctx.signal })
    .toArray({ max });
  ctx.records(lists.map(asRecord), { columns: LIST_COLUMNS });
  return EXIT.ok;
}

/** `ptnad replists get <id>`. */
export async function get(ctx: Context, args: unknown[]): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.replists.getList(numericId(args[0], 'list id'), { signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad replists create`. */
export async function create(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const type = strOption(opts, 'type') as IndicatorType;
  const content = await contentOption(ctx, opts, type);
  const client = await ctx.client();
  const description = strOption(opts, 'description');
  const externalKey = strOption(opts, 'externalKey');
  const created = await client.replists.createList(
    {
      name: strOption(opts, 'name') ?? '',
      type,
      color: (strOption(opts, 'color') ?? '7') as '7',
      ...(description !== undefined ? { description } : {}),
      ...(externalKey !== undefined ? { externalKey } : {}),
      ...(content !== undefined ? { content } : {}),
    },
    { signal: ctx.signal },
  );
  ctx.object(asRecord(created));
  return EXIT.ok;
}

/** `ptnad replists update <id>`. */
export async function update(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const id = numericId(args[0], 'list id');
  const client = await ctx.client();
  const fields: { name?: string; color?: '7'; description?: string; content?: string[] } = {};
  const name = strOption(opts, 'name');
  const color = strOption(opts, 'color');
  const description = strOption(opts, 'description');
  if (name !== undefined) fields.name = name;
  if (color !== undefined) fields.color = color as '7';
  if (description !== undefined) fields.description = description;
  if (opts.contentFile !== undefined) {
    const current = await client.replists.getList(id, { signal: ctx.signal });
    fields.content = await contentOption(ctx, opts, String(current.type));
  }
  if (Object.keys(fields).length === 0) {
    throw new UsageError('nothing to update', 'pass --name, --color, --description or --content-file');
  }
  ctx.object(asRecord(await client.replists.updateList(id, fields, { signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad replists delete <id>`. */
export async function remove(ctx: Context, args: unknown[]): Promise<number> {
  const id = numericId(args[0], 'list id');
  const client = await ctx.client();
  await client.replists.deleteList(id, { signal: ctx.signal });
  ctx.info(`ptnad: deleted reputation list ${id}`);
  return EXIT.ok;
}

/** `ptnad replists stats`. */
export async function stats(ctx: Context): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.replists.getStats({ signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad replists items list <key>`. */
export async function itemsList(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const client = await ctx.client();
  const max = intOption(opts, 'limit', '--limit') ?? 1000;
  const items = await client.replists
    .getDynamicListItems(String(args[0]), { limit: Math.min(max, 1000) }, { signal: ctx.signal })
    .toArray({ max });
  ctx.records(items.map(asRecord), { columns: ['value', 'modified', 'attrs'] });
  return EXIT.ok;
}

/** `ptnad replists items add <key> <values...>`: every value is checked against the list's type first. */
export async function itemsAdd(ctx: Context, args: unknown[]): Promise<number> {
  const key = String(args[0]);
  const values = (args[1] as string[]).map((v) => v.trim());
  const client = await ctx.client();
  const target = await findDynamicList(ctx, client, key);
  const bad = values.map((v) => ({ v, e: indicatorError(target.type, v) })).filter((x) => x.e !== null);
  if (bad.length > 0) {
    throw new UsageError(
      `invalid ${target.type} indicator(s), nothing was sent: ${bad.map((b) => `"${b.v}" (${b.e})`).join(', ')}`,
    );
  }
  if (values.length === 1 && values[0] !== undefined) {
    await client.replists.addDynamicListItem(key, values[0], {}, { signal: ctx.signal });
  } else {
    await client.replists.bulkAddItems(key, values, { signal: ctx.signal });
  }
  ctx.info(`ptnad: added ${values.length} item(s) to "${key}"`);
  return EXIT.ok;
}

/** `ptnad replists items remove <key> <values...>`. */
export async function itemsRemove(ctx: Context, args: unknown[]): Promise<number> {
  const key = String(args[0]);
  const values = (args[1] as string[]).map((v) => v.trim());
  const client = await ctx.client();
  if (values.length === 1 && values[0] !== undefined) {
    await client.replists.removeItem(key, values[0], { signal: ctx.signal });
  } else {
    await client.replists.bulkDeleteItems(key, values, { signal: ctx.signal });
  }
  ctx.info(`ptnad: removed ${values.length} item(s) from "${key}"`);
  return EXIT.ok;
}
