/** Where an offset falls in a query text, for error messages: line, column and a caret snippet. */
export interface TextLocation {
  /** The offset, clamped into the text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors count). */
  column: number;
  /** The offending line (cut to a window around the column) and a caret under the column, both indented. */
  snippet: string;
}

/**
 * Locates `offset` in `text`: the 1-based line and column, and a snippet that quotes the line with a caret under
 * the column. Shared by the parser's BqlSyntaxError and by anything else (such as a server's query engine) that
 * reports a position in BQL text, so all of them point the same way.
 * @example locate('a ==\nb ~', 7).snippet // "  b ~\n    ^"
 */
export function locate(text: string, offset: number): TextLocation {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  // Keep the snippet readable for machine-generated one-line queries: at most ~100 characters around the caret.
  const from = Math.max(lineStart, at - 60);
  const to = Math.min(lineEnd, Math.max(at, from) + 40);
  const head = from > lineStart ? '…' : '';
  const tail = to < lineEnd ? '…' : '';
  // Tabs stay tabs so the caret lines up with the quoted line in a terminal.
  const caretPad = ' '.repeat(head.length) + text.slice(from, at).replace(/[^\t]/g, ' ');
  const snippet = `  ${head}${text.slice(from, to)}${tail}\n  ${caretPad}^`;
  return { offset: at, line, column: at - lineStart + 1, snippet };
}
