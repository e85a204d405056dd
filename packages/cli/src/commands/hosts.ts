/**
 * `ptnad hosts list|get`: the asset inventory.
 */

import type { Command } from 'commander';
import { handler, intArg, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { asRecord } from '../input.js';
import { collect, type ListFlags, pagingFlags } from '../listing.js';

/** Options of `ptnad hosts list`. */
export interface HostsListOptions extends ListFlags {
  search?: string;
}
/** Options of `ptnad hosts get`. */
export interface HostsGetOptions {
  historyDepth?: number;
}

/** Declares `ptnad hosts list|get`. */
export function register(program: Command, runner: Runner): void {
  const hosts = program.command('hosts');
  pagingFlags(hosts.command('list').description('list hosts'), 100)
    .option('--search <text>', 'match id, IP, hostname or DNS name')
    .action(handler(runner, list));
  hosts
    .command('get')
    .description('one host')
    .argument('<id>')
    .option('--history-depth <n>', 'history entries per list (-1 for all)', intArg(-1))
    .action(handler(runner, get));
}

/** A host row for tables: the first IP and DNS name up front. */
function hostRow(h: Record<string, unknown>): Record<string, unknown> {
  const first = (v: unknown, key: string) =>
    Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Record<string, unknown>)[key] : undefined;
  return { ...h, 'ip.0': first(h.ip, 'ip') ?? null, 'dns.0': first(h.dns, 'dns') ?? null };
}

/** `ptnad hosts list` (a cursor list: --offset skips rows as they arrive). */
export async function list(ctx: Context, opts: HostsListOptions): Promise<number> {
  const client = await ctx.client();
  const host = opts.search;
  const hosts = await collect(
    ctx,
    opts,
    (p) => client.hosts.getHosts({ ...(host ? { host } : {}), limit: p.limit }, { signal: ctx.signal }),
    { pageMax: 500, serverOffset: false },
  );
  if (ctx.format === 'table') {
    ctx.records(
      hosts.map((h) => hostRow(asRecord(h))),
      {
        columns: ['id', 'ip.0', 'hostname', 'dns.0', 'type', 'groups', 'last_seen'],
        headers: ['id', 'ip', 'hostname', 'dns', 'type', 'groups', 'last_seen'],
      },
    );
  } else {
    ctx.records(hosts.map(asRecord));
  }
  return EXIT.ok;
}

/** `ptnad hosts get <id> [--history-depth N]`. */
export async function get(ctx: Context, opts: HostsGetOptions, id: string): Promise<number> {
  const client = await ctx.client();
  const params = opts.historyDepth === undefined ? {} : { historyDepth: opts.historyDepth };
  ctx.object(asRecord(await client.hosts.getHost(id, params, { signal: ctx.signal })));
  return EXIT.ok;
}
