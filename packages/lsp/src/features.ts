/**
 * Completion, hover, formatting and folding over a document's regions, as LSP structures. Positions are
 * converted with `vscode-languageserver-textdocument`, which counts UTF-16 code units like the protocol.
 */

import { APP_PROTOS, fieldPaths, format, getTable, lookupField, parse, TABLES, TRANSPORTS } from 'ptnad-client/bql';
import {
  type CompletionItem,
  CompletionItemKind,
  type FoldingRange,
  type Hover,
  InsertTextFormat,
  MarkupKind,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fieldMarkdown, slotAt, tableAt, wordAt } from './context.js';
import { fromDocument, jsonEscape, type Region, regionAt, toDocument } from './regions.js';

/** Comparison operators with what they do. */
const OPERATORS: ReadonlyArray<[op: string, doc: string]> = [
  ['==', 'equals (for multi-valued fields: any element equals)'],
  ['!=', 'differs'],
  ['~', "wildcard match of the whole value: '*' any run, '?' one character"],
  ['<', 'less than'],
  ['>', 'greater than'],
  ['<=', 'less than or equal'],
  ['>=', 'greater than or equal'],
  ['in', 'one of a list: `field in [a, b]`'],
];

const KEYWORDS = ['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'EXISTS', 'ORDER BY', 'LIMIT', 'asc', 'desc'];

function rangeOf(doc: TextDocument, region: Region, start: number, end: number): Range {
  return { start: doc.positionAt(toDocument(region, start)), end: doc.positionAt(toDocument(region, end)) };
}

/** The text to insert into a region: JSON-escaped inside a JSON string. */
function insertable(region: Region, text: string): string {
  return region.json ? jsonEscape(text) : text;
}

/** Completion items at `position`: tables, operators, known values or names, each with its documentation. */
export function complete(doc: TextDocument, regions: readonly Region[], position: Position): CompletionItem[] {
  const docOffset = doc.offsetAt(position);
  const region = regionAt(regions, docOffset) ?? emptyRegion(docOffset);
  const offset = fromDocument(region, docOffset) ?? 0;
  const word = wordAt(region.text, offset);
  const replace = rangeOf(doc, region, word.start, offset);
  const item = (label: string, kind: CompletionItemKind, documentation: string, detail?: string): CompletionItem => ({
    label,
    kind,
    ...(detail === undefined ? {} : { detail }),
    documentation: { kind: MarkupKind.Markdown, value: documentation },
    textEdit: { range: replace, newText: insertable(region, label) },
    insertTextFormat: InsertTextFormat.PlainText,
  });
  const slot = slotAt(region.text, offset);
  switch (slot.kind) {
    case 'table':
      return [...TABLES.values()].map((t) => item(t.name, CompletionItemKind.Class, t.doc, 'table'));
    case 'operator':
      return OPERATORS.map(([op, d]) => item(op, CompletionItemKind.Operator, d, `operator on ${slot.field}`));
    case 'value': {
      const table = tableAt(region.text, offset);
      const f = lookupField(table, slot.field);
      const values = f?.values ?? (f?.name === 'app_proto' ? APP_PROTOS : f?.name === 'proto' ? TRANSPORTS : []);
      const quote = slot.quote === '' ? "'" : '';
      return values.map((v) =>
        item(`${quote}${v}${quote}`, CompletionItemKind.EnumMember, `a known value of \`${slot.field}\``, v),
      );
    }
    case 'name': {
      const table = tableAt(region.text, offset);
      const items: CompletionItem[] = [];
      for (const path of fieldPaths(table)) {
        const f = lookupField(table, path);
        if (f === undefined) continue;
        const kind = f.type === 'object' ? CompletionItemKind.Module : CompletionItemKind.Field;
        items.push(item(path, kind, fieldMarkdown(path, f, table), `${f.type}${f.array ? '[]' : ''}`));
      }
      for (const k of KEYWORDS) items.push(item(k, CompletionItemKind.Keyword, `BQL keyword ${k}`));
      return items;
    }
  }
}

function emptyRegion(at: number): Region {
  return { text: '', start: at, end: at, json: false };
}

/** Hover on a field (its catalogue entry) or on a table name after FROM. */
export function hover(doc: TextDocument, regions: readonly Region[], position: Position): Hover | null {
  const docOffset = doc.offsetAt(position);
  const region = regionAt(regions, docOffset);
  if (region === undefined) return null;
  const offset = fromDocument(region, docOffset) ?? 0;
  const w = wordAt(region.text, offset);
  if (w.word.length === 0) return null;
  const range = rangeOf(doc, region, w.start, w.end);
  if (/\bfrom\s*["']?$/i.test(region.text.slice(0, w.start))) {
    const t = getTable(w.word);
    return t === undefined
      ? null
      : { contents: { kind: MarkupKind.Markdown, value: `**${t.name}** (table)\n\n${t.doc}` }, range };
  }
  const table = tableAt(region.text, offset);
  const f = lookupField(table, w.word);
  if (f === undefined) return null;
  return { contents: { kind: MarkupKind.Markdown, value: fieldMarkdown(w.word, f, table) }, range };
}

/** Statements longer than this go on several lines (`format(ast, { pretty: true })`). */
const PRETTY_WIDTH = 100;

/** Edits that print every query that parses in its canonical form; queries that do not parse stay as they are. */
export function formatDocument(doc: TextDocument, regions: readonly Region[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const region of regions) {
    let formatted: string;
    try {
      const ast = parse(region.text);
      formatted = format(ast);
      if (!region.json && ast.kind === 'query' && formatted.length > PRETTY_WIDTH)
        formatted = format(ast, { pretty: true });
    } catch {
      continue;
    }
    if (formatted === region.text) continue;
    edits.push({
      range: { start: doc.positionAt(region.start), end: doc.positionAt(region.end) },
      newText: insertable(region, formatted),
    });
  }
  return edits;
}

/** Folding ranges: each query spanning several lines, and parentheses spanning several lines inside one. */
export function foldingRanges(doc: TextDocument, regions: readonly Region[]): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const region of regions) {
    if (region.json) continue;
    const first = doc.positionAt(region.start).line;
    const last = doc.positionAt(region.end).line;
    if (last > first) out.push({ startLine: first, endLine: last, kind: 'region' });
    const opens: number[] = [];
    const text = region.text;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '(') opens.push(i);
      else if (c === ')') {
        const open = opens.pop();
        if (open === undefined) continue;
        const a = doc.positionAt(toDocument(region, open)).line;
        const b = doc.positionAt(toDocument(region, i)).line;
        // The closing line stays visible, as editors show `(...)`.
        if (b - 1 > a) out.push({ startLine: a, endLine: b - 1 });
      }
    }
  }
  return out;
}
