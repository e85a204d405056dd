/**
 * Safe construction of BQL from untrusted values: the `bql` template tag turns every interpolated value into
 * exactly one literal token, and then proves it by parsing the result and checking that each value landed as
 * one literal (or, for `field(...)`, one name) at the place it was written. Nothing a value contains can
 * change the structure of the query.
 */

import { ValidationError } from '../core/errors.js';
import type { BqlAst, Literal } from './ast.js';
import { parse } from './parser.js';
import { format, numberText, printLiteral } from './printer.js';
import { classifyWord, fieldText, isIPv4, isIPv6 } from './syntax.js';

const BRAND = Symbol.for('ptnad-client.bql.query');
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const LITERAL_KINDS = new Set(['string', 'word', 'number', 'ip', 'date']);

/** A query or filter built by {@link bql}: its text and its parsed AST. Accepted wherever a BQL string is. */
export class BqlQuery<A extends BqlAst = BqlAst, Text extends string = string> {
  /** Marks instances across duplicated copies of this module (see {@link isBqlQuery}). */
  readonly [BRAND] = true;

  constructor(
    /** The BQL text to send (a literal type when `bql` was called with literal parts; see {@link TextOf}). */
    readonly text: Text,
    /** The parsed form of `text`. */
    readonly ast: A,
  ) {}

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}

/** True for a {@link BqlQuery} (also one made by another copy of this package). */
export function isBqlQuery(x: unknown): x is BqlQuery {
  if (x instanceof BqlQuery) return true;
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { [BRAND]?: unknown; text?: unknown; ast?: unknown };
  return r[BRAND] === true && typeof r.text === 'string' && typeof r.ast === 'object' && r.ast !== null;
}

/** A field (or table) name to interpolate into {@link bql} as an identifier; made by {@link field}. */
export class FieldName {
  constructor(readonly name: string) {}

  toString(): string {
    return fieldText(this.name);
  }
}

/**
 * Marks `name` as a field path for {@link bql}. Only dotted identifier paths are accepted (`src.ip`,
 * `rsp.content-type`, `_prn.id`); reserved words are quoted when printed.
 * @throws {ValidationError} for anything that is not a field path (spaces, quotes, operators, empty).
 * @example bql`${field('dst.port')} == ${443}`.text // 'dst.port == 443'
 */
export function field(name: string): FieldName {
  if (typeof name !== 'string' || !FIELD_PATH.test(name)) {
    throw new ValidationError(`Not a BQL field path: ${JSON.stringify(String(name)).slice(0, 80)}`);
  }
  return new FieldName(name);
}

/** A JavaScript value the builder can turn into one BQL literal. */
export type BqlScalar = string | number | bigint | boolean | Date | Literal;

/** Anything {@link bql} accepts between `${}`. */
export type BqlValue = BqlScalar | readonly BqlScalar[] | FieldName | BqlQuery | BqlAst;

/**
 * The literal AST node for a JavaScript value: strings stay strings (never words, so never keywords),
 * numbers and bigints become numbers, booleans 1/0 (PT NAD writes booleans as 1), Dates epoch milliseconds.
 * @throws {ValidationError} for NaN, infinities, invalid Dates and unsupported types.
 * @example literal(new Date(0)) // { kind: 'number', value: 0, raw: '0' }
 */
export function literal(value: BqlScalar): Literal {
  switch (typeof value) {
    case 'string':
      return { kind: 'string', value };
    case 'number': {
      if (!Number.isFinite(value)) throw new ValidationError(`BQL has no literal for ${value}`);
      const raw = numberText(value);
      return { kind: 'number', value: Number(raw), raw };
    }
    case 'bigint':
      return { kind: 'number', value: Number(value), raw: value.toString() };
    case 'boolean':
      return { kind: 'number', value: value ? 1 : 0, raw: value ? '1' : '0' };
    default:
      break;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ValidationError('Cannot use an invalid Date in BQL');
    return literal(ms);
  }
  if (isLiteralNode(value)) return checkLiteral(value);
  throw new ValidationError(`Cannot use ${describe(value)} as a BQL literal`);
}

/**
 * The text type of a `bql` call: the literal parts joined around a placeholder when they are known at compile
 * time (`bql([...parts], ...values)`), else `string`. TypeScript gives a tagged template's parts the type
 * `TemplateStringsArray`, without their literal text (microsoft/TypeScript#33304), so a tagged template's text is
 * `string`; the row typing of `client.bql.query` then falls back to `Record<string, unknown>`.
 */
export type TextOf<S extends readonly string[]> = number extends S['length'] ? string : JoinParts<S>;

/** What stands for an interpolated value in {@link TextOf}: a select item holding it is not typed. */
export type ValuePlaceholder = '\u0001';

type JoinParts<S extends readonly string[], Out extends string = ''> = S extends readonly [
  infer H extends string,
  ...infer T extends readonly string[],
]
  ? JoinParts<T, Out extends '' ? H : `${Out}${ValuePlaceholder}${H}`>
  : Out;

/**
 * Template tag that builds a statement or filter from trusted text and untrusted values. Strings become
 * quoted literals, numbers/bigints/Dates/booleans numbers, arrays `[...]`, `field()` names identifiers, and
 * nested `bql` fragments parenthesised sub-expressions (or subqueries).
 * @throws {BqlSyntaxError} when the template text itself is not valid BQL.
 * @throws {ValidationError} for values it cannot express, or a value that is not a whole literal where it
 *   was placed (e.g. a string in a field position: use `field()`).
 * Called as a function with the parts as an array literal, the text keeps its literal type, so
 * `client.bql.query()` types the rows from the select list (TypeScript cannot do that for the tag form).
 * @example bql`SELECT src.ip FROM flow WHERE dst.ip == ${ip} AND files.filename ~ ${name} LIMIT ${10}`
 * @example bql(['SELECT id, msg FROM alert WHERE attacker.ip == ', ' LIMIT 50'], ip) // rows typed { id, msg }
 */
