/**
 * `ptnad hunt --pack FILE [--since 3d] [--lang en|ru]`: runs every filter of a pack over the time window and
 * prints, per category, the hit count of each filter (BQL `total`) and a few sample rows.
 */

import { fileURLToPath } from 'node:url';
import type { Context } from '../context.js';
import { parseDuration } from '../duration.js';
import { describeError, EXIT, scrub } from '../errors.js';
import { cellText, renderTable, safeCell } from '../output.js';
import { type PackEntry, parsePack, pick } from '../pack.js';
import { intOption, readTextFile, strOption } from './input.js';

/** The pack shipped with the CLI: the public example filters. */
export const DEFAULT_PACK = fileURLToPath(new URL('../../packs/public-examples.json', import.meta.url));

const SAMPLE_QUERY = 'SELECT start, src.ip, src.port, dst.ip, dst.port, app_proto FROM flow ORDER BY start desc';

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
export async function hunt(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const file = strOption(opts, 'pack') ?? DEFAULT_PACK;
  const entries = parsePack(await readTextFile(ctx, file, 'pack'), file);
  const lang = strOption(opts, 'lang') === 'ru' ? 'ru' : 'en';
  const sinceMs = parseDuration(strOption(opts, 'since') ?? '3d', '--since');
  const samples = intOption(opts, 'samples', '--samples') ?? 3;
  const source = strOption(opts, 'source');
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
      const query = bqlKit.withTimeRange(bqlKit.andFilter(base, bqlKit.parseFilter(entry.filter)), {
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
    if (r.error) ctx.warn(`filter "${r.name}" failed: ${r.error.split('\n').join('\n  ')}`);
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
