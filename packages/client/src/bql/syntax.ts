/**
 * Lexical facts shared by the lexer, the printer, the builder and the validator: which characters make a
 * word, which words are reserved, how a bare word is classified (number, IP, date, plain word), and how
 * strings are quoted. Keeping them in one place is what makes `format` and `parse` agree.
 */

/** Words that are always keywords, in any case; as fields or words they must be quoted. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'select',
  'from',
  'where',
  'order',
  'by',
  'limit',
  'and',
  'or',
  'not',
  'in',
  'exists',
]);

/** True for `text` (any case) being one of {@link RESERVED_WORDS}. */
export function isReserved(text: string): boolean {
  // Keywords are 2..6 chars long: skip the lowercase copy for everything else (the hot path).
  return text.length >= 2 && text.length <= 6 && RESERVED_WORDS.has(text.toLowerCase());
}

/** True when `word` (any case) is the keyword `kw` (given in lower case). */
export function isKeyword(word: string, kw: string): boolean {
  if (word.length !== kw.length) return false;
  for (let i = 0; i < kw.length; i++) {
    // ASCII-only case fold: keywords are ASCII, so `| 0x20` maps A-Z onto a-z and leaves a-z alone.
    if ((word.charCodeAt(i) | 0x20) !== kw.charCodeAt(i)) return false;
  }
  return true;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Characters a bare word may continue with: letters, digits, `_ . - : /` (IPs, CIDRs, dotted paths). */
export function isWordChar(c: number): boolean {
  return (
    isLetter(c) ||
    isDigit(c) ||
    c === 95 /* _ */ ||
    c === 46 /* . */ ||
    c === 45 /* - */ ||
    c === 58 /* : */ ||
    c === 47
  ); /* / */
}

/** Characters a bare word may start with (`-` only before a digit, checked by the lexer). */
export function isWordStart(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95 || c === 58;
}

/**
 * A plain field path: dot-separated segments, each starting with a letter or `_` and going on with letters,
 * digits, `_` or `-` (`src.geo.org`, `_prn.id`, `rsp.content-type`). Not a reserved word.
 */
export function isPlainFieldPath(text: string): boolean {
  if (text.length === 0 || isReserved(text)) return false;
  let segStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (segStart) {
      if (!(isLetter(c) || c === 95)) return false;
      segStart = false;
    } else if (c === 46) {
      segStart = true;
    } else if (!(isLetter(c) || isDigit(c) || c === 95 || c === 45)) {
      return false;
    }
  }
  return !segStart;
}

/** What a bare word on the value side means. `bad-date` is `YYYY.MM.DD` naming no real day. */
export type WordClass = 'number' | 'ip4' | 'ip6' | 'date' | 'bad-date' | 'word';

/** Classifies a bare word: `-1.5` number, `10.0.0.0/8` ip4, `fe80::1` ip6, `2025.02.25` date, else word. */
export function classifyWord(text: string): WordClass {
  const c0 = text.charCodeAt(0);
  if (isDigit(c0) || c0 === 45) {
    if (isNumberText(text)) return 'number';
    if (isDateShape(text)) return dateToEpochMs(text) === undefined ? 'bad-date' : 'date';
    if (isIPv4(text, true)) return 'ip4';
  }
  if (text.includes(':') && isIPv6(text, true)) return 'ip6';
  return 'word';
}

/** `-?digits(.digits)?`. */
export function isNumberText(text: string): boolean {
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  const intStart = i;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  if (i === intStart) return false;
  if (i === text.length) return true;
  if (text.charCodeAt(i) !== 46) return false;
  const fracStart = ++i;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  return i > fracStart && i === text.length;
}

function isDateShape(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 46 || text.charCodeAt(7) !== 46) return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** UTC midnight of a `YYYY.MM.DD` date in epoch ms, or undefined when it names no real day. */
export function dateToEpochMs(text: string): number | undefined {
  if (!isDateShape(text)) return undefined;
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2025.02.30 over into March: a round trip tells real days from impossible ones.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return ms;
}

function splitPrefix(text: string, max: number, allowPrefix: boolean): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return text;
  if (!allowPrefix) return undefined;
  const prefix = text.slice(slash + 1);
  if (prefix.length === 0 || prefix.length > 3) return undefined;
  for (let i = 0; i < prefix.length; i++) if (!isDigit(prefix.charCodeAt(i))) return undefined;
  return Number(prefix) <= max ? text.slice(0, slash) : undefined;
}

/** Dotted-quad IPv4 (each part 0..255), optionally with `/0..32` when `allowPrefix`. */
export function isIPv4(text: string, allowPrefix = false): boolean {
  const addr = splitPrefix(text, 32, allowPrefix);
  if (addr === undefined) return false;
  const parts = addr.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) if (!isDigit(p.charCodeAt(i))) return false;
    if (Number(p) > 255) return false;
  }
  return true;
}

/** IPv6 in any RFC 4291 text form (`::`, embedded IPv4), optionally with `/0..128` when `allowPrefix`. */
export function isIPv6(text: string, allowPrefix = false): boolean {
  const addr = splitPrefix(text, 128, allowPrefix);
  if (addr === undefined || addr.length < 2) return false;
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  for (let h = 0; h < halves.length; h++) {
    const half = halves[h] ?? '';
    if (half.length === 0) continue;
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? '';
      const last = h === halves.length - 1 && i === parts.length - 1;
      if (last && p.includes('.')) {
        if (!isIPv4(p)) return false;
        groups += 2;
        continue;
      }
      if (p.length === 0 || p.length > 4) return false;
      for (let k = 0; k < p.length; k++) if (!isHex(p.charCodeAt(k))) return false;
      groups++;
    }
  }
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

/** True when `text` lexes back as exactly one bare word of class `word` (so a WordLiteral may print bare). */
export function isPlainWord(text: string): boolean {
  if (text.length === 0 || isReserved(text)) return false;
  const c0 = text.charCodeAt(0);
  if (!isWordStart(c0) && !(c0 === 45 && isDigit(text.charCodeAt(1)))) return false;
  for (let i = 1; i < text.length; i++) if (!isWordChar(text.charCodeAt(i))) return false;
  return classifyWord(text) === 'word';
}

/** Double-quotes a string, escaping `\`, `"`, newline, tab and carriage return; the lexer reads it back exactly. */
export function quoteString(value: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let esc: string | undefined;
    if (c === 92) esc = '\\\\';
    else if (c === 34) esc = '\\"';
    else if (c === 10) esc = '\\n';
    else if (c === 9) esc = '\\t';
    else if (c === 13) esc = '\\r';
    if (esc !== undefined) {
      out += value.slice(from, i) + esc;
      from = i + 1;
    }
  }
  return `${out}${value.slice(from)}"`;
}

/** A field or table name as text: bare when it is a plain path, else double-quoted. */
export function fieldText(name: string): string {
  return isPlainFieldPath(name) ? name : quoteString(name);
}
