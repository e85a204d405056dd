/**
 * Compiles a condition AST into one closure per node, once per query: evaluating a row then costs a few
 * function calls and property reads, with no AST walking. Semantics (documented in the emulator README):
 * - a field with several values (array fields, paths through child arrays) matches when ANY value matches;
 * - `!=` is the negation of `==`: `src.groups != 'HOME_NET'` means "no element equals" (missing values pass);
 * - `~` matches the whole value with `*`/`?` wildcards, case-insensitively; `==` is case-sensitive;
 * - a bare field is true when the value is present and non-empty (false booleans and empty strings are empty);
 * - `obj(filter)` and `EXISTS (SELECT * FROM child WHERE ...)` need ONE child satisfying the whole filter.
 */
import {
  assertNever,
  type CompareOp,
  type Expr,
  type Literal,
  type OrderingOp,
  type QueryAst,
  type Span,
} from 'ptnad-client/bql';
import { type EqualityKey, keysTest, keyTest, type ValueTest } from './equality.js';
import { engineError } from './errors.js';
import { childScope, type Getter, type Scope } from './fields.js';
import { ipEqualityKey, ipv4ToInt, isNumericText, parseTimeText } from './literals.js';
import { compileWildcard } from './wildcard.js';

/** A compiled condition over one row. */
export type Predicate = (row: unknown) => boolean;

/** Compilation context: the query text (for error positions). */
export interface CompileEnv {
  text: string;
}

/** Compiles a condition in a scope. Throws BqlEngineError for unknown fields/tables and bad operands. */
export function compileExpr(expr: Expr, scope: Scope, env: CompileEnv): Predicate {
  switch (expr.kind) {
    case 'and':
      return allOf(flatten(expr, 'and').map((e) => compileExpr(e, scope, env)));
    case 'or':
      return anyOf(compileDisjuncts(flatten(expr, 'or'), scope, env));
    case 'not': {
      const inner = compileExpr(expr.expr, scope, env);
      return (row) => !inner(row);
    }
    case 'compare': {
      const get = fieldGetter(scope, expr.field.name, expr.field.span, env);
      const test = valueTest(expr.op, expr.value, scope.typeOf(expr.field.name), expr.field.name, env);
      const any = anyValue(get, test);
      return expr.op === '!=' ? (row) => !any(row) : any;
    }
    case 'in': {
      // One set lookup per value instead of one comparison per literal (`src.ip in [10,000 addresses]`).
      const get = fieldGetter(scope, expr.field.name, expr.field.span, env);
      const type = scope.typeOf(expr.field.name);
      const keys = expr.values.map((v) => equalityKey('==', v, type, expr.field.name, env));
      return anyValue(get, keysTest(keys));
    }
    case 'has': {
      const get = fieldGetter(scope, expr.field.name, expr.field.span, env);
      return (row) => present(get(row));
    }
    case 'nested':
      return compileNested(expr.object, expr.filter, expr.span, scope, env);
    case 'exists':
      return compileExists(expr.query, scope, env);
  }
}

function flatten(expr: Expr, kind: 'and' | 'or'): Expr[] {
  // Iterative: chains of thousands of ANDs are left-deep trees; recursion per operator could overflow.
  const out: Expr[] = [];
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop() as Expr;
    if (e.kind === kind) stack.push(e.right, e.left);
    else out.push(e);
  }
  return out;
}

/**
 * The terms of an OR chain. `f == a OR f == b OR ...` (and `f in [...]` terms) on one field become one set lookup,
 * as `f in [a, b, ...]`: the same answer (any value equal to any literal), without one test per term per row.
 */
function compileDisjuncts(terms: Expr[], scope: Scope, env: CompileEnv): Predicate[] {
  const groups = new Map<string, Expr[]>();
  for (const t of terms) {
    if ((t.kind === 'compare' && t.op === '==') || t.kind === 'in') {
      const g = groups.get(t.field.name);
      if (g === undefined) groups.set(t.field.name, [t]);
      else g.push(t);
    }
  }
  const parts: Predicate[] = [];
  for (const t of terms) {
    const g = (t.kind === 'compare' || t.kind === 'in') && groups.get(t.field.name);
    if (!g || g.length < 2 || !g.includes(t)) {
      parts.push(compileExpr(t, scope, env));
      continue;
    }
    if (g[0] !== t) continue;
    const get = fieldGetter(scope, t.field.name, t.field.span, env);
    const type = scope.typeOf(t.field.name);
    const keys: EqualityKey[] = [];
    for (const e of g) {
      if (e.kind === 'compare') keys.push(equalityKey('==', e.value, type, e.field.name, env));
      else if (e.kind === 'in') for (const v of e.values) keys.push(equalityKey('==', v, type, e.field.name, env));
    }
    parts.push(anyValue(get, keysTest(keys)));
  }
  return parts;
}

