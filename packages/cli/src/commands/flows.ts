/**
 * `ptnad flows get <id>` and `ptnad flows save --filter F --target ID --since 5h`.
 */

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { handler, intArg, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { checkBeforeRun } from '../diagnostics.js';
import { durationArg } from '../duration.js';
import { EXIT, UsageError } from '../errors.js';
import { asRecord } from '../input.js';

/** Options of `ptnad flows get` (and `ptnad files get`). */
export interface WindowOptions {
  /** Milliseconds back from now. */
  since: number;
  source?: string;
}
/** Options of `ptnad flows save`. */
export interface SaveOptions extends WindowOptions {
  filter: string;
  target: number;
  stateDir?: string;
  maxFlows?: number;
  strict?: boolean;
}

/** When a flow can be saved twice: shown in `--help` and the README (issue 19, item 6). */
export const DUPLICATE_WINDOW =
  'A flow is saved at most once, with one exception: if a run is killed (or its connection drops) after it sent ' +
  'the save request and before the answer arrived, the next run cannot know whether the server took the batch; ' +
  'it asks the target storage, and if the first server task has not finished writing by then, those flows are ' +
  'sent again and may be saved twice. Such a run says "possibly saved twice" and counts the flows.';

/** Declares `ptnad flows get|save`. */
export function register(program: Command, runner: Runner): void {
  const flows = program.command('flows');
  flows
    .command('get')
    .description('one flow with its details')
    .argument('<id>')
    .option('--since <duration>', 'search window back from now', durationArg, 7 * 86_400_000)
    .option('--source <id>', 'storage id (default 2)')
    .action(handler(runner, get));
  flows
    .command('save')
    .description('copy the flows a filter finds into another storage (skips flows saved before; see below)')
    .requiredOption('--filter <filter>', 'filter selecting the flows')
    .requiredOption('--target <id>', 'storage id to save into', intArg(1))
    .option('--since <duration>', 'time window back from now', durationArg, 5 * 3_600_000)
    .option('--source <id>', 'storage to read from (default 2)')
    .option('--state-dir <dir>', 'where the record of saved flows is kept (default: the config directory)')
    .option(
      '--max-flows <n>',
      'save at most this many flows per run, the oldest unsaved first (default 10000)',
      intArg(1),
    )
    .option('--strict', 'treat validator warnings in the filter as errors (exit 2, nothing sent)')
    .addHelpText('after', `\n${wrap(DUPLICATE_WINDOW)}`)
    .action(handler(runner, save));
}

function wrap(text: string): string {
  return text.replace(/(.{1,100})(?:\s+|$)/g, '$1\n').trimEnd();
}

const FLOW_ID = /^[A-Za-z0-9_~.-]{1,256}$/;

/** A flow id, checked before it goes into a path. */
export function flowId(value: string): string {
  if (!FLOW_ID.test(value) || value === '.' || value === '..') {
    throw new UsageError(`"${value}" is not a flow id (letters, digits, "_", "~", "-" and ".")`);
  }
  return value;
}

/** The time window and storage of a flow lookup. */
export function window(opts: WindowOptions): { start: number; end: number; source?: string } {
  const end = Date.now();
  return { start: end - opts.since, end, ...(opts.source ? { source: opts.source } : {}) };
}

/** `ptnad flows get <id>`. */
export async function get(ctx: Context, opts: WindowOptions, id: string): Promise<number> {
  const w = window(opts);
  const client = await ctx.client();
  ctx.object(asRecord(await client.flows.get(flowId(id), w, { signal: ctx.signal })));
  return EXIT.ok;
}

/**
 * Flows of batches whose save request went out but whose answer never came (an `intent` record with nothing
 * after it in the SDK's journal): the one case where this run may save them a second time.
 */
async function unansweredFlows(journal: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(journal, 'utf8');
  } catch {
    return 0;
  }
  const open = new Map<string, number>();
  for (const line of text.split('\n')) {
    try {
      const rec = JSON.parse(line) as { t?: unknown; batch?: unknown; ids?: unknown };
      if (typeof rec.batch !== 'string') continue;
      if (rec.t === 'intent') open.set(rec.batch, Array.isArray(rec.ids) ? rec.ids.length : 0);
      else open.delete(rec.batch);
    } catch {
      // a torn last line: that record never completed
    }
  }
  return [...open.values()].reduce((n, k) => n + k, 0);
}

/** `ptnad flows save`: finds the flows with the filter and saves those not saved before into the target. */
export async function save(ctx: Context, opts: SaveOptions): Promise<number> {
  const { parseFilter } = await import('ptnad-client/bql');
  await checkBeforeRun(ctx, opts.filter, parseFilter(opts.filter), opts.strict === true);
  const target = opts.target;
  const w = window(opts);
  const stateDir = resolve(opts.stateDir ?? join(ctx.configDir, 'saved-flows'));
  const uncertain = await unansweredFlows(join(stateDir, 'ptnad-saved-flows.jsonl'));
  const client = await ctx.client();
  const progress = ctx.progress('saving flows');
  let report: Awaited<ReturnType<typeof client.storage.saveFlows>>;
  try {
    progress.update(0);
    report = await client.storage.saveFlows({
      filter: opts.filter,
      persistIdx: target,
      ...(w.source ? { storageIdx: w.source } : {}),
      startTime: w.start,
      endTime: w.end,
      stateDir,
      ...(opts.maxFlows === undefined ? {} : { maxFlows: opts.maxFlows }),
      pollMs: 500,
      signal: ctx.signal,
    });
  } finally {
    progress.done();
  }
  // The SDK names the flows sent again now that a lost earlier request may also have saved; flows of that request
  // found in the target since ("recovered") are not sent again and cannot be doubled. The journal count is the
  // upper bound, for an SDK that does not report it.
  const fromSdk = (report as { possibleDuplicates?: unknown }).possibleDuplicates;
  const twice = Array.isArray(fromSdk) ? fromSdk.length : uncertain;
  if (twice > 0) {
    ctx.warn(
      `possibly saved twice: ${twice} flow(s) of an earlier run whose save request got no answer; ` +
        'if that server task finished after this run checked the target storage, they are in it twice',
    );
  }
  if (report.more) {
    ctx.info(
      `the window holds more unsaved flows than one run takes (${report.submitted.length}): run again to save the next ones`,
    );
  }
  ctx.object({
    found: report.found,
    already_saved: report.alreadySaved,
    submitted: report.submitted.length,
    more: report.more,
    recovered: report.recovered,
    possibly_saved_twice: twice,
    task: report.taskId ?? null,
    state: report.state ?? null,
    journal: report.journal,
  });
  return EXIT.ok;
}
