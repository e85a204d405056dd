/**
 * The BQL parser: hand-written recursive descent over the on-demand lexer.
 *
 * Precedence, loosest first: OR (`|| or OR`), AND (`&& and AND`), NOT (`! not NOT`), then a primary
 * (comparison, `in [...]`, bare field, `obj(filter)`, `EXISTS (SELECT ...)`, parentheses). NOT binds looser
 * than a comparison: `not a == 1` is `not (a == 1)`. Nesting is capped at {@link MAX_DEPTH} levels so hostile
 * input fails with a {@link BqlSyntaxError} instead of overflowing the stack.
 */

import type { BqlSyntaxError } from '../core/errors.js';
import type {
  BqlAst,
  ColumnItem,
  CompareOp,
  Expr,
  FieldRef,
  FilterAst,
  FuncCall,
  Literal,
  OrderItem,
  QueryAst,
  SelectItem,
  TableRef,
} from './ast.js';
import { describeToken, Lexer, syntaxError, Tok, type Token, type TokenKind } from './lexer.js';
import { classifyWord, dateToEpochMs, isKeyword, isPlainFieldPath, isReserved } from './syntax.js';

/** Deepest nesting of parentheses, NOTs, object filters and subqueries the parser accepts. */
export const MAX_DEPTH = 256;

/**
 * Most AND/OR operators in one text. Chains are left-deep trees, and every consumer that recurses over the
 * AST (printers, evaluators, deep equality) needs one stack frame per operator: the cap keeps them all safe.
 * Long value lists belong in `field in [...]`, which has no such limit.
 */
export const MAX_BOOLEAN_OPERATORS = 2048;

const END = 'end of input';
const BOOL_OPS = ['AND', 'OR'];

/**
 * Parses a full statement `SELECT ... FROM ... [WHERE ...] [ORDER BY ...] [LIMIT n]`.
 * @throws {BqlSyntaxError} with line, column and a caret snippet when `text` is not a statement.
 * @example parseQuery('SELECT src.ip FROM flow WHERE dst.port == 443 LIMIT 10').limit // 10
 */
export function parseQuery(text: string): QueryAst {
  return new Parser(text).query(false);
}

/**
 * Parses a bare filter (the UI filter language that also runs inside WHERE).
 * @throws {BqlSyntaxError} with line, column and a caret snippet when `text` is not a filter.
 * @example parseFilter("app_proto == 'http' && dst.port != 80").expr.kind // 'and'
 */
export function parseFilter(text: string): FilterAst {
  const p = new Parser(text);
  const start = p.tok.start;
  const expr = p.or();
  p.expectEnd(BOOL_OPS);
  return { kind: 'filter', expr, span: { start, end: p.lastEnd } };
}

/**
 * Parses either form: text whose first word is `SELECT` (any case) is a statement, anything else a filter.
 * @throws {BqlSyntaxError} when the text is neither.
 * @example parse('files').kind // 'filter'
 */
export function parse(text: string): BqlAst {
  const first = new Lexer(text).next();
  if (first.kind === Tok.Word && isKeyword(first.text, 'select')) return parseQuery(text);
  try {
    return parseFilter(text);
  } catch (err) {
    // `SELEC src.ip FROM flow` fails as a filter at its second word; the first one is the real mistake.
    if (first.kind === Tok.Word && nearSelect(first.text)) {
      throw syntaxError(text, first.start, `unknown keyword '${first.text}'; did you mean SELECT?`, ['SELECT']);
    }
    throw err;
  }
}

/** A misspelt SELECT: one edit (insert, delete, change or swap of two letters) away from it. */
function nearSelect(word: string): boolean {
  const a = word.toLowerCase();
  const b = 'select';
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
    const [i, j] = diff;
    return diff.length === 1 || (diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i]);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}

function queryTail(q: QueryAst): string[] {
  return q.where !== undefined ? [...BOOL_OPS, 'ORDER BY', 'LIMIT'] : ['WHERE', 'ORDER BY', 'LIMIT'];
}

