/**
 * `ptnad replists list|get|create|update|delete|stats|sync` and `ptnad replists items list|add|remove`.
 */

import { type Command, Option } from 'commander';
import type { PTNADClient } from 'ptnad-client';
import { handler, intArg, type Runner, ratioArg } from '../action.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { decodeFeed, guardSync, planSync } from '../feed.js';
import { type IndicatorType, indicatorError, parseFeed } from '../indicators.js';
import { asRecord, numericId, readBytes, readTextFile } from '../input.js';
import { collect, type ListFlags, pagingFlags } from '../listing.js';
import { safeCell } from '../output.js';

const LIST_COLUMNS = ['id', 'name', 'type', 'color', 'external_key', 'items_count', 'description', 'modified'];
const COLORS = ['0', '1', '2', '3', '4', '5', '6', '7'] as const;
type Color = (typeof COLORS)[number];

/** Options of `ptnad replists list`. */
export interface ListOptions extends ListFlags {
  search?: string;
}
/** Options of `ptnad replists create`. */
export interface CreateOptions {
  name: string;
  type: IndicatorType;
  color: Color;
  description?: string;
  externalKey?: string;
  contentFile?: string;
}
/** Options of `ptnad replists update`. */
export interface UpdateOptions {
  name?: string;
  color?: Color;
  description?: string;
  contentFile?: string;
}
/** Options of `ptnad replists sync`. */
export interface SyncOptions {
  from: string;
  chunkSize: number;
  dryRun?: boolean;
  allowEmpty?: boolean;
  maxRemove: number;
}

/** Declares `ptnad replists ...`. */
export function register(program: Command, runner: Runner): void {
  const replists = program.command('replists');
  pagingFlags(replists.command('list').description('list reputation lists'), 100)
    .option('--search <text>', 'match name, description or vendor')
    .action(handler(runner, list));
  replists
    .command('get')
    .description('one list, with its content')
    .argument('<id-or-key>', 'numeric id, or the external key of a dynamic list')
    .action(handler(runner, get));
  replists
    .command('create')
    .description('create a list (with --external-key it is a dynamic list that `sync` can fill)')
    .requiredOption('--name <name>', 'letters, digits, "_" and "-"')
    .addOption(new Option('--type <type>', 'indicator type').choices(['ip', 'dn', 'uri', 'md5']).makeOptionMandatory())
    .addOption(new Option('--color <n>', 'colour 0-7').choices(COLORS).default('7'))
    .option('--description <text>')
    .option('--external-key <key>', 'key of a dynamic (API-managed) list')
    .option('--content-file <file>', 'initial content, one indicator per line ("-" for stdin)')
    .action(handler(runner, create));
  replists
    .command('update')
    .description('change a list')
    .argument('<id-or-key>', 'numeric id, or the external key of a dynamic list')
    .option('--name <name>')
    .addOption(new Option('--color <n>').choices(COLORS))
    .option('--description <text>')
    .option('--content-file <file>', 'replace the content, one indicator per line ("-" for stdin)')
    .action(handler(runner, update));
  replists
    .command('delete')
    .description('delete a list')
    .argument('<id-or-key>', 'numeric id, or the external key of a dynamic list')
    .action(handler(runner, remove));
  replists.command('stats').description('reputation list statistics').action(handler(runner, stats));
  const items = replists.command('items').description('items of a dynamic list (by external key)');
  pagingFlags(items.command('list').description('list the items of a dynamic list'), 1000)
    .argument('<key>', 'external key')
    .action(handler(runner, itemsList));
  items
    .command('add')
    .description('add items')
    .argument('<key>', 'external key')
    .argument('<values...>')
    .action(handler(runner, itemsAdd));
  items
    .command('remove')
    .description('remove items (reports how many were actually in the list)')
    .argument('<key>', 'external key')
    .argument('<values...>')
    .action(handler(runner, itemsRemove));
  replists
    .command('sync')
    .description(
      'make a dynamic list hold exactly the indicators of a feed (UTF-8, one per line; # comments). ' +
        'Refuses a feed with no valid line, and a sync that would remove more than --max-remove of the list',
    )
    .argument('<key>', 'external key')
    .requiredOption('--from <file>', 'feed file, or "-" for stdin')
    .option('--chunk-size <n>', 'items per bulk request', intArg(1), 500)
    .option('--dry-run', 'check the feed and show what would change, without changing anything')
    .option('--max-remove <ratio>', 'largest share of the list a sync may remove (0-1)', ratioArg, 0.5)
    .option('--allow-empty', 'allow any removal, even emptying the list from an empty feed')
    .action(handler(runner, sync));
}

