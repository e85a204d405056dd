/**
 * The BQL printer: canonical text for an AST, such that `parse(format(ast))` equals `ast` (without spans).
 *
 * Canonical spelling follows what real clients were seen sending to PT NAD: `SELECT FROM WHERE ORDER BY
 * LIMIT EXISTS AND OR` in upper case, `not`, `in`, `asc`, `desc` in lower case; strings double-quoted;
 * fields bare when they are plain paths (else double-quoted); only the parentheses the tree needs.
 */

import type {
  BqlAst,
  ColumnItem,
  Expr,
  FieldRef,
  FuncCall,
  Literal,
  OrderItem,
  QueryAst,
  SelectItem,
  TableRef,
} from './ast.js';
import { classifyWord, dateToEpochMs, fieldText, isPlainFieldPath, isPlainWord, quoteString } from './syntax.js';

/** Options of {@link format}. */
export interface FormatOptions {
  /** Put each clause of a statement (SELECT, FROM, WHERE, ORDER BY, LIMIT) on its own line. Default false. */
  pretty?: boolean;
}

type Printable = BqlAst | Expr | Literal | FieldRef | FuncCall | SelectItem | TableRef | OrderItem;

/**
 * Prints an AST (statement, filter, or any expression or literal node) as canonical BQL text.
 * @example format(parse("a=='x' and (b or c)")) // 'a == "x" AND (b OR c)'
 */
export function format(ast: Printable, options: FormatOptions = {}): string {
  const pretty = options.pretty === true;
  switch (ast.kind) {
    case 'query':
      return printQuery(ast, pretty);
    case 'filter':
      return printExpr(ast.expr, 0);
    case 'star':
    case 'column':
      return printSelectItem(ast);
    case 'table':
      return fieldText(ast.name);
    case 'order':
      return printOrderItem(ast);
    case 'field':
      return fieldText(ast.name);
    case 'call':
      return printCall(ast);
    case 'string':
    case 'word':
    case 'number':
    case 'ip':
    case 'date':
      return printLiteral(ast);
    default:
      return printExpr(ast, 0);
  }
}

function printQuery(q: QueryAst, pretty: boolean): string {
  const parts = [`SELECT ${q.select.map(printSelectItem).join(', ')}`, `FROM ${fieldText(q.from.name)}`];
  if (q.where !== undefined) parts.push(`WHERE ${printExpr(q.where, 0)}`);
  if (q.orderBy.length > 0) parts.push(`ORDER BY ${q.orderBy.map(printOrderItem).join(', ')}`);
  if (q.limit !== undefined) parts.push(`LIMIT ${q.limit}`);
  return parts.join(pretty ? '\n' : ' ');
}

function printSelectItem(item: SelectItem): string {
  if (item.kind === 'star') return '*';
  return item.alias === undefined ? printColumn(item) : `${printColumn(item)} ${aliasText(item.alias)}`;
}

function printColumn(item: ColumnItem): string {
  const e = item.expr;
  if (e.kind === 'subquery') return `(${printQuery(e.query, false)})`;
  if (e.kind === 'call') return printCall(e);
  return fieldText(e.name);
}

function aliasText(alias: string): string {
  return isPlainFieldPath(alias) ? alias : quoteString(alias);
}

function printCall(call: FuncCall): string {
  const args = call.args.map((a) => (a.kind === 'field' ? fieldText(a.name) : printLiteral(a)));
  // A call name is written bare by the grammar; a name that is not a plain path cannot be printed faithfully.
  return `${call.name}(${args.join(', ')})`;
}

function printOrderItem(item: OrderItem): string {
  const f = fieldText(item.field.name);
  return item.direction === undefined ? f : `${f} ${item.direction}`;
}

/** Precedence levels: the lowest level a position accepts without parentheses. */
const OR = 1;
const AND = 2;
const NOT = 3;

function level(e: Expr): number {
  return e.kind === 'or' ? OR : e.kind === 'and' ? AND : e.kind === 'not' ? NOT : 4;
}

/** Prints `e` in a position that needs at least precedence `min`, adding parentheses when it has less. */
function printExpr(e: Expr, min: number): string {
  const text = printBare(e);
  return level(e) < min ? `(${text})` : text;
}

function printBare(e: Expr): string {
  switch (e.kind) {
    case 'or':
    case 'and': {
      // Left-associative: the left operand may be the same operator bare, a right one of the same operator
      // needs parentheses. Long chains are walked in a loop, not recursively, so 10k-term filters print.
      const rights: Expr[] = [];
      let cur: Expr = e;
      while (cur.kind === e.kind) {
        rights.push(cur.right);
        cur = cur.left;
      }
      const [word, leftMin, rightMin] = e.kind === 'or' ? [' OR ', OR, AND] : [' AND ', AND, NOT];
      let text = printExpr(cur, leftMin);
      for (let i = rights.length - 1; i >= 0; i--) text += word + printExpr(rights[i] as Expr, rightMin);
      return text;
    }
    case 'not':
      return `not ${printExpr(e.expr, NOT)}`;
    case 'compare':
      return `${fieldText(e.field.name)} ${e.op} ${printLiteral(e.value)}`;
    case 'in':
      return `${fieldText(e.field.name)} in [${e.values.map(printLiteral).join(', ')}]`;
    case 'has':
      return fieldText(e.field.name);
    case 'nested':
      return `${fieldText(e.object)}(${printExpr(e.filter, 0)})`;
    case 'exists':
      return `EXISTS (${printQuery(e.query, false)})`;
  }
}

/** A literal as text. Literals built by hand that cannot be written as their kind degrade to a quoted string. */
export function printLiteral(lit: Literal): string {
  switch (lit.kind) {
    case 'string':
      return quoteString(lit.value);
    case 'word':
      return isPlainWord(lit.value) ? lit.value : quoteString(lit.value);
    case 'number':
      return classifyWord(lit.raw) === 'number' && Number(lit.raw) === lit.value ? lit.raw : numberText(lit.value);
    case 'ip': {
      const cls = classifyWord(lit.value);
      return cls === 'ip4' || cls === 'ip6' ? lit.value : quoteString(lit.value);
    }
    case 'date':
      return dateToEpochMs(lit.raw) === lit.epochMs ? lit.raw : String(lit.epochMs);
  }
}

/**
 * A finite number as a BQL number token: plain decimal digits, never exponent notation (`1e21` is not a
 * BQL number). Throws RangeError for NaN and infinities, which BQL cannot express.
 */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`BQL has no literal for ${n}`);
  if (Object.is(n, -0)) return '0';
  const s = String(n);
  if (!s.includes('e')) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  // Small magnitudes such as 1.5e-7: shift the shortest round-trip digits behind the decimal point.
  const [mantissa = '', exponent = '0'] = s.split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  return `${negative ? '-' : ''}0.${'0'.repeat(-Number(exponent) - 1)}${digits}`;
}
