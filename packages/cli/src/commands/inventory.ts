/**
 * `ptnad sensors list|get`, `ptnad sources list|get`, `ptnad hosts list|get`.
 */

import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { asRecord, intOption, numericId, strOption } from './input.js';

/** `ptnad sensors list`. */
export async function sensorsList(ctx: Context): Promise<number> {
  const client = await ctx.client();
  const sensors = await client.sensors.getSensors({ signal: ctx.signal });
  ctx.records(sensors.map(asRecord));
  return EXIT.ok;
}

/** `ptnad sensors get <id>`. */
export async function sensorsGet(ctx: Context, args: unknown[]): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.sensors.getSensor(String(args[0]), { signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad sources list`. */
export async function sourcesList(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const client = await ctx.client();
  const search = strOption(opts, 'search');
  const sources = await client.sources
    .getSources({ ...(search ? { search } : {}) }, { signal: ctx.signal })
    .toArray({ max: 100_000 });
  ctx.records(sources.map(asRecord), {
    columns: ['id', 'name', 'is_live', 'start', 'end', 'files_count', 'volume', 'description'],
  });
  return EXIT.ok;
}

/** `ptnad sources get <id>`. */
export async function sourcesGet(ctx: Context, args: unknown[]): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.sources.getSource(numericId(args[0], 'storage id'), { signal: ctx.signal })));
  return EXIT.ok;
}

/** A host row for tables: the first IP and DNS name up front. */
function hostRow(h: Record<string, unknown>): Record<string, unknown> {
  const first = (v: unknown, key: string) =>
    Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Record<string, unknown>)[key] : undefined;
  return { ...h, 'ip.0': first(h.ip, 'ip') ?? null, 'dns.0': first(h.dns, 'dns') ?? null };
}

/** `ptnad hosts list`. */
export async function hostsList(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const client = await ctx.client();
  const max = intOption(opts, 'limit', '--limit') ?? 100;
  const host = strOption(opts, 'search');
  const hosts = await client.hosts
    .getHosts({ ...(host ? { host } : {}), limit: Math.min(max, 500) }, { signal: ctx.signal })
    .toArray({ max });
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
export async function hostsGet(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const raw = strOption(opts, 'historyDepth');
  let historyDepth: number | undefined;
  if (raw !== undefined) {
    if (!/^(-1|\d+)$/.test(raw)) throw new UsageError(`--history-depth must be -1 or a number >= 0, got "${raw}"`);
    historyDepth = Number(raw);
  }
  const client = await ctx.client();
  const host = await client.hosts.getHost(String(args[0]), historyDepth === undefined ? {} : { historyDepth }, {
    signal: ctx.signal,
  });
  ctx.object(asRecord(host));
  return EXIT.ok;
}
