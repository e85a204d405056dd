/**
 * `ptnad sources list|get`: the storages (the live one is 2).
 */

import type { Command } from 'commander';
import { handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { asRecord, numericId } from '../input.js';
import { collect, type ListFlags, pagingFlags } from '../listing.js';

/** Options of `ptnad sources list`. */
export interface SourcesListOptions extends ListFlags {
  search?: string;
}

/** Declares `ptnad sources list|get`. */
export function register(program: Command, runner: Runner): void {
  const sources = program.command('sources');
  pagingFlags(sources.command('list').description('list storages'), 100)
    .option('--search <text>')
    .action(handler(runner, list));
  sources.command('get').description('one storage').argument('<id>').action(handler(runner, get));
}

/** `ptnad sources list`. */
export async function list(ctx: Context, opts: SourcesListOptions): Promise<number> {
  const client = await ctx.client();
  const search = opts.search;
  const sources = await collect(
    ctx,
    opts,
    (p) => client.sources.getSources({ ...(search ? { search } : {}), ...p }, { signal: ctx.signal }),
    { pageMax: 500 },
  );
  ctx.records(sources.map(asRecord), {
    columns: ['id', 'name', 'is_live', 'start', 'end', 'files_count', 'volume', 'description'],
  });
  return EXIT.ok;
}

/** `ptnad sources get <id>`. */
export async function get(ctx: Context, _opts: unknown, id: string): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.sources.getSource(numericId(id, 'storage id'), { signal: ctx.signal })));
  return EXIT.ok;
}