/** The dynamic list with this external key, or a usage error naming the key. */
export async function findDynamicList(
  ctx: Context,
  client: PTNADClient,
  key: string,
): Promise<{ id: number; type: IndicatorType; name: string; items: number | undefined }> {
  for await (const l of client.replists.getLists({ limit: 500 }, { signal: ctx.signal })) {
    if (l.external_key === key) {
      const type = String(l.type);
      if (type !== 'ip' && type !== 'dn' && type !== 'uri' && type !== 'md5') {
        throw new UsageError(`list "${safeCell(l.name)}" has an unknown type "${safeCell(type)}"`);
      }
      return { id: l.id, type, name: l.name, items: l.items_count };
    }
  }
  throw new UsageError(
    `no dynamic list with external key "${safeCell(key)}"`,
    'create one with `ptnad replists create --name N --type ip --external-key KEY`',
  );
}

/** A list id from a numeric id or an external key. */
async function listId(ctx: Context, client: PTNADClient, idOrKey: string): Promise<number> {
  return /^\d+$/.test(idOrKey) ? numericId(idOrKey, 'list id') : (await findDynamicList(ctx, client, idOrKey)).id;
}

async function content(ctx: Context, file: string | undefined, type: string | undefined) {
  if (file === undefined) return undefined;
  const text = await readTextFile(ctx, file, 'content file');
  const lines = parseFeed(text, (type ?? 'uri') as IndicatorType);
  const bad = type ? lines.filter((l) => l.error !== null) : [];
  if (bad.length > 0) {
    const shown = bad.slice(0, 10).map((l) => `line ${l.line}: "${safeCell(l.value)}": ${l.error}`);
    throw new UsageError(`${file} has ${bad.length} invalid indicator(s) for type ${type}:\n  ${shown.join('\n  ')}`);
  }
  return lines.map((l) => l.value);
}

/** `ptnad replists list`. */
export async function list(ctx: Context, opts: ListOptions): Promise<number> {
  const client = await ctx.client();
  const search = opts.search;
  const lists = await collect(
    ctx,
    opts,
    (p) => client.replists.getLists({ ...(search ? { search } : {}), ...p }, { signal: ctx.signal }),
    { pageMax: 500 },
  );
  ctx.records(lists.map(asRecord), { columns: LIST_COLUMNS });
  return EXIT.ok;
}

