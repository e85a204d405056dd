/**
 * The BQL lexer: an on-demand tokenizer over UTF-16 char codes (no regular expression per character), so
 * the parser sees errors in text order and a typical filter is tokenized in a few microseconds.
 */

import { BqlSyntaxError } from '../core/errors.js';
import { locate } from './location.js';
import { compareOpAt } from './operators.js';
import { isDigit, isWordChar, isWordStart } from './syntax.js';

/** Character codes the lexer dispatches on, by name (jsep's `OPAREN_CODE` style). */
export const Ch = {
  TAB: 9,
  LF: 10,
  VT: 11,
  FF: 12,
  CR: 13,
  SPACE: 32,
  BANG: 33,
  DQUOTE: 34,
  AMP: 38,
  SQUOTE: 39,
  LPAREN: 40,
  RPAREN: 41,
  STAR: 42,
  COMMA: 44,
  MINUS: 45,
  EQUALS: 61,
  LBRACKET: 91,
  BACKSLASH: 92,
  RBRACKET: 93,
  LOWER_N: 110,
  LOWER_R: 114,
  LOWER_T: 116,
  PIPE: 124,
} as const;

/** Token kinds. Plain numbers instead of a TS enum keep the lexer erasable and fast to compare. */
export const Tok = {
  EOF: 0,
  /** A bare word: field path, keyword, number, IP, date or word literal (the parser decides by position). */
  Word: 1,
  /** A quoted token; `text` holds the value after escape processing. */
  String: 2,
  LParen: 3,
  RParen: 4,
  LBracket: 5,
  RBracket: 6,
  Comma: 7,
  Star: 8,
  /** `!` not followed by `=`. */
  Bang: 9,
  AndAnd: 10,
  OrOr: 11,
  /** A comparison operator; `text` is the operator. */
  Compare: 12,
  /** A character that starts no token; `text` is that character. */
  Bad: 13,
} as const;

export type TokenKind = (typeof Tok)[keyof typeof Tok];

export interface Token {
  kind: TokenKind;
  /** Offset of the first character (the opening quote for strings). */
  start: number;
  /** Offset just after the last character. */
  end: number;
  text: string;
}

/**
 * Builds a {@link BqlSyntaxError} at `offset` of `text`, with a 1-based line and column and a snippet that
 * quotes the offending line with a caret under the column (long lines are cut to a window around it).
 */
export function syntaxError(text: string, offset: number, reason: string, expected: string[] = []): BqlSyntaxError {
  const where = locate(text, offset);
  return new BqlSyntaxError(reason, { ...where, expected });
}