class Parser {
  private readonly lexer: Lexer;
  tok: Token;
  /** End offset of the last consumed token: where spans end and "end of input" is shown. */
  lastEnd = 0;
  private depth = 0;
  private operators = 0;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
    this.tok = this.lexer.next();
  }

  // ------------------------------------------------------------ token helpers

  private advance(): Token {
    const t = this.tok;
    this.lastEnd = t.end;
    this.tok = this.lexer.next();
    return t;
  }

  /** A method, not `this.tok.kind === k` inline: TS would keep that narrowing across advance() calls. */
  private at(kind: TokenKind): boolean {
    return this.tok.kind === kind;
  }

  private isKw(kw: string): boolean {
    return this.at(Tok.Word) && isKeyword(this.tok.text, kw);
  }

  fail(expected: string[], reason?: string, at?: number): BqlSyntaxError {
    const t = this.tok;
    const offset = at ?? (t.kind === Tok.EOF ? this.lexer.contentEndBefore(t.start) : t.start);
    let why = reason;
    if (why === undefined) {
      why = t.kind === Tok.EOF && this.lastEnd === 0 ? 'empty query' : `unexpected ${describeToken(t)}`;
      if (t.kind === Tok.Bad && t.text === '=') why += " (equality is '==')";
      else if (t.kind === Tok.Bad && (t.text === '&' || t.text === '|')) why += ` (did you mean '${t.text}${t.text}'?)`;
      if (expected.length > 0) why += `; expected ${listText(expected)}`;
    }
    return syntaxError(this.text, offset, why, expected);
  }

  private expectKw(kw: string, label = kw.toUpperCase()): Token {
    if (!this.isKw(kw)) throw this.fail([label]);
    return this.advance();
  }

  private expectClose(kind: typeof Tok.RParen | typeof Tok.RBracket, open: Token, more: string[]): Token {
    if (this.tok.kind === kind) return this.advance();
    const close = kind === Tok.RParen ? "')'" : "']'";
    const where = syntaxError(this.text, open.start, '');
    throw this.fail(
      [close, ...more],
      `${this.at(Tok.EOF) ? 'missing' : `unexpected ${describeToken(this.tok)}, expected`} ${close} (the '${open.text}' at line ${where.line}, column ${where.column} is never closed)`,
    );
  }

  expectEnd(more: string[]): void {
    if (!this.at(Tok.EOF)) throw this.fail([...more, END]);
  }

  private countOperator(): void {
    if (++this.operators > MAX_BOOLEAN_OPERATORS) {
      const reason = `more than ${MAX_BOOLEAN_OPERATORS} AND/OR operators (use 'field in [...]' for long lists)`;
      throw this.fail([], reason, this.tok.start);
    }
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      throw this.fail([], `nesting deeper than ${MAX_DEPTH} levels`, this.tok.start);
    }
  }

  // ------------------------------------------------------------ statements

  /** `SELECT ...`; a subquery stops before its `)`, a top-level statement must end the text. */
  query(sub: boolean): QueryAst {
    const start = this.expectKw('select').start;
    const select: SelectItem[] = [this.selectItem()];
    while (this.at(Tok.Comma)) {
      this.advance();
      select.push(this.selectItem());
    }
    if (!this.isKw('from')) throw this.fail(["','", 'FROM']);
    this.advance();
    const from = this.table();
    const q: QueryAst = { kind: 'query', select, from, orderBy: [] };
    if (this.isKw('where')) {
      this.advance();
      q.where = this.or();
    }
    if (this.isKw('order')) {
      this.advance();
      this.expectKw('by');
      q.orderBy.push(this.orderItem());
      while (this.at(Tok.Comma)) {
        this.advance();
        q.orderBy.push(this.orderItem());
      }
    }
    if (this.isKw('limit')) {
      this.advance();
      q.limit = this.limitValue();
    }
    // A subquery at end of input is left to the caller, which reports the unclosed '('.
    const done = sub ? this.at(Tok.RParen) || this.at(Tok.EOF) : this.at(Tok.EOF);
    if (!done) {
      const tail = q.limit !== undefined ? [] : q.orderBy.length > 0 ? ["','", 'LIMIT'] : queryTail(q);
      throw this.fail([...tail, sub ? "')'" : END]);
    }
    q.span = { start, end: this.lastEnd };
    return q;
  }

  private selectItem(): SelectItem {
    const t = this.tok;
    if (t.kind === Tok.Star) {
      this.advance();
      return { kind: 'star', span: { start: t.start, end: t.end } };
    }
    let expr: ColumnItem['expr'];
    if (t.kind === Tok.LParen) {
      this.advance();
      this.enter();
      if (!this.isKw('select')) throw this.fail(['SELECT']);
      const query = this.query(true);
      const close = this.expectClose(Tok.RParen, t, []);
      this.depth--;
      expr = { kind: 'subquery', query, span: { start: t.start, end: close.end } };
    } else {
      const field = this.fieldRef(['*', 'field', 'function call', '(SELECT ...)']);
      expr = this.at(Tok.LParen) && t.kind === Tok.Word ? this.call(field) : field;
    }
    const item: ColumnItem = { kind: 'column', expr };
    const a = this.tok;
    if ((a.kind === Tok.Word && isPlainFieldPath(a.text)) || a.kind === Tok.String) {
      if (a.kind === Tok.String && a.text.length === 0) throw this.fail([], 'empty alias');
      item.alias = a.text;
      this.advance();
      // `x AS y` (SQL): BQL writes the alias right after the column, without AS.
      const n = this.tok;
      if (
        a.kind === Tok.Word &&
        isKeyword(a.text, 'as') &&
        (n.kind === Tok.String || (n.kind === Tok.Word && !isKeyword(n.text, 'from')))
      ) {
        throw this.fail(
          [],
          `BQL has no AS: write the alias right after the column, e.g. 'SELECT src.ip source FROM flow'`,
          a.start,
        );
      }
    }
    item.span = { start: t.start, end: this.lastEnd };
    return item;
  }

  private call(name: FieldRef): FuncCall {
    const open = this.advance();
    const args: FuncCall['args'] = [];
    if (!this.at(Tok.RParen)) {
      args.push(this.callArg());
      while (this.at(Tok.Comma)) {
        this.advance();
        args.push(this.callArg());
      }
    }
    this.expectClose(Tok.RParen, open, args.length > 0 ? ["','"] : ['argument']);
    return { kind: 'call', name: name.name, args, span: { start: name.span?.start ?? open.start, end: this.lastEnd } };
  }

  /** A call argument: a quoted token is a string, a bare path a field, anything else a literal. */
  private callArg(): Literal | FieldRef {
    const t = this.tok;
    if (t.kind === Tok.Word && !isReserved(t.text) && isPlainFieldPath(t.text) && classifyWord(t.text) === 'word') {
      this.advance();
      return { kind: 'field', name: t.text, span: { start: t.start, end: t.end } };
    }
    return this.value(['argument']);
  }

  private table(): TableRef {
    const t = this.tok;
    const ok = t.kind === Tok.Word ? isPlainFieldPath(t.text) : t.kind === Tok.String && t.text.length > 0;
    if (!ok) throw this.fail(['table name']);
    this.advance();
    return { kind: 'table', name: t.text, span: { start: t.start, end: t.end } };
  }

  private orderItem(): OrderItem {
    const field = this.fieldRef(['field']);
    const item: OrderItem = { kind: 'order', field };
    if (this.isKw('asc') || this.isKw('desc')) {
      item.direction = this.advance().text.toLowerCase() === 'asc' ? 'asc' : 'desc';
    }
    item.span = { start: field.span?.start ?? 0, end: this.lastEnd };
    return item;
  }

  private limitValue(): number {
    const t = this.tok;
    if (t.kind !== Tok.Word || classifyWord(t.text) !== 'number') throw this.fail(['non-negative integer']);
    const n = Number(t.text);
    if (!/^\d+$/.test(t.text) || !Number.isSafeInteger(n)) {
      throw this.fail([], `LIMIT must be a non-negative integer, got '${t.text}'`);
    }
    this.advance();
    return n;
  }

  // ------------------------------------------------------------ conditions

  or(): Expr {
    let left = this.and();
    while (this.at(Tok.OrOr) || this.isKw('or')) {
      this.countOperator();
      this.advance();
      const right = this.and();
      left = { kind: 'or', left, right, span: { start: spanStart(left), end: this.lastEnd } };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.at(Tok.AndAnd) || this.isKw('and')) {
      this.countOperator();
      this.advance();
      const right = this.not();
      left = { kind: 'and', left, right, span: { start: spanStart(left), end: this.lastEnd } };
    }
    return left;
  }

  private not(): Expr {
    if (!this.at(Tok.Bang) && !this.isKw('not')) return this.primary();
    const start = this.advance().start;
    this.enter();
    const expr = this.not();
    this.depth--;
    return { kind: 'not', expr, span: { start, end: this.lastEnd } };
  }

  private primary(): Expr {
    const t = this.tok;
    if (t.kind === Tok.LParen) {
      this.advance();
      this.enter();
      const inner = this.or();
      this.expectClose(Tok.RParen, t, BOOL_OPS);
      this.depth--;
      return inner;
    }
    if (this.isKw('exists')) {
      this.advance();
      const open = this.tok;
      if (open.kind !== Tok.LParen) throw this.fail(["'('"]);
      this.advance();
      this.enter();
      if (!this.isKw('select')) throw this.fail(['SELECT']);
      const query = this.query(true);
      this.expectClose(Tok.RParen, open, []);
      this.depth--;
      return { kind: 'exists', query, span: { start: t.start, end: this.lastEnd } };
    }
    const field = this.fieldRef(['field', "'('", 'NOT', 'EXISTS']);
    const next = this.tok;
    if (next.kind === Tok.LParen) {
      this.advance();
      this.enter();
      const filter = this.or();
      this.expectClose(Tok.RParen, next, BOOL_OPS);
      this.depth--;
      return { kind: 'nested', object: field.name, filter, span: { start: t.start, end: this.lastEnd } };
    }
    if (next.kind === Tok.Compare) {
      this.advance();
      const value = this.value(['value']);
      return { kind: 'compare', op: next.text as CompareOp, field, value, span: { start: t.start, end: this.lastEnd } };
    }
    if (this.isKw('in')) {
      this.advance();
      const open = this.tok;
      if (open.kind !== Tok.LBracket) throw this.fail(["'['"]);
      this.advance();
      const values: Literal[] = [];
      if (!this.at(Tok.RBracket)) {
        values.push(this.value(['value', "']'"]));
        while (this.at(Tok.Comma)) {
          this.advance();
          values.push(this.value(['value']));
        }
      }
      this.expectClose(Tok.RBracket, open, values.length > 0 ? ["','"] : ['value']);
      return { kind: 'in', field, values, span: { start: t.start, end: this.lastEnd } };
    }
    return { kind: 'has', field, span: { start: t.start, end: t.end } };
  }

  /** A field in identifier position: a plain bare path, or any non-empty quoted token. */
  private fieldRef(expected: string[]): FieldRef {
    const t = this.tok;
    if (t.kind === Tok.String) {
      if (t.text.length === 0) throw this.fail([], 'empty field name');
    } else if (t.kind !== Tok.Word || !isPlainFieldPath(t.text)) {
      if (t.kind === Tok.Word && !isReserved(t.text)) {
        throw this.fail(
          expected,
          `'${t.text}' is not a field name (quote it if it is one); expected ${listText(expected)}`,
        );
      }
      throw this.fail(expected);
    }
    this.advance();
    return { kind: 'field', name: t.text, span: { start: t.start, end: t.end } };
  }

  /** A literal in value position: quoted string, or a bare number, IP, date or word. */
  private value(expected: string[]): Literal {
    const t = this.tok;
    const span = { start: t.start, end: t.end };
    if (t.kind === Tok.String) {
      this.advance();
      return { kind: 'string', value: t.text, span };
    }
    if (t.kind !== Tok.Word || isReserved(t.text)) throw this.fail(expected);
    const cls = classifyWord(t.text);
    if (cls === 'bad-date') throw this.fail([], `invalid date '${t.text}' (expected YYYY.MM.DD naming a real day)`);
    this.advance();
    switch (cls) {
      case 'number':
        return { kind: 'number', value: Number(t.text), raw: t.text, span };
      case 'ip4':
      case 'ip6':
        return { kind: 'ip', value: t.text, version: cls === 'ip4' ? 4 : 6, span };
      case 'date':
        return { kind: 'date', raw: t.text, epochMs: dateToEpochMs(t.text) ?? 0, span };
      default:
        return { kind: 'word', value: t.text, span };
    }
  }
}

function spanStart(e: Expr): number {
  return e.span?.start ?? 0;
}

function listText(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
