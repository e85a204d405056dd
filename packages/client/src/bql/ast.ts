/**
 * The BQL abstract syntax tree: the contract between the parser, the printer, the validator,
 * the safe builder, the SDK and the emulator's engine.
 *
 * Design notes (why it looks like this):
 * - Spans are optional and never part of equality: `stripSpans(a)` deep-equals `stripSpans(b)` is what
 *   "the same query" means (round-trips through `format` keep the structure, not the offsets).
 * - Quote style is not kept: a quoted field name and a bare one are the same field, and a single- or
 *   double-quoted string is the same string. Bare words (`app_proto == bittorrent`) stay their own kind,
 *   because the printer writes them back bare and users expect to see what they wrote.
 * - AND/OR are binary and left-associative, as parsed; the printer adds the parentheses that keep
 *   a right-nested tree the same tree.
 */

import type { CompareOp } from './operators.js';

/** Half-open [start, end) UTF-16 offsets into the parsed text. */
export interface Span {
  start: number;
  end: number;
}

// ---------------------------------------------------------------- literals

/** A quoted string literal (either quote style), after escape processing. */
export interface StringLiteral {
  kind: 'string';
  value: string;
  span?: Span;
}

/** An unquoted word on the value side: `bittorrent`, `POST`, `ENCRYPTED`. Means the same string. */
export interface WordLiteral {
  kind: 'word';
  value: string;
  span?: Span;
}

/** An integer or decimal, possibly negative. `raw` is the text as written (kept for printing). */
export interface NumberLiteral {
  kind: 'number';
  value: number;
  raw: string;
  span?: Span;
}

/** An unquoted IPv4 or IPv6 address, optionally with a /prefix (CIDR). */
export interface IpLiteral {
  kind: 'ip';
  /** Text as written, e.g. "192.168.1.10", "fe80::1", "10.0.0.0/8". */
  value: string;
  version: 4 | 6;
  span?: Span;
}

/** A `YYYY.MM.DD` date literal; means UTC midnight of that day (PT NAD shows UTC). */
export interface DateLiteral {
  kind: 'date';
  /** Text as written, e.g. "2025.02.25". */
  raw: string;
  /** UTC midnight of that day, in epoch milliseconds. */
  epochMs: number;
  span?: Span;
}

/** Any value-side literal. */
export type Literal = StringLiteral | WordLiteral | NumberLiteral | IpLiteral | DateLiteral;

// ---------------------------------------------------------------- references

/** A field path such as `src.ip`, `_prn.id`, `rsp.content-type`; quoted or not when written. */
export interface FieldRef {
  kind: 'field';
  /** The full dotted path, exactly as named (case kept: `rqs.Referer`). */
  name: string;
  span?: Span;
}

/** A function call such as `extract_raw_object('false_positive')`. */
export interface FuncCall {
  kind: 'call';
  name: string;
  args: Array<Literal | FieldRef>;
  span?: Span;
}

/** A parenthesised `SELECT ...` used as a select item (its cell is an array of rows). */
export interface SubQuery {
  kind: 'subquery';
  query: QueryAst;
  span?: Span;
}

// ---------------------------------------------------------------- conditions

/** Comparison operators (`==`, `!=`, `~`, `<`, `>`, `<=`, `>=`): derived from the table in operators.ts. */
export type { CompareOp } from './operators.js';

/** `field OP literal`. A quoted token on the left is a field, on the right a literal. */
export interface CompareExpr {
  kind: 'compare';
  op: CompareOp;
  field: FieldRef;
  value: Literal;
  span?: Span;
}

/** `field in [v1, v2, ...]`. */
export interface InExpr {
  kind: 'in';
  field: FieldRef;
  values: Literal[];
  span?: Span;
}

/** A bare field as a condition: true when the field is present and non-empty (`files`, `!dst.dns`). */
export interface ExistsFieldExpr {
  kind: 'has';
  field: FieldRef;
  span?: Span;
}

/** `object(filter)`: some child object of `object` satisfies the whole inner filter. */
export interface NestedExpr {
  kind: 'nested';
  /** The child object's path, e.g. "http" (may be dotted). */
  object: string;
  filter: Expr;
  span?: Span;
}

/** `EXISTS (SELECT * FROM table WHERE ...)`. */
export interface ExistsQueryExpr {
  kind: 'exists';
  query: QueryAst;
  span?: Span;
}

/** `left AND right` (also `&&`, `and`). */
export interface AndExpr {
  kind: 'and';
  left: Expr;
  right: Expr;
  span?: Span;
}

/** `left OR right` (also `||`, `or`). */
export interface OrExpr {
  kind: 'or';
  left: Expr;
  right: Expr;
  span?: Span;
}

/** `!x`, `not x`, `NOT x`. Binds looser than a comparison: `not a == 1` is `not (a == 1)`. */
export interface NotExpr {
  kind: 'not';
  expr: Expr;
  span?: Span;
}

/** Any condition of a WHERE clause or bare filter. */
export type Expr = CompareExpr | InExpr | ExistsFieldExpr | NestedExpr | ExistsQueryExpr | AndExpr | OrExpr | NotExpr;

// ---------------------------------------------------------------- statements

/** `*` in a select list (EXISTS subqueries use it). */
export interface StarItem {
  kind: 'star';
  span?: Span;
}

/** One select item; `alias` comes from the implicit alias form `dst.ip proto`. */
export interface ColumnItem {
  kind: 'column';
  expr: FieldRef | FuncCall | SubQuery;
  alias?: string;
  span?: Span;
}

/** One entry of a select list. */
export type SelectItem = StarItem | ColumnItem;

/** The table after FROM, quoted or not when written. */
export interface TableRef {
  kind: 'table';
  /** `flow`, `alert`, or a child table such as `http`, `files`, `dns`. */
  name: string;
  span?: Span;
}

/** One ORDER BY entry. */
export interface OrderItem {
  kind: 'order';
  field: FieldRef;
  /** Absent means the server default (ascending). */
  direction?: 'asc' | 'desc';
  span?: Span;
}

/** A full statement: `SELECT ... FROM ... [WHERE ...] [ORDER BY ...] [LIMIT n]`. */
export interface QueryAst {
  kind: 'query';
  select: SelectItem[];
  from: TableRef;
  where?: Expr;
  orderBy: OrderItem[];
  limit?: number;
  span?: Span;
}

/** A bare filter (the UI filter language), as accepted inside WHERE. */
export interface FilterAst {
  kind: 'filter';
  expr: Expr;
  span?: Span;
}

/** What `parse` returns: a statement or a bare filter. */
export type BqlAst = QueryAst | FilterAst;

/** Every node kind of the tree. */
export type AnyNode =
  | Literal
  | FieldRef
  | FuncCall
  | SubQuery
  | Expr
  | SelectItem
  | TableRef
  | OrderItem
  | QueryAst
  | FilterAst;

/** A deep copy of a node without any `span` properties: what equality of ASTs means. */
export function stripSpans<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n) => stripSpans(n)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'span' || value === undefined) continue;
    out[key] = stripSpans(value);
  }
  return out as T;
}
