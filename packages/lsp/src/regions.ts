/**
 * Where the BQL is in a document, and how offsets inside a query map to offsets of the document.
 *
 * - A `.bql` file holds queries separated by blank lines; each query is one region whose offsets are the
 *   document's shifted by its start.
 * - A hunt pack (`.json`, the Python client's `filters.json` format) holds filters in the `"filter"` string of
 *   each entry. The region is the decoded string; escapes (`\"`, `\\`, `\n`, `\u0027`, ...) make decoded and
 *   raw offsets differ, so each region keeps the raw offset of every decoded character.
 */

/** One query or filter of a document. */
export interface Region {
  /** The BQL text (decoded, for JSON strings). */
  text: string;
  /** Document offset of the first character of the region's raw text. */
  start: number;
  /** Document offset just after the region's raw text. */
  end: number;
  /** True for a JSON string value: edits must be JSON-escaped. */
  json: boolean;
  /**
   * Raw document offset of each decoded character, plus one entry for the end (JSON regions only: a `.bql`
   * region maps by adding `start`).
   */
  offsets?: number[];
}

/** The document offset of a region offset (0..text.length). */
export function toDocument(region: Region, offset: number): number {
  if (region.offsets === undefined) return region.start + offset;
  return region.offsets[Math.max(0, Math.min(offset, region.text.length))] ?? region.end;
}

/**
 * The region offset of a document offset, or undefined when it is outside the region. Inside an escape
 * sequence it maps to the escaped character.
 */
export function fromDocument(region: Region, docOffset: number): number | undefined {
  if (docOffset < region.start || docOffset > region.end) return undefined;
  const offsets = region.offsets;
  if (offsets === undefined) return docOffset - region.start;
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= docOffset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The region holding a document offset (its end included, where typing goes on). */
export function regionAt(regions: readonly Region[], docOffset: number): Region | undefined {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = regions[mid] as Region;
    if (docOffset < r.start) hi = mid - 1;
    else if (docOffset > r.end) lo = mid + 1;
    else return r;
  }
  return undefined;
}

const BLANK = /^[ \t]*$/;

/** The queries of a `.bql` file: runs of non-blank lines (leading blanks of the first line excluded). */
export function bqlRegions(text: string): Region[] {
  const regions: Region[] = [];
  let start = -1;
  let lastContentEnd = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const content = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (BLANK.test(content)) {
      if (start >= 0) regions.push(plain(text, start, lastContentEnd));
      start = -1;
    } else {
      if (start < 0) start = lineStart + (content.length - content.trimStart().length);
      // Trailing blanks stay in: the cursor of someone typing `app_proto == ` is there.
      lastContentEnd = lineStart + content.length;
    }
    lineStart = lineEnd + 1;
  }
  if (start >= 0) regions.push(plain(text, start, lastContentEnd));
  return regions;
}

function plain(text: string, start: number, end: number): Region {
  return { text: text.slice(start, end), start, end, json: false };
}

/**
 * The `"filter"` string values of a JSON document, at any depth, found by a tolerant scan (a pack being
 * edited is often not valid JSON: what can be read is still checked).
 */
export function jsonFilterRegions(text: string, key = 'filter'): Region[] {
  const regions: Region[] = [];
  let i = 0;
  let lastString: string | undefined;
  let afterColon = false;
  let pendingKey: string | undefined;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const s = readJsonString(text, i);
      if (afterColon && pendingKey === key) regions.push(s.region);
      lastString = afterColon ? undefined : s.region.text;
      afterColon = false;
      pendingKey = undefined;
      i = s.next;
      continue;
    }
    if (c === 58 /* : */) {
      pendingKey = lastString;
      afterColon = true;
    } else if (c === 44 /* , */ || c === 123 /* { */ || c === 125 /* } */ || c === 91 /* [ */ || c === 93 /* ] */) {
      afterColon = false;
      pendingKey = undefined;
      lastString = undefined;
    } else if (c > 32) {
      // A number, true, false or null value.
      afterColon = false;
    }
    i++;
  }
  return regions;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Reads the JSON string whose opening quote is at `open`; an unterminated string ends at the line end. */
function readJsonString(text: string, open: number): { region: Region; next: number } {
  const offsets: number[] = [];
  let out = '';
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') break;
    if (ch === '\n') break;
    if (ch === '\\') {
      const e = text[i + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        offsets.push(i);
        out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
      offsets.push(i);
      out += simple ?? e ?? '';
      i += e === undefined ? 1 : 2;
      continue;
    }
    offsets.push(i);
    out += ch;
    i++;
  }
  offsets.push(i);
  const closed = text[i] === '"';
  return { region: { text: out, start: open + 1, end: i, json: true, offsets }, next: closed ? i + 1 : i };
}

/** `text` as the inside of a JSON string (no surrounding quotes). */
export function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