/** `ptnad replists get <id-or-key>`. */
export async function get(ctx: Context, _opts: unknown, idOrKey: string): Promise<number> {
  const client = await ctx.client();
  const id = await listId(ctx, client, idOrKey);
  ctx.object(asRecord(await client.replists.getList(id, { signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad replists create`. */
export async function create(ctx: Context, opts: CreateOptions): Promise<number> {
  const lines = await content(ctx, opts.contentFile, opts.type);
  const client = await ctx.client();
  const created = await client.replists.createList(
    {
      name: opts.name,
      type: opts.type,
      color: opts.color,
      ...(opts.description !== undefined ? { description: opts.description } : {}),
      ...(opts.externalKey !== undefined ? { externalKey: opts.externalKey } : {}),
      ...(lines !== undefined ? { content: lines } : {}),
    },
    { signal: ctx.signal },
  );
  ctx.object(asRecord(created));
  return EXIT.ok;
}

/** `ptnad replists update <id-or-key>`. */
export async function update(ctx: Context, opts: UpdateOptions, idOrKey: string): Promise<number> {
  const client = await ctx.client();
  const id = await listId(ctx, client, idOrKey);
  const fields: { name?: string; color?: Color; description?: string; content?: string[] } = {};
  if (opts.name !== undefined) fields.name = opts.name;
  if (opts.color !== undefined) fields.color = opts.color;
  if (opts.description !== undefined) fields.description = opts.description;
  if (opts.contentFile !== undefined) {
    const current = await client.replists.getList(id, { signal: ctx.signal });
    fields.content = await content(ctx, opts.contentFile, String(current.type));
  }
  if (Object.keys(fields).length === 0) {
    throw new UsageError('nothing to update', 'pass --name, --color, --description or --content-file');
  }
  ctx.object(asRecord(await client.replists.updateList(id, fields, { signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad replists delete <id-or-key>`. */
export async function remove(ctx: Context, _opts: unknown, idOrKey: string): Promise<number> {
  const client = await ctx.client();
  const id = await listId(ctx, client, idOrKey);
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
export async function itemsList(ctx: Context, opts: ListFlags, key: string): Promise<number> {
  const client = await ctx.client();
  const items = await collect(ctx, opts, (p) => client.replists.getDynamicListItems(key, p, { signal: ctx.signal }), {
    pageMax: 1000,
  });
  ctx.records(items.map(asRecord), { columns: ['value', 'modified', 'attrs'] });
  return EXIT.ok;
}

/** `ptnad replists items add <key> <values...>`: every value is checked against the list's type first. */
export async function itemsAdd(ctx: Context, _opts: unknown, key: string, raw: string[]): Promise<number> {
  const values = raw.map((v) => v.trim());
  const client = await ctx.client();
  const target = await findDynamicList(ctx, client, key);
  const bad = values.map((v) => ({ v, e: indicatorError(target.type, v) })).filter((x) => x.e !== null);
  if (bad.length > 0) {
    throw new UsageError(
      `invalid ${target.type} indicator(s), nothing was sent: ${bad.map((b) => `"${safeCell(b.v)}" (${b.e})`).join(', ')}`,
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

/** `ptnad replists items remove <key> <values...>`: counts what the list really lost. */
export async function itemsRemove(ctx: Context, _opts: unknown, key: string, raw: string[]): Promise<number> {
  const values = [...new Set(raw.map((v) => v.trim()))];
  const client = await ctx.client();
  const before = await findDynamicList(ctx, client, key);
  // The bulk delete answers 204 whether or not a value was there; the item count tells what happened.
  await client.replists.bulkDeleteItems(key, values, { signal: ctx.signal });
  const after = await findDynamicList(ctx, client, key);
  if (before.items === undefined || after.items === undefined) {
    ctx.info(
      `ptnad: asked to remove ${values.length} item(s) from "${key}" (the server does not report how many existed)`,
    );
    return EXIT.ok;
  }
  const removed = before.items - after.items;
  const absent = values.length - removed;
  ctx.info(`ptnad: removed ${removed} item(s) from "${key}"${absent > 0 ? `; ${absent} were not in the list` : ''}`);
  return EXIT.ok;
}

/** `ptnad replists sync`. Exit 0 when everything valid was synced, 1 when some chunks failed, 2 when refused. */
export async function sync(ctx: Context, opts: SyncOptions, key: string): Promise<number> {
  const from = opts.from;
  const text = decodeFeed(await readBytes(ctx, from, 'feed'), from);
  const client = await ctx.client();
  const target = await findDynamicList(ctx, client, key);
  const lines = parseFeed(text, target.type);
  const invalid = lines.filter((l) => l.error !== null);
  const where = safeCell(from);
  for (const l of invalid.slice(0, 50)) ctx.warn(`${where}:${l.line}: skipped "${safeCell(l.value)}": ${l.error}`);
  if (invalid.length > 50) ctx.warn(`... and ${invalid.length - 50} more invalid line(s)`);
  const values = [...new Set(lines.filter((l) => l.error === null).map((l) => l.value))];

  // Plan first: the guard must see what would be removed before anything changes.
  const current: string[] = [];
  for await (const item of client.replists.getDynamicListItems(key, { limit: 1000 }, { signal: ctx.signal })) {
    current.push(item.value);
  }
  const plan = planSync(current, values);
  const guard = { allowEmpty: opts.allowEmpty === true, maxRemove: opts.maxRemove };
  guardSync(plan, values.length, key, guard);

  let report = {
    added: plan.add.length,
    removed: plan.remove.length,
    unchanged: plan.unchanged,
    failed: [] as Failed[],
  };
  if (opts.dryRun !== true) {
    const progress = ctx.progress(`sync ${key}`);
    try {
      report = await client.replists.syncDynamicList(key, values, {
        chunkSize: opts.chunkSize,
        signal: ctx.signal,
        // The SDK repeats the guard against the list as it reads it (the list may change in between).
        allowEmpty: guard.allowEmpty,
        maxRemoveRatio: guard.allowEmpty ? 1 : guard.maxRemove,
        onProgress: (p) =>
          p.phase === 'read' ? progress.update(p.read) : progress.update(p.chunksDone, p.chunksTotal),
      });
    } finally {
      progress.done();
    }
  }
  const failedValues = report.failed.reduce((n, f) => n + f.values.length, 0);
  for (const f of report.failed) ctx.warn(`failed to ${f.action} ${f.values.length} value(s): ${safeCell(f.reason)}`);
  ctx.object({
    list: key,
    dry_run: opts.dryRun === true,
    lines: lines.length,
    valid: values.length,
    invalid: invalid.length,
    added: report.added,
    removed: report.removed,
    unchanged: report.unchanged,
    failed: failedValues,
  });
  return failedValues > 0 ? EXIT.api : EXIT.ok;
}

interface Failed {
  action: string;
  values: string[];
  reason: string;
}
