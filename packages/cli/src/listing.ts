/**
 * The paging flags every list command shares (`--limit`, `--offset`, `--all`) and the collection of a paged
 * list that says on stderr when more rows exist than were shown, so that no list is cut silently.
 */

import type { Command } from 'commander';
import { intArg } from './action.js';
import type { Context } from './context.js';

/** The paging flags of a list command. */
export interface ListFlags {
  limit: number;
  offset: number;
  all?: boolean;
}

/** Declares `--limit`, `--offset` and `--all` on a list command. */
export function pagingFlags(cmd: Command, defaultLimit: number): Command {
  return cmd
    .option('--limit <n>', 'at most this many rows', intArg(1), defaultLimit)
    .option('--offset <n>', 'skip this many rows first', intArg(0), 0)
    .option('--all', 'every row (ignores --limit)');
}

/** A page of a list: its items, the total when the server sent it, and whether another page follows. */
export interface ListPage<T> extends Iterable<T> {
  readonly count: number | undefined;
  hasNextPage(): boolean;
}

/** Options of {@link collect}. */
export interface CollectOptions {
  /** Largest page size the endpoint accepts. */
  pageMax: number;
  /** False for cursor lists (hosts): the offset is applied by skipping rows here. */
  serverOffset?: boolean;
}

/**
 * Collects the rows the flags ask for. `fetch` gets the page size and the offset (0 when `serverOffset` is
 * false) and returns something whose `pages()` walks the list. Says on stderr how many of how many were shown
 * when the list goes on.
 */
export async function collect<T>(
  ctx: Context,
  flags: ListFlags,
  fetch: (params: { limit: number; offset: number }) => { pages(): AsyncIterable<ListPage<T>> },
  options: CollectOptions,
): Promise<T[]> {
  const want = flags.all ? Number.POSITIVE_INFINITY : flags.limit;
  const serverOffset = options.serverOffset !== false;
  let skip = serverOffset ? 0 : flags.offset;
  const limit = Math.min(options.pageMax, flags.all ? options.pageMax : flags.limit + skip);
  const rows: T[] = [];
  let total: number | undefined;
  let more = false;
  for await (const page of fetch({ limit, offset: serverOffset ? flags.offset : 0 }).pages()) {
    total ??= page.count;
    for (const item of page) {
      if (skip > 0) {
        skip--;
        continue;
      }
      if (rows.length >= want) {
        more = true;
        break;
      }
      rows.push(item);
    }
    if (rows.length >= want) {
      more ||= page.hasNextPage();
      break;
    }
  }
  const before = flags.offset;
  if (total !== undefined && before + rows.length < total) {
    ctx.info(
      `ptnad: ${rows.length} of ${total} shown${before > 0 ? ` (from row ${before + 1})` : ''}; --all for every row`,
    );
  } else if (total === undefined && more) {
    ctx.info(`ptnad: ${rows.length} shown and more exist; --all for every row`);
  }
  return rows;
}
