/**
 * Compiles a condition AST into one closure per node, once per query: evaluating a row then costs a few
 * function calls and property reads, with no AST walking. Semantics (documented in the emulator README):
 * - a field with several values (array fields, paths through child arrays) matches when ANY value matches;
 * - `!=` is the negation of `==`: `src.groups != 'HOME_NET'` means "no element equals" (missing values pass);
 * - `~` matches the whole value with `*`/`?` wildcards, case-insensitively; `==` is case-sensitive;
 * - a bare field is true when the value is present and non-empty (false booleans and empty strings are empty);
 * - `obj(filter)` and `EXISTS (SELECT * FROM child WHERE ...)` need ONE child satisfying the whole filter.
 */
import type { CompareOp, Expr, Literal, QueryAst, Span } from 'ptnad-client/bql';
import { engineError } from './errors.js';
import { childScope, type Getter, type Scope } from './fields.js';
import { ipMatcher, ipv4ToInt, isNumericText, parseTimeText, wildcardRegExp } from './literals.js';

/** A compiled condition over one row. */
export type Predicate = (row: unknown) => boolean;
type ValueTest = (v: unknown) => boolean;

/** Compilation context: the query text (for error positions). */
export interface CompileEnv {
  text: string;
}

/** Compiles a condition in a scope. Throws BqlEngineError for unknown fields/tables and bad operands. */
export function compileExpr(expr: Expr, scope: Scope, env: CompileEnv): Predicate {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const parts = flatten(expr, expr.kind).map((e) => compileExpr(e, scope, env));
      return expr.kind === 'and' ? allOf(parts) : anyOf(parts);
    }
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
      const get = fieldGetter(scope, expr.field.name, expr.field.span, env);
      const type = scope.typeOf(expr.field.name);
      const tests = expr.values.map((v) => valueTest('==', v, type, expr.field.name, env));
      const strings =
        expr.values.every((v) => v.kind === 'string' || v.kind === 'word') &&
        (type === undefined || type === 'string' || type === 'enum' || type === 'mac' || type === 'unknown');
      if (strings) {
        // The common `app_service in [...]` case: one Set lookup instead of N comparisons.
        const set = new Set(expr.values.map((v) => (v.kind === 'string' || v.kind === 'word' ? v.value : '')));
        return anyValue(get, (v) => (typeof v === 'string' ? set.has(v) : typeof v === 'number' && set.has(String(v))));
      }
      return anyValue(get, (v) => tests.some((t) => t(v)));
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
  const bad = (why: string) =>
    engineError(env.text, lit.span, `bad operand for '${field}' ${op}: ${describe(lit)} ${why}`);
  const text = lit.kind === 'number' ? lit.raw : lit.kind === 'date' ? lit.raw : lit.value;
  if (type === 'object') {
    throw engineError(
      env.text,
      lit.span,
      `bad operand for '${field}' ${op}: '${field}' is an object; compare one of its fields, test it bare, or filter it as ${field}(...)`,
    );
  }
  if (op === '~') {
    const re = wildcardRegExp(text);
    return (v) =>
      typeof v === 'string' ? re.test(v) : typeof v === 'number' || typeof v === 'boolean' ? re.test(String(v)) : false;
  }
  const eqOp = op === '==' || op === '!=';
  if (type === 'datetime') {
    const t = lit.kind === 'number' ? lit.value : lit.kind === 'date' ? lit.epochMs : parseTimeText(text);
    if (t === undefined) throw bad('is not a time (use epoch ms, YYYY.MM.DD or an ISO date-time)');
    return numericTest(eqOp ? '==' : op, t);
  }
  if (lit.kind === 'ip' || (type === 'ip' && (lit.kind === 'string' || lit.kind === 'word') && ipMatcher(text))) {
    const match = ipMatcher(text);
    if (match === undefined) throw bad('is not an IP address or CIDR range');
    if (eqOp) return (v) => typeof v === 'string' && match(v);
    const key = ipv4ToInt(text);
    if (key === undefined || text.includes('/')) throw bad('cannot be ordered (only single IPv4 addresses can)');
    return ((cmp) => (v: unknown) => {
      const n = typeof v === 'string' ? ipv4ToInt(v) : undefined;
      return n !== undefined && cmp(n);
    })(orderCmp(op, key));
  }
  if (lit.kind === 'number' || lit.kind === 'date') {
    const n = lit.kind === 'number' ? lit.value : lit.epochMs;
    return numericTest(eqOp ? '==' : op, n);
  }
  // A string or bare word.
  const s = lit.value;
  if (isNumericType(type)) {
    if (!isNumericText(s)) throw bad('is not a number');
    return numericTest(eqOp ? '==' : op, Number(s));
  }
  if (type === 'bool') {
    const b = s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : undefined;
    if (b === undefined) throw bad('is not a boolean (true, false, 1 or 0)');
    if (!eqOp) throw bad('cannot be ordered: the field is a boolean');
    return (v) => v === b || v === (b ? 1 : 0);
  }
  if (eqOp) return (v) => v === s || ((typeof v === 'number' || typeof v === 'boolean') && String(v) === s);
  const num = isNumericText(s) ? Number(s) : undefined;
  const cmpN = num === undefined ? undefined : orderCmp(op, num);
  const cmpS = orderCmp(op, s);
  return (v) => {
    if (typeof v === 'number') return cmpN?.(v) === true;
    return typeof v === 'string' && cmpS(v);
  };
}

function orderCmp<T extends number | string>(op: CompareOp, x: T): (v: T) => boolean {
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
      return (v) => v === x;
  }
}

/** `field OP n` for numbers: numbers compare, numeric strings convert, booleans are 1/0. */
function numericTest(op: CompareOp, n: number): ValueTest {
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
