/**
 * `ptnad bql run | check | fmt`.
 */

import type { Command } from 'commander';
import type { Column, Diagnostic } from 'ptnad-client/bql';
import { handler, intArg, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { checkBeforeRun, finding, findingText } from '../diagnostics.js';
import { EXIT, UsageError } from '../errors.js';
import { queryInput } from '../input.js';

/** Options of `ptnad bql run`. */
export interface RunOptions {
  file?: string;
  source?: string;
  all?: boolean;
  pageSize: number;
  strict?: boolean;
}

/** Options of `ptnad bql check`. */
export interface CheckOptions {
  file?: string;
}

/** Options of `ptnad bql fmt`. */
export interface FmtOptions {
  file?: string;
  pretty?: boolean;
}

/** Declares `ptnad bql run|check|fmt`. */
export function register(program: Command, runner: Runner): void {
  const bql = program.command('bql');
  bql
    .command('run')
    .description('run a query and print its rows with column headers (validator warnings on stderr first)')
    .argument('[query]', 'the query text (or use --file)')
    .option('--file <file>', 'read the query from a file ("-" for stdin)')
    .option('--source <id>', 'storage id (default 2, the live storage)')
    .option('--all', 'stream every row of a large result (progress on stderr)')
    .option('--page-size <n>', 'rows per request with --all', intArg(1), 1000)
    .option('--strict', 'treat validator warnings (unknown fields, ...) as errors: exit 2, nothing sent')
    .action(handler(runner, run));
  bql
    .command('check')
    .description('check syntax and fields offline; exit 2 when there are errors')
    .argument('[query]', 'the query or filter text (or use --file)')
    .option('--file <file>', 'read the text from a file ("-" for stdin)')
    .action(handler(runner, check));
  bql
    .command('fmt')
    .description('print the canonical formatting of a query or filter')
    .argument('[query]', 'the query or filter text (or use --file; default stdin)')
    .option('--file <file>', 'read the text from a file ("-" for stdin)')
    .option('--pretty', 'one clause per line')
    .action(handler(runner, fmt));
}

/** Output names of the columns; `SELECT *` cannot be named, so its cells are numbered. */
function columnNames(columns: readonly Column[], width: number): string[] {
  if (columns.includes('*')) return Array.from({ length: width }, (_, i) => `#${i}`);
  return columns.map((c) => (typeof c === 'string' ? c : c.name));
}

function zipStar(row: unknown[]): Record<string, unknown> {
  return Object.fromEntries(row.map((cell, i) => [`#${i}`, cell]));
}

/** `ptnad bql run <query> | --file F [--source ID] [--all] [--strict]`. */
export async function run(ctx: Context, opts: RunOptions, arg?: string): Promise<number> {
  const text = await queryInput(ctx, arg, opts.file, false);
  const { parse, columnsOf, format, rowsToObjects, withLimit } = await import('ptnad-client/bql');
  const ast = parse(text);
  if (ast.kind !== 'query') {
    throw new UsageError(
      'bql run needs a SELECT statement, got a bare filter',
      'wrap it: SELECT src.ip, dst.ip FROM flow WHERE <filter> LIMIT 10 (or use `ptnad hunt`)',
    );
  }
  await checkBeforeRun(ctx, text, ast, opts.strict === true);
  const columns = columnsOf(ast);
  const star = columns.includes('*');
  const source = opts.source;
  if (opts.all === true) {
    if (star) throw new UsageError('--all cannot stream SELECT *: list the fields you want');
    if (ast.orderBy.length > 0) {
      throw new UsageError(
        '--all cannot stream a query with ORDER BY',
        'remove ORDER BY: --all returns rows in time order',
      );
    }
  }
  const client = await ctx.client();
  const signal = ctx.signal;

  if (opts.all !== true) {
    const res = await client.bql.executeRaw(text, { ...(source ? { source } : {}), signal });
    const names = columnNames(columns, res.result[0]?.length ?? 0);
    const rows = star ? res.result.map(zipStar) : rowsToObjects(columns, res.result);
    ctx.records(rows, { columns: names });
    // With a LIMIT the user chose how many; only a cut the server made deserves a note.
    if (res.result.length < res.total && (ast.limit === undefined || res.result.length < ast.limit)) {
      ctx.info(`ptnad: ${res.result.length} of ${res.total} matching rows shown (use LIMIT or --all for more)`);
    }
    return EXIT.ok;
  }

  const progress = ctx.progress('rows');
  let total: number | undefined;
  if (progress.enabled) {
    // One cheap request for the match count so that the progress line can show a percentage.
    const probe = await client.bql.executeRaw(format(withLimit(ast, 1)), { ...(source ? { source } : {}), signal });
    total = ast.limit === undefined ? probe.total : Math.min(probe.total, ast.limit);
  }
  const writer = ctx.writer({ columns: columnNames(columns, 0) });
  try {
    for await (const row of client.bql.stream(text, {
      pageSize: opts.pageSize,
      signal,
      ...(source ? { source } : {}),
    })) {
      const [obj] = rowsToObjects(columns, [row]);
      if (obj) writer.write(obj);
      progress.update(writer.count, total);
    }
  } catch (err) {
    progress.done();
    // Close what was started (a JSON array stays parseable), but print no header for a run that sent nothing.
    if (writer.count > 0) writer.end();
    throw err;
  }
  progress.done();
  writer.end();
  return EXIT.ok;
}

/** `ptnad bql check <query> | --file F`: offline diagnostics; exit 2 when any is an error. */
export async function check(ctx: Context, opts: CheckOptions, arg?: string): Promise<number> {
  const text = await queryInput(ctx, arg, opts.file, true);
  const { parse, validate, BqlSyntaxError } = await import('ptnad-client/bql');
  let diagnostics: Diagnostic[];
  try {
    diagnostics = validate(parse(text));
  } catch (err) {
    if (!(err instanceof BqlSyntaxError)) throw err;
    diagnostics = [
      { severity: 'error', message: err.message, code: 'syntax', span: { start: err.offset, end: err.offset + 1 } },
    ];
  }
  const findings = diagnostics.map((d) => finding(text, d));
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (ctx.format === 'table') {
    let out = '';
    for (const f of findings) {
      const head = f.severity === 'error' ? ctx.outColors.red('error') : ctx.outColors.yellow('warning');
      out += findingText(f, head);
    }
    ctx.out.write(out);
    ctx.info(
      findings.length === 0
        ? 'ptnad: no problems found'
        : `ptnad: ${errors} error(s), ${findings.length - errors} warning(s)`,
    );
  } else {
    ctx.records(
      findings.map(({ caret: _caret, ...f }) => ({ ...f })),
      { columns: ['severity', 'line', 'column', 'code', 'message', 'suggestion'] },
    );
  }
  return errors > 0 ? EXIT.usage : EXIT.ok;
}

/** `ptnad bql fmt [query] [--pretty]`: the canonical text. */
export async function fmt(ctx: Context, opts: FmtOptions, arg?: string): Promise<number> {
  const text = await queryInput(ctx, arg, opts.file, true);
  const { parse, format } = await import('ptnad-client/bql');
  ctx.out.write(`${format(parse(text), { pretty: opts.pretty === true })}\n`);
  return EXIT.ok;
}
