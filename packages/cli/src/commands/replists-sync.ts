/**
 * `ptnad replists sync <key> --from FILE|-`: make a dynamic list hold exactly the valid indicators of a feed.
 * Invalid lines are reported with their line numbers and never sent; the rest is synced with the SDK's
 * idempotent bulk sync, with progress on stderr and a final report on stdout.
 */

import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { parseFeed } from '../indicators.js';
import { intOption, readTextFile, strOption } from './input.js';
import { findDynamicList } from './replists.js';

/** `ptnad replists sync`. Exit 0 when everything valid was synced, 1 when some chunks failed. */
export async function sync(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const key = String(args[0]);
  const from = strOption(opts, 'from') ?? '-';
  const chunkSize = intOption(opts, 'chunkSize', '--chunk-size') ?? 500;
  const text = await readTextFile(ctx, from, 'feed');
  const client = await ctx.client();
  const target = await findDynamicList(ctx, client, key);
  const lines = parseFeed(text, target.type);
  const invalid = lines.filter((l) => l.error !== null);
  for (const l of invalid.slice(0, 50)) ctx.warn(`${from}:${l.line}: skipped "${l.value}": ${l.error}`);
  if (invalid.length > 50) ctx.warn(`... and ${invalid.length - 50} more invalid line(s)`);
  const values = [...new Set(lines.filter((l) => l.error === null).map((l) => l.value))];

  let report: {
    added: number;
    removed: number;
    unchanged: number;
    failed: { action: string; values: string[]; reason: string }[];
  };
  if (opts.dryRun === true) {
    const current = new Set<string>();
    for await (const item of client.replists.getDynamicListItems(key, { limit: 1000 }, { signal: ctx.signal })) {
      current.add(item.value);
    }
    const wanted = new Set(values);
    report = {
      added: values.filter((v) => !current.has(v)).length,
      removed: [...current].filter((v) => !wanted.has(v)).length,
      unchanged: values.filter((v) => current.has(v)).length,
      failed: [],
    };
  } else {
    const progress = ctx.progress(`sync ${key}`);
    try {
      report = await client.replists.syncDynamicList(key, values, {
        chunkSize,
        signal: ctx.signal,
        onProgress: (p) =>
          p.phase === 'read' ? progress.update(p.read) : progress.update(p.chunksDone, p.chunksTotal),
      });
    } finally {
      progress.done();
    }
  }
  const failedValues = report.failed.reduce((n, f) => n + f.values.length, 0);
  for (const f of report.failed) ctx.warn(`failed to ${f.action} ${f.values.length} value(s): ${f.reason}`);
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