/** Describes a token for an error message: `'=='`, `word 'abc'`, `string "x"`, `end of input`. */
export function describeToken(tok: Token): string {
  switch (tok.kind) {
    case Tok.EOF:
      return 'end of input';
    case Tok.Word:
      return `'${clip(tok.text)}'`;
    case Tok.String:
      return `string ${JSON.stringify(clip(tok.text))}`;
    case Tok.Bad: {
      // Invisible characters (NBSP, BOM, zero-width, controls) pasted from documents get their code point.
      const c = tok.text.charCodeAt(0);
      const invisible =
        c < 0x20 ||
        (c >= 0x7f && c <= 0xa0) ||
        c === 0xfeff ||
        (c >= 0x2000 && c <= 0x200f) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x3000;
      return invisible ? `character U+${c.toString(16).toUpperCase().padStart(4, '0')}` : `character '${tok.text}'`;
    }
    default:
      return `'${tok.text}'`;
  }
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Tokenizes `text` one token at a time; throws {@link BqlSyntaxError} only for unterminated strings. */
export class Lexer {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Offset just after the last non-whitespace character before `offset` (where "end of input" is shown). */
  contentEndBefore(offset: number): number {
    let i = Math.min(offset, this.text.length);
    while (i > 0 && isSpace(this.text.charCodeAt(i - 1))) i--;
    return i;
  }

  next(): Token {
    const text = this.text;
    const n = text.length;
    let i = this.pos;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) {
      this.pos = n;
      return { kind: Tok.EOF, start: n, end: n, text: '' };
    }
    const start = i;
    const c = text.charCodeAt(i);
    if (isWordStart(c) || (c === Ch.MINUS && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      this.pos = i;
      return { kind: Tok.Word, start, end: i, text: text.slice(start, i) };
    }
    if (c === Ch.SQUOTE || c === Ch.DQUOTE) return this.string(start, c);
    // Comparison operators come from the operator table (longest spelling first); the rest is punctuation.
    const op = compareOpAt(text, i);
    if (op !== undefined) {
      this.pos = start + op.length;
      return { kind: Tok.Compare, start, end: this.pos, text: op };
    }
    const c1 = i + 1 < n ? text.charCodeAt(i + 1) : -1;
    switch (c) {
      case Ch.LPAREN:
        return this.single(Tok.LParen, start, '(');
      case Ch.RPAREN:
        return this.single(Tok.RParen, start, ')');
      case Ch.LBRACKET:
        return this.single(Tok.LBracket, start, '[');
      case Ch.RBRACKET:
        return this.single(Tok.RBracket, start, ']');
      case Ch.COMMA:
        return this.single(Tok.Comma, start, ',');
      case Ch.STAR:
        return this.single(Tok.Star, start, '*');
      case Ch.EQUALS: // a lone '=' (equality is '=='): the parser explains it
        return this.single(Tok.Bad, start, '=');
      case Ch.BANG: // '!' not followed by '=' (that is the operator '!=')
        return this.single(Tok.Bang, start, '!');
      case Ch.AMP:
        return c1 === Ch.AMP ? this.pair(Tok.AndAnd, start, '&&') : this.single(Tok.Bad, start, '&');
      case Ch.PIPE:
        return c1 === Ch.PIPE ? this.pair(Tok.OrOr, start, '||') : this.single(Tok.Bad, start, '|');
      default: {
        // Report a whole surrogate pair as one character.
        const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
        this.pos = start + width;
        return { kind: Tok.Bad, start, end: start + width, text: text.slice(start, start + width) };
      }
    }
  }

  private single(kind: TokenKind, start: number, text: string): Token {
    this.pos = start + 1;
    return { kind, start, end: start + 1, text };
  }

  private pair(kind: TokenKind, start: number, text: string): Token {
    this.pos = start + 2;
    return { kind, start, end: start + 2, text };
  }

  /**
   * A quoted token. Escapes: `\\ \' \" \n \t \r`. Any other escaped character keeps its backslash
   * (`"\d"` is the two characters `\d`), so wildcard or regex-like text pasted from the UI survives.
   */
  private string(start: number, quote: number): Token {
    const text = this.text;
    const n = text.length;
    let i = start + 1;
    let out = '';
    let from = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        this.pos = i + 1;
        return { kind: Tok.String, start, end: i + 1, text: out + text.slice(from, i) };
      }
      if (c === Ch.BACKSLASH && i + 1 < n) {
        const e = text.charCodeAt(i + 1);
        let rep: string;
        if (e === Ch.BACKSLASH || e === Ch.SQUOTE || e === Ch.DQUOTE) rep = text[i + 1] ?? '';
        else if (e === Ch.LOWER_N) rep = '\n';
        else if (e === Ch.LOWER_T) rep = '\t';
        else if (e === Ch.LOWER_R) rep = '\r';
        else rep = `\\${text[i + 1] ?? ''}`;
        out += text.slice(from, i) + rep;
        i += 2;
        from = i;
        continue;
      }
      i++;
    }
    throw syntaxError(text, start, 'unterminated string literal', [quote === Ch.DQUOTE ? '"' : "'"]);
  }
}

function isSpace(c: number): boolean {
  return c === Ch.SPACE || c === Ch.LF || c === Ch.CR || c === Ch.TAB || c === Ch.FF || c === Ch.VT;
}
