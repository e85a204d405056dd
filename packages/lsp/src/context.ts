/**
 * What surrounds a position in a query, read from the text itself (the query being typed rarely parses):
 * the word under the cursor, the table its names belong to, and what the cursor follows.
 */

import { type FieldInfo, getTable, lookupField, type ResolvedField } from 'ptnad-client/bql';

const WORD = /[A-Za-z0-9_.-]/;

/** The span of the (dotted) name at or just before `offset`, quotes excluded. */
export function wordAt(text: string, offset: number): { start: number; end: number; word: string } {
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1] as string)) start--;
  let end = offset;
  while (end < text.length && WORD.test(text[end] as string)) end++;
  return { start, end, word: text.slice(start, end) };
}

const FROM = /\bfrom\s+["']?([A-Za-z_][\w-]*)/gi;

/**
 * The table names at `offset` belong to: inside `child(...)` the child table, in a select list the table of
 * its FROM, after FROM the table before it, in a bare filter `flow`.
 */
export function tableAt(text: string, offset: number): string {
  const nested = openNestedObject(text, offset);
  let before: string | undefined;
  let after: string | undefined;
  for (const m of text.matchAll(FROM)) {
    const name = m[1] as string;
    if ((m.index ?? 0) < offset) before = name;
    else if (after === undefined) after = name;
  }
  const statementTable = (select: number): string | undefined => {
    // The cursor sits in the select list when no FROM separates it from the nearest SELECT before it.
    const sinceSelect = text.slice(select, offset);
    return /\bfrom\b/i.test(sinceSelect) ? before : after;
  };
  const select = text.slice(0, offset).search(/\bselect\b(?![\s\S]*\bselect\b)/i);
  let table = select >= 0 ? (statementTable(select) ?? 'flow') : 'flow';
  if (nested !== undefined) {
    const child = lookupField(table, nested);
    if (child?.type === 'object' && getTable(child.table) !== undefined) table = child.table;
  }
  return getTable(table) !== undefined ? table : 'flow';
}

/** The object of the innermost unclosed `name(` before `offset` (`http(rqs.method == POST && |`). */
function openNestedObject(text: string, offset: number): string | undefined {
  const stack: Array<string | undefined> = [];
  let quote: string | undefined;
  for (let i = 0; i < offset; i++) {
    const c = text[i] as string;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') {
      const w = wordAt(text, i).word;
      stack.push(w.length > 0 && !/^(exists|and|or|not|in)$/i.test(w) ? w : undefined);
    } else if (c === ')') stack.pop();
  }
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k] !== undefined) return stack[k];
  return undefined;
}

/** What the text before the cursor (the word being typed excluded) ends with. */
export type Slot =
  | { kind: 'table' }
  | { kind: 'value'; field: string; quote: string }
  | { kind: 'operator'; field: string }
  | { kind: 'name' };

const AFTER_OPERATOR = /((?:"[^"]*"|'[^']*'|[A-Za-z_][\w.-]*))\s*(==|!=|~|<=|>=|<|>)\s*(["']?)$/;
const IN_LIST = /((?:"[^"]*"|'[^']*'|[A-Za-z_][\w.-]*))\s+in\s*\[[^\]]*?(["']?)$/i;
const AFTER_FIELD = /(^|[\s(!,&|])((?:"[^"]*"|[A-Za-z_][\w.-]*))\s+$/;
const KEYWORDS = /^(select|from|where|and|or|not|in|exists|order|by|limit|asc|desc)$/i;

/** Classifies the position `offset` of `text` for completion. */
export function slotAt(text: string, offset: number): Slot {
  const head = text.slice(0, wordAt(text, offset).start);
  if (/\bfrom\s*["']?$/i.test(head)) return { kind: 'table' };
  const op = AFTER_OPERATOR.exec(head) ?? IN_LIST.exec(head);
  if (op !== null) {
    const field = unquote(op[1] as string);
    return { kind: 'value', field, quote: (op.length > 3 ? op[3] : op[2]) ?? '' };
  }
  const f = AFTER_FIELD.exec(head);
  if (f !== null && !KEYWORDS.test(unquote(f[2] as string)) && !/\b(select|order\s+by)\s*$/i.test(head.trimEnd())) {
    return { kind: 'operator', field: unquote(f[2] as string) };
  }
  return { kind: 'name' };
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.endsWith(s[0]) ? s.slice(1, -1) : s;
}

/** Markdown documentation of a field, from the catalogue. */
export function fieldMarkdown(path: string, f: ResolvedField | FieldInfo, table: string): string {
  const owner = 'table' in f ? f.table : table;
  const type = `${f.type}${f.array ? '[]' : ''}`;
  const lines = [`**${path}**: \`${type}\` field of \`${owner}\``];
  if (f.doc !== undefined) lines.push('', f.doc);
  if (f.type === 'object') lines.push('', `An object: test it bare (\`${path}\`) or with \`${path}(...)\`.`);
  if (f.array) lines.push('', 'Multi-valued: a comparison matches when any element matches.');
  if ('open' in f && f.open === true) lines.push('', 'Read as a header name: any sub-path is accepted.');
  if (f.values !== undefined) lines.push('', `Known values: ${f.values.map((v) => `\`${v}\``).join(', ')}`);
  return lines.join('\n');
}
