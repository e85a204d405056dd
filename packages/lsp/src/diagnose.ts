/**
 * Diagnostics of one query: the toolkit's parse errors and `validate` findings, the same ones `ptnad bql
 * check` prints. Offsets are the region's; the server maps them to document ranges. Results are cached by
 * text, so an edit re-checks only the query it touched.
 */

import { BqlSyntaxError, parse, validate } from 'ptnad-client/bql';

/** One finding, in region offsets. */
export interface Finding {
  start: number;
  end: number;
  severity: 'error' | 'warning';
  /**
   * The toolkit's message. For syntax errors the bare reason (`err.reason`): `ptnad bql check` adds "at line
   * L, column C" and a caret snippet, which in an editor the range itself shows.
   */
  message: string;
  /** `syntax`, `unknown-field`, `type-mismatch`, ... */
  code: string;
  /** The "did you mean" name, when there is one. */
  suggestion?: string;
}

/** Parses and validates one query or filter (a filter runs against `flow`). Never throws. */
export function diagnose(text: string): Finding[] {
  let ast: ReturnType<typeof parse>;
  try {
    ast = parse(text);
  } catch (err) {
    if (!(err instanceof BqlSyntaxError)) throw err;
    return [
      { start: err.offset, end: wordEnd(text, err.offset), severity: 'error', message: err.reason, code: 'syntax' },
    ];
  }
  return validate(ast).map((d) => {
    const f: Finding = {
      start: d.span?.start ?? 0,
      end: d.span?.end ?? text.length,
      severity: d.severity,
      message: d.message,
      code: d.code ?? 'bql',
    };
    if (d.suggestion !== undefined) f.suggestion = d.suggestion;
    return f;
  });
}

/** The end of the word at `offset` (at least one character when there is one), for a visible squiggle. */
function wordEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && /[\w.\-:/]/.test(text[i] as string)) i++;
  return i > offset ? i : Math.min(offset + 1, text.length);
}

/** A cache of {@link diagnose} by text, dropped entries not seen in the last pass over a document. */
export class DiagnosisCache {
  private current = new Map<string, Finding[]>();
  private next = new Map<string, Finding[]>();

  get(text: string): Finding[] {
    let found = this.next.get(text) ?? this.current.get(text);
    if (found === undefined) found = diagnose(text);
    this.next.set(text, found);
    return found;
  }

  /** Ends a pass over a document: entries of queries that no longer exist are dropped. */
  endPass(): void {
    this.current = this.next;
    this.next = new Map();
  }
}
