/**
 * `ptnad classes list`: rule classes.
 */

import type { Command } from 'commander';
import { handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { asRecord } from '../input.js';
import { collect, type ListFlags, pagingFlags } from '../listing.js';

/** Options of `ptnad classes list`. */
export interface ClassesListOptions extends ListFlags {
  search?: string;
}

/** Declares `ptnad classes list`. */
export function register(program: Command, runner: Runner): void {
  const classes = program.command('classes');
  pagingFlags(classes.command('list').description('list rule classes'), 500)
    .option('--search <text>')
    .action(handler(runner, list));
}

/** `ptnad classes list`. */
export async function list(ctx: Context, opts: ClassesListOptions): Promise<number> {
  const client = await ctx.client();
  const search = opts.search;
  const all = await collect(
    ctx,
    opts,
    (p) => client.signatures.getClasses({ ...(search ? { search } : {}), ...p }, { signal: ctx.signal }),
    { pageMax: 500 },
  );
  ctx.records(all.map(asRecord), { columns: ['name', 'title', 'priority'] });
  return EXIT.ok;
}