export function bql<const S extends readonly string[]>(strings: S, ...values: BqlValue[]): BqlQuery<BqlAst, TextOf<S>> {
  // Called as a function, the parts must surround the values exactly as a template's would.
  if (!Array.isArray(strings) || strings.length !== values.length + 1) {
    throw new ValidationError(
      `bql needs one more text part than values (got ${Array.isArray(strings) ? strings.length : 'no'} parts for ${values.length} values)`,
    );
  }
  // A tagged template's cooked text is undefined where the source has an invalid escape such as `\u{`.
  const part = (i: number): string => {
    const s: unknown = strings[i];
    if (s === undefined) throw new ValidationError(`bql template part #${i + 1} has an invalid escape sequence`);
    if (typeof s !== 'string') throw new ValidationError(`bql text part #${i + 1} is not a string`);
    return s;
  };
  let text = part(0);
  const literalSpans: Array<[start: number, end: number, index: number]> = [];
  const nameSpans: Array<[start: number, end: number, index: number]> = [];
  values.forEach((value, index) => {
    if (value instanceof FieldName) {
      const t = fieldText(value.name);
      nameSpans.push([text.length, text.length + t.length, index]);
      text += t;
    } else if (isBqlQuery(value) || isAst(value)) {
      const ast = isBqlQuery(value) ? value.ast : value;
      text += `(${format(ast)})`;
    } else if (Array.isArray(value)) {
      text += '[';
      value.forEach((v: BqlScalar, k: number) => {
        if (k > 0) text += ', ';
        if (Array.isArray(v) || v instanceof FieldName || isBqlQuery(v)) {
          throw new ValidationError(`Value #${index + 1}: arrays may only hold literal values`);
        }
        const t = printLiteral(literal(v));
        literalSpans.push([text.length, text.length + t.length, index]);
        text += t;
      });
      text += ']';
    } else {
      const t = printLiteral(literal(value as BqlScalar));
      literalSpans.push([text.length, text.length + t.length, index]);
      text += t;
    }
    text += part(index + 1);
  });
  const ast = parse(text);
  const { literals, names } = collectSpans(ast);
  for (const [start, end, index] of literalSpans) {
    if (!literals.has(key(start, end))) {
      throw new ValidationError(
        `Value #${index + 1} is not a whole literal where it was placed (at offset ${start}): interpolate values only where a value is expected, and use field() for names`,
      );
    }
  }
  for (const [start, end, index] of nameSpans) {
    if (!names.has(key(start, end))) {
      throw new ValidationError(
        `field() value #${index + 1} is not a whole name where it was placed (at offset ${start})`,
      );
    }
  }
  return new BqlQuery(text as TextOf<S>, ast);
}

function key(start: number, end: number): string {
  return `${start}:${end}`;
}

/** Spans of every literal token and every name token (field, table, nested object) in the tree. */
function collectSpans(root: BqlAst): { literals: Set<string>; names: Set<string> } {
  const literals = new Set<string>();
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as { kind?: unknown; span?: { start: number; end: number }; object?: unknown };
    if (n.span !== undefined) {
      if (typeof n.kind === 'string' && LITERAL_KINDS.has(n.kind)) literals.add(key(n.span.start, n.span.end));
      if (n.kind === 'field' || n.kind === 'table') names.add(key(n.span.start, n.span.end));
      // LIMIT is not a literal node; when present it is the statement's last token, so its span ends the query's.
      const limit = (node as { limit?: unknown }).limit;
      if (n.kind === 'query' && typeof limit === 'number')
        literals.add(key(n.span.end - String(limit).length, n.span.end));
      if (n.kind === 'nested' && typeof n.object === 'string') {
        names.add(key(n.span.start, n.span.start + fieldText(n.object).length));
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'span' && typeof v === 'object') walk(v);
  };
  walk(root);
  return { literals, names };
}

function isLiteralNode(v: unknown): v is Literal {
  return typeof v === 'object' && v !== null && LITERAL_KINDS.has(String((v as { kind?: unknown }).kind));
}

function isAst(v: unknown): v is BqlAst {
  if (typeof v !== 'object' || v === null) return false;
  const kind = (v as { kind?: unknown }).kind;
  return kind === 'query' || kind === 'filter';
}

/** Checks a hand-made literal node, so a malformed one cannot smuggle text through the printer. */
function checkLiteral(lit: Literal): Literal {
  const bad = (): never => {
    throw new ValidationError(`Malformed ${lit.kind} literal node`);
  };
  switch (lit.kind) {
    case 'string':
    case 'word':
      if (typeof lit.value !== 'string') bad();
      break;
    case 'number':
      if (typeof lit.value !== 'number' || !Number.isFinite(lit.value)) bad();
      break;
    case 'ip':
      if (typeof lit.value !== 'string' || !(isIPv4(lit.value, true) || isIPv6(lit.value, true))) bad();
      break;
    case 'date':
      if (typeof lit.raw !== 'string' || classifyWord(lit.raw) !== 'date') bad();
      break;
  }
  return lit;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? `an object (${Object.prototype.toString.call(v)})` : `a ${typeof v}`;
}
