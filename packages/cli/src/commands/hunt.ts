/**
 * `ptnad hunt --pack FILE [--since 3d] [--lang en|ru]`: runs every filter of a pack over the time window and
 * prints, per category, the hit count of each filter (BQL `total`) and a few sample rows.
 */

import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { handler, intArg, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { checkBeforeRun } from '../diagnostics.js';
import { durationArg } from '../duration.js';
import { describeError, EXIT, scrub } from '../errors.js';
import { readTextFile } from '../input.js';
import { cellText, renderTable, safeCell } from '../output.js';
import { type PackEntry, parsePack, pick } from '../pack.js';

/** The pack shipped with the CLI: the public example filters. */
export const DEFAULT_PACK = fileURLToPath(new URL('../../packs/public-examples.json', import.meta.url));

const SAMPLE_QUERY = 'SELECT start, src.ip, src.port, dst.ip, dst.port, app_proto FROM flow ORDER BY start desc';

/** Options of `ptnad hunt`. */
export interface HuntOptions {
  pack?: string;
  /** Milliseconds. */
  since: number;
  lang: 'en' | 'ru';
  samples: number;
  source?: string;
  strict?: boolean;
}

/** Declares `ptnad hunt`. */
export function register(program: Command, runner: Runner): void {
  program
    .command('hunt')
    .option(
      '--pack <file>',
      'pack file: the Python client\'s filters.json ({"filters": [...]}) or a bare array; default: the shipped public examples',
    )
    .option('--since <duration>', 'time window, e.g. 12h, 3d, 1w', durationArg, 3 * 86_400_000)
    .addOption(new Option('--lang <lang>', 'language of names and categories').choices(['en', 'ru']).default('en'))
    .option('--samples <n>', 'sample rows per filter (0: counts only)', intArg(0), 3)
    .option('--source <id>', 'storage id (default 2)')
    .option('--strict', 'a filter with validator warnings is an error (exit 2) and is not sent')
    .action(handler(runner, hunt));
}

interface HuntResult {
  category: string;
  name: string;
  filter: string;
  hits: number | null;
  samples: Record<string, unknown>[];
  error: string | null;
  exitCode: number;
}

/** `ptnad hunt`. Exit 0 when every filter ran, 2 when a filter is invalid, 1 when the server failed one. */
export async function hunt(ctx: Context, opts: HuntOptions): Promise<number> {
  const file = opts.pack ?? DEFAULT_PACK;
  const entries = parsePack(await readTextFile(ctx, file, 'pack'), file);
  const lang = opts.lang;
  const sinceMs = opts.since;
  const samples = opts.samples;
  const source = opts.source;
  const bqlKit = await import('ptnad-client/bql');
  const client = await ctx.client();
  const end = Date.now();
  const base = bqlKit.withLimit(bqlKit.parseQuery(SAMPLE_QUERY), samples);
  const columns = bqlKit.columnsOf(base).map(String);
  const progress = ctx.progress('hunting');

  const runOne = async (entry: PackEntry): Promise<HuntResult> => {
    const result: HuntResult = {
      category: pick(entry.category, lang) || (lang === 'ru' ? 'Без категории' : 'Uncategorised'),
      name: pick(entry.name, lang),
      filter: entry.filter,
      hits: null,
      samples: [],
      error: null,
      exitCode: EXIT.ok,
    };
    try {
      const filter = bqlKit.parseFilter(entry.filter);
      await checkBeforeRun(ctx, entry.filter, filter, opts.strict === true, `"${result.name}"`);
      const query = bqlKit.withTimeRange(bqlKit.andFilter(base, filter), {
        start: end - sinceMs,
        end: end + 1,
      });
      const res = await client.bql.executeRaw(bqlKit.format(query), {
        ...(source ? { source } : {}),
        signal: ctx.signal,
      });
      result.hits = res.total;
      result.samples = bqlKit.rowsToObjects(columns, res.result);
    } catch (err) {
      const d = describeError(err);
      // Without a connection or credentials every other filter would fail the same way: stop here.
      if (d.exitCode === EXIT.auth || d.exitCode === EXIT.connection || d.exitCode === EXIT.interrupted) throw err;
      result.error = scrub(d.message, ctx.secrets);
      result.exitCode = d.exitCode;
    }
    return result;
  };

  const results: HuntResult[] = [];
  try {
    for (const entry of entries) {
      results.push(await runOne(entry));
      progress.update(results.length, entries.length);
    }
  } finally {
    progress.done();
  }
  for (const r of results) {
    if (r.error) ctx.warn(`filter "${safeCell(r.name)}" failed: ${r.error.split('\n').map(safeCell).join('\n  ')}`);
  }
  printResults(ctx, results, columns);
  return results.reduce((code, r) => Math.max(code, r.exitCode === EXIT.usage ? 2 : r.exitCode), 0);
}

function printResults(ctx: Context, results: HuntResult[], columns: string[]): void {
  if (ctx.format !== 'table') {
    ctx.records(
      results.map(({ exitCode: _e, ...r }) => ({ ...r })),
      { columns: ['category', 'name', 'hits', 'error', 'filter', 'samples'] },
    );
    return;
  }
  const byCategory = new Map<string, HuntResult[]>();
  for (const r of results) byCategory.set(r.category, [...(byCategory.get(r.category) ?? []), r]);
  const bold = ctx.outColors.bold;
  let out = '';
  for (const [category, list] of byCategory) {
    const hits = list.reduce((n, r) => n + (r.hits ?? 0), 0);
    out += `${bold(`${safeCell(category)}`)}: ${hits} hit(s) in ${list.length} filter(s)\n`;
    for (const r of list) {
      const count = r.hits === null ? 'error' : String(r.hits);
      out += `  ${count.padStart(7)}  ${safeCell(r.name)}\n`;
      if (r.samples.length > 0) {
        const rows = r.samples.map((s) => columns.map((k) => safeCell(cellText(s[k]))));
        const table = renderTable(columns, rows, { ...ctx.out, columns: (ctx.out.columns ?? 0) - 11 || undefined });
        out += table.text
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => `           ${l}\n`)
          .join('');
      }
    }
    out += '\n';
  }
  const total = results.reduce((n, r) => n + (r.hits ?? 0), 0);
  out += `${results.length} filter(s), ${total} hit(s) in total\n`;
  ctx.out.write(out);
}