function allOf(parts: Predicate[]): Predicate {
  if (parts.length === 2) {
    const [a, b] = parts as [Predicate, Predicate];
    return (row) => a(row) && b(row);
  }
  return (row) => {
    for (const p of parts) if (!p(row)) return false;
    return true;
  };
}

function anyOf(parts: Predicate[]): Predicate {
  if (parts.length === 2) {
    const [a, b] = parts as [Predicate, Predicate];
    return (row) => a(row) || b(row);
  }
  return (row) => {
    for (const p of parts) if (p(row)) return true;
    return false;
  };
}

/** The getter of a field, or a BqlEngineError naming it. */
export function fieldGetter(scope: Scope, name: string, span: Span | undefined, env: CompileEnv): Getter {
  const get = scope.getter(name);
  if (get === undefined) throw engineError(env.text, span, `unknown field '${name}' in table '${scope.table}'`);
  return get;
}

function anyValue(get: Getter, test: ValueTest): Predicate {
  return (row) => {
    const v = get(row);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (test(v[i])) return true;
      return false;
    }
    return test(v);
  };
}

/** Present and non-empty: not null, not '', not false, not an empty array. */
export function present(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === false) return false;
  if (Array.isArray(v)) return v.some(present);
  return true;
}

function isNumericType(t: string | undefined): boolean {
  return t === 'int' || t === 'port' || t === 'float';
}

function describe(lit: Literal): string {
  return lit.kind === 'number' ? lit.raw : lit.kind === 'date' ? lit.raw : `'${lit.value}'`;
}

/** The test one value must pass for `field OP literal`, specialised by literal kind and field type. */
function valueTest(op: CompareOp, lit: Literal, type: string | undefined, field: string, env: CompileEnv): ValueTest {
  rejectObject(op, lit, type, field, env);
  switch (op) {
    case '~': {
      const match = compileWildcard(literalText(lit));
      return (v) =>
        typeof v === 'string' ? match(v) : typeof v === 'number' || typeof v === 'boolean' ? match(String(v)) : false;
    }
    case '==':
    case '!=':
      // `!=` is the negation of the whole `==` test, applied by the caller (no value equals).
      return keyTest(equalityKey(op, lit, type, field, env));
    case '<':
    case '>':
    case '<=':
    case '>=':
      return orderTest(op, lit, type, field, env);
    default:
      return assertNever(op, 'comparison operator');
  }
}

function rejectObject(op: CompareOp, lit: Literal, type: string | undefined, field: string, env: CompileEnv): void {
  if (type !== 'object') return;
  throw engineError(
    env.text,
    lit.span,
    `bad operand for '${field}' ${op}: '${field}' is an object; compare one of its fields, test it bare, or filter it as ${field}(...)`,
  );
}

function literalText(lit: Literal): string {
  return lit.kind === 'number' ? lit.raw : lit.kind === 'date' ? lit.raw : lit.value;
}

function badOperand(op: CompareOp, lit: Literal, field: string, env: CompileEnv, why: string) {
  return engineError(env.text, lit.span, `bad operand for '${field}' ${op}: ${describe(lit)} ${why}`);
}

function timeOf(op: CompareOp, lit: Literal, field: string, env: CompileEnv): number {
  const t = lit.kind === 'number' ? lit.value : lit.kind === 'date' ? lit.epochMs : parseTimeText(lit.value);
  if (t === undefined)
    throw badOperand(op, lit, field, env, 'is not a time (use epoch ms, YYYY.MM.DD or an ISO date-time)');
  return t;
}

/** An IP literal, or a string/word naming an address on an IP field. */
function ipText(lit: Literal, type: string | undefined): string | undefined {
  if (lit.kind === 'ip') return lit.value;
  if (type === 'ip' && (lit.kind === 'string' || lit.kind === 'word') && ipEqualityKey(lit.value)) return lit.value;
  return undefined;
}

/** What `field == literal` means for this field type (shared by `==`, `!=` and `in [...]`). */
export function equalityKey(
  op: CompareOp,
  lit: Literal,
  type: string | undefined,
  field: string,
  env: CompileEnv,
): EqualityKey {
  rejectObject(op, lit, type, field, env);
  if (type === 'datetime') return { kind: 'number', n: timeOf(op, lit, field, env) };
  const ip = ipText(lit, type);
  if (ip !== undefined) {
    const key = ipEqualityKey(ip);
    if (key === undefined) throw badOperand(op, lit, field, env, 'is not an IP address or CIDR range');
    return key;
  }
  if (lit.kind === 'number') return { kind: 'number', n: lit.value };
  if (lit.kind === 'date') return { kind: 'number', n: lit.epochMs };
  const s = lit.value;
  if (isNumericType(type)) {
    if (!isNumericText(s)) throw badOperand(op, lit, field, env, 'is not a number');
    return { kind: 'number', n: Number(s) };
  }
  if (type === 'bool') return { kind: 'bool', b: boolOf(op, lit, field, env) };
  return { kind: 'string', s };
}

