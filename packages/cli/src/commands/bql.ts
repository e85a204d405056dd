/**
 * `ptnad bql run | check | fmt`.
 */

import type { Column, Diagnostic } from 'ptnad-client/bql';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { intOption, queryInput, strOption } from './input.js';

/** Output names of the columns; `SELECT *` cannot be named, so its cells are numbered. */
function columnNames(columns: readonly Column[], width: number): string[] {
  if (columns.includes('*')) return Array.from({ length: width }, (_, i) => `#${i}`);
  return columns.map((c) => (typeof c === 'string' ? c : c.name));
}

function zipStar(row: unknown[]): Record<string, unknown> {
  return Object.fromEntries(row.map((cell, i) => [`#${i}`, cell]));
}

/** `ptnad bql run <query> | --file F [--source ID] [--all]`. */
export async function run(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const text = await queryInput(ctx, args[0], opts.file, false);
  const { parse, columnsOf, format, rowsToObjects, withLimit } = await import('ptnad-client/bql');
  const ast = parse(text);
  if (ast.kind !== 'query') {
    throw new UsageError(
      'bql run needs a SELECT statement, got a bare filter',
      'wrap it: SELECT src.ip, dst.ip FROM flow WHERE <filter> LIMIT 10 (or use `ptnad hunt`)',
    );
  }
  const columns = columnsOf(ast);
  const star = columns.includes('*');
  const source = strOption(opts, 'source');
  const client = await ctx.client();
  const signal = ctx.signal;

  if (opts.all !== true) {
    const res = await client.bql.executeRaw(text, { ...(source ? { source } : {}), signal });
    const names = columnNames(columns, res.result[0]?.length ?? 0);
    const rows = star ? res.result.map(zipStar) : rowsToObjects(columns, res.result);
    ctx.records(rows, { columns: names });
    if (res.result.length < res.total) {
      ctx.info(`ptnad: ${res.result.length} of ${res.total} matching rows shown (use LIMIT or --all for more)`);
    }
    return EXIT.ok;
  }

  if (star) throw new UsageError('--all cannot stream SELECT *: list the fields you want');
  const pageSize = intOption(opts, 'pageSize', '--page-size') ?? 1000;
  const progress = ctx.progress('rows');
  let total: number | undefined;
  if (progress.enabled) {
    // One cheap request for the match count so that the progress line can show a percentage.
    const probe = await client.bql.executeRaw(format(withLimit(ast, 1)), { ...(source ? { source } : {}), signal });
    total = ast.limit === undefined ? probe.total : Math.min(probe.total, ast.limit);
  }
  const writer = ctx.writer({ columns: columnNames(columns, 0) });
  try {
    for await (const row of client.bql.stream(text, { pageSize, signal, ...(source ? { source } : {}) })) {
      const [obj] = rowsToObjects(columns, [row]);
      if (obj) writer.write(obj);
      progress.update(writer.count, total);
    }
  } finally {
    progress.done();
    writer.end();
  }
  return EXIT.ok;
}

/** Line and column (1-based) of an offset. */
function position(text: string, offset: number): { line: number; column: number; lineText: string } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', lineStart);
  const lineText = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
  return { line, column: offset - lineStart + 1, lineText };
}

interface Finding {
  severity: string;
  message: string;
  line?: number;
  column?: number;
  code?: string;
  suggestion?: string;
}

function finding(text: string, d: Diagnostic): Finding & { caret?: string } {
  const f: Finding & { caret?: string } = { severity: d.severity, message: d.message };
  if (d.code) f.code = d.code;
  if (d.suggestion) f.suggestion = d.suggestion;
  if (d.span) {
    const p = position(text, d.span.start);
    f.line = p.line;
    f.column = p.column;
    // Syntax errors already quote the line with a caret in their message.
    if (d.code !== 'syntax') {
      const width = Math.max(1, Math.min(d.span.end - d.span.start, p.lineText.length - p.column + 1));
      f.caret = `  ${p.lineText}\n  ${' '.repeat(p.column - 1)}${'^'.repeat(width)}`;
    }
  }
  return f;
}

/** `ptnad bql check <query> | --file F`: offline diagnostics; exit 2 when any is an error. */
export async function check(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const text = await queryInput(ctx, args[0], opts.file, true);
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
      const where = f.line === undefined ? '' : ` (line ${f.line}, column ${f.column})`;
      const head = f.severity === 'error' ? ctx.outColors.red('error') : ctx.outColors.yellow('warning');
      out += `${head}: ${f.code === 'syntax' ? f.message : `${f.message}${where}`}\n`;
      if (f.caret) out += `${f.caret}\n`;
      if (f.suggestion) out += `  did you mean "${f.suggestion}"?\n`;
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
      {
        columns: ['severity', 'line', 'column', 'code', 'message', 'suggestion'],
      },
    );
  }
  return errors > 0 ? EXIT.usage : EXIT.ok;
}

/** `ptnad bql fmt [query] [--pretty]`: the canonical text. */
export async function fmt(ctx: Context, args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const text = await queryInput(ctx, args[0], opts.file, true);
  const { parse, format } = await import('ptnad-client/bql');
  ctx.out.write(`${format(parse(text), { pretty: opts.pretty === true })}\n`);
  return EXIT.ok;
}
