/**
 * The validator's findings as the user sees them: `bql check` prints them on stdout; `bql run`, `hunt` and
 * `flows save` print them on stderr before anything is sent, and `--strict` turns them into a usage error.
 */

import type { BqlAst, Diagnostic } from 'ptnad-client/bql';
import type { Context } from './context.js';
import { UsageError } from './errors.js';
import { safeCell } from './output.js';

/** A diagnostic with its line and column (1-based) and a caret under the text it is about. */
export interface Finding {
  severity: string;
  message: string;
  line?: number;
  column?: number;
  code?: string;
  suggestion?: string;
  caret?: string;
}

function position(text: string, offset: number): { line: number; column: number; lineText: string } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', lineStart);
  const lineText = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
  return { line, column: offset - lineStart + 1, lineText };
}

/** Locates a diagnostic in the text it was found in. */
export function finding(text: string, d: Diagnostic): Finding {
  const f: Finding = { severity: d.severity, message: d.message };
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

/** One finding as text lines: message with position, caret, suggestion. */
export function findingText(f: Finding, head: string, clean: (s: string) => string = (s) => s): string {
  const where = f.line === undefined ? '' : ` (line ${f.line}, column ${f.column})`;
  const body = f.code === 'syntax' ? f.message : `${f.message}${where}`;
  let out = `${head}: ${body.split('\n').map(clean).join('\n')}\n`;
  if (f.caret) out += `${f.caret.split('\n').map(clean).join('\n')}\n`;
  if (f.suggestion) out += `  did you mean "${clean(f.suggestion)}"?\n`;
  return out;
}

/**
 * Validates a parsed query or filter and prints every finding on stderr (`label` says which query, for packs).
 * With `strict`, any finding is a usage error (exit 2) and nothing is sent.
 */
export async function checkBeforeRun(
  ctx: Context,
  text: string,
  ast: BqlAst,
  strict: boolean,
  label = '',
): Promise<void> {
  const { validate } = await import('ptnad-client/bql');
  const findings = validate(ast).map((d) => finding(text, d));
  if (findings.length === 0) return;
  let out = '';
  for (const f of findings) {
    const head = ctx.errColors.yellow(`ptnad: ${f.severity}${label ? ` in ${label}` : ''}`);
    out += findingText(f, head, safeCell);
  }
  ctx.streams.stderr.write(out);
  if (strict) {
    throw new UsageError(
      `${findings.length} problem(s) found by the validator${label ? ` in ${label}` : ''} (--strict)`,
      'fix the query, or run without --strict to send it anyway',
    );
  }
}
