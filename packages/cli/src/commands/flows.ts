/**
 * `ptnad flows get <id>`, `ptnad flows save --filter F --target ID --since 5h`, `ptnad files get <flow-id> --out DIR`.
 */

import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Context } from '../context.js';
import { parseDuration } from '../duration.js';
import { EXIT, UsageError } from '../errors.js';
import { asRecord, numericId, strOption } from './input.js';

const FLOW_ID = /^[A-Za-z0-9_~.-]{1,256}$/;

function flowId(value: unknown): string {
  const id = String(value);
  if (!FLOW_ID.test(id) || id === '.' || id === '..') {
    throw new UsageError(`"${id}" is not a flow id (letters, digits, "_", "~", "-" and ".")`);
  }
  return id;
}

function window(opts: Record<string, unknown>): { start: number; end: number; source?: string } {
  const end = Date.now();
  const since = parseDuration(strOption(opts, 'since') ?? '7d', '--since');
  const source = strOption(opts, 'source');
  return { start: end - since, end, ...(source ? { source } : {}) };
}

/** `ptnad flows get <id>`. */
export async function get(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const id = flowId(args[0]);
  const w = window(opts);
  const client = await ctx.client();
  ctx.object(asRecord(await client.flows.get(id, w, { signal: ctx.signal })));
  return EXIT.ok;
}

/** `ptnad flows save`: finds the flows with the filter and saves those not saved before into the target. */
export async function save(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const filter = strOption(opts, 'filter') ?? '';
  const { parseFilter } = await import('ptnad-client/bql');
  parseFilter(filter);
  const target = numericId(opts.target, '--target');
  const w = window({ since: strOption(opts, 'since') ?? '5h', source: opts.source });
  const stateDir = resolve(strOption(opts, 'stateDir') ?? join(ctx.configDir, 'saved-flows'));
  const client = await ctx.client();
  const progress = ctx.progress('saving flows');
  let report: Awaited<ReturnType<typeof client.storage.saveFlows>>;
  try {
    progress.update(0);
    report = await client.storage.saveFlows({
      filter,
      persistIdx: target,
      ...(w.source ? { storageIdx: w.source } : {}),
      startTime: w.start,
      endTime: w.end,
      stateDir,
      pollMs: 500,
      signal: ctx.signal,
    });
  } finally {
    progress.done();
  }
  ctx.object({
    found: report.found,
    already_saved: report.alreadySaved,
    submitted: report.submitted.length,
    recovered: report.recovered,
    task: report.taskId ?? null,
    state: report.state ?? null,
    journal: report.journal,
  });
  return EXIT.ok;
}

/** `ptnad files get <flow-id> --out DIR`: extracts the flow's files and downloads the ZIP into DIR. */
export async function files(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const id = flowId(args[0]);
  const out = strOption(opts, 'out') ?? '.';
  const w = window(opts);
  await mkdir(out, { recursive: true });
  const destination = join(out, `${id}.zip`);
  const client = await ctx.client();
  const progress = ctx.progress(`extracting files of ${id}`);
  try {
    const result = await client.files.extractToFile({ flowId: id, ...w }, destination, {
      signal: ctx.signal,
      pollMs: 500,
      onProgress: (t) => progress.note(String(t.state)),
    });
    ctx.object({ flow: id, path: result.path, bytes: result.bytes });
    return EXIT.ok;
  } finally {
    progress.done();
  }
}