function boolOf(op: CompareOp, lit: Literal & { value: string }, field: string, env: CompileEnv): boolean {
  const s = lit.value;
  const b = s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : undefined;
  if (b === undefined) throw badOperand(op, lit, field, env, 'is not a boolean (true, false, 1 or 0)');
  return b;
}

/** `<`, `>`, `<=`, `>=`: numbers, times, numeric text, single IPv4 addresses, and strings (text order). */
function orderTest(op: OrderingOp, lit: Literal, type: string | undefined, field: string, env: CompileEnv): ValueTest {
  if (type === 'datetime') return numericTest(op, timeOf(op, lit, field, env));
  const ip = ipText(lit, type);
  if (ip !== undefined) {
    if (ipEqualityKey(ip) === undefined) throw badOperand(op, lit, field, env, 'is not an IP address or CIDR range');
    const key = ipv4ToInt(ip);
    if (key === undefined || ip.includes('/'))
      throw badOperand(op, lit, field, env, 'cannot be ordered (only single IPv4 addresses can)');
    const cmp = orderCmp(op, key);
    return (v) => {
      const n = typeof v === 'string' ? ipv4ToInt(v) : undefined;
      return n !== undefined && cmp(n);
    };
  }
  if (lit.kind === 'number') return numericTest(op, lit.value);
  if (lit.kind === 'date') return numericTest(op, lit.epochMs);
  const s = lit.value;
  if (isNumericType(type)) {
    if (!isNumericText(s)) throw badOperand(op, lit, field, env, 'is not a number');
    return numericTest(op, Number(s));
  }
  if (type === 'bool') {
    boolOf(op, lit, field, env);
    throw badOperand(op, lit, field, env, 'cannot be ordered: the field is a boolean');
  }
  const num = isNumericText(s) ? Number(s) : undefined;
  const cmpN = num === undefined ? undefined : orderCmp(op, num);
  const cmpS = orderCmp(op, s);
  return (v) => {
    if (typeof v === 'number') return cmpN?.(v) === true;
    return typeof v === 'string' && cmpS(v);
  };
}

function orderCmp<T extends number | string>(op: OrderingOp, x: T): (v: T) => boolean {
  switch (op) {
    case '<':
      return (v) => v < x;
    case '>':
      return (v) => v > x;
    case '<=':
      return (v) => v <= x;
    case '>=':
      return (v) => v >= x;
    default:
      return assertNever(op, 'ordering operator');
  }
}

/** `field OP n` for numbers: numbers compare, numeric strings convert, booleans are 1/0. */
function numericTest(op: OrderingOp, n: number): ValueTest {
  const cmp = orderCmp(op, n);
  return (v) => {
    if (typeof v === 'number') return cmp(v);
    if (typeof v === 'string') return v !== '' && isNumericText(v) && cmp(Number(v));
    if (typeof v === 'boolean') return cmp(v ? 1 : 0);
    return false;
  };
}

function compileNested(object: string, filter: Expr, span: Span | undefined, scope: Scope, env: CompileEnv): Predicate {
  const rowsOf = scope.childRows(object);
  if (rowsOf !== undefined) return someChild(rowsOf, compileExpr(filter, scope.child(object), env));
  // Not a child table: an object or array of objects inside the row (`src(ip == 10.0.0.1 && port == 80)`).
  const get = fieldGetter(scope, object, span, env);
  const inner = compileExpr(filter, childScope(object.slice(object.lastIndexOf('.') + 1)), env);
  return (row) => {
    const v = get(row);
    if (Array.isArray(v)) return v.some((x) => x !== null && typeof x === 'object' && inner(x));
    return v !== null && typeof v === 'object' && inner(v);
  };
}

function someChild(rowsOf: (row: unknown) => unknown[], inner: Predicate): Predicate {
  return (row) => {
    const rows = rowsOf(row);
    for (let i = 0; i < rows.length; i++) if (inner(rows[i])) return true;
    return false;
  };
}

function compileExists(q: QueryAst, scope: Scope, env: CompileEnv): Predicate {
  const table = q.from.name;
  const rowsOf = scope.childRows(table);
  if (rowsOf === undefined) {
    throw engineError(
      env.text,
      q.from.span,
      `unknown table '${table}' inside '${scope.table}' (EXISTS reads a child table or the parent flow)`,
    );
  }
  if (q.where === undefined) return someChild(rowsOf, () => true);
  return someChild(rowsOf, compileExpr(q.where, scope.child(table), env));
}
