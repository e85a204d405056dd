/**
 * Offline checks of a parsed query against the field catalogue. Unknown names are warnings (PT NAD versions
 * add fields; the catalogue cannot be complete); values that can never match a field's type are errors.
 */

import type { BqlAst, CompareOp, Expr, FieldRef, Literal, QueryAst, Span } from './ast.js';
import { fieldPaths, getTable, lookupField, type ResolvedField, TABLES } from './fields.js';
import { assertNever } from './operators.js';
import { dateToEpochMs, isIPv4, isIPv6 } from './syntax.js';

/** One finding of {@link validate}. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  /** Where in the parsed text (absent for ASTs built without spans). */
  span?: Span;
  /** Stable machine-readable kind, e.g. `unknown-field`, `type-mismatch`. */
  code?: string;
  /** A likely intended name for unknown fields, tables and values ("did you mean"). */
  suggestion?: string;
}

/** Options of {@link validate}. */
export interface ValidateOptions {
  /** Table a bare filter runs against. Default `flow` (statements use their own FROM). */
  table?: string;
}

/** Functions known to exist on PT NAD (§8.1). */
const KNOWN_FUNCTIONS = new Set(['extract_raw_object']);

/** Naive or zoned ISO date-time as PT NAD accepts in quotes: `2025-04-06`, `2025-04-06T15:49:19(.123)(Z)`. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Checks a statement or filter against the field catalogue: unknown tables, fields, functions and enum
 * values are warnings with a "did you mean" suggestion; type mismatches are errors (`dst.port == 'abc'`,
 * `src.ip == 300.1.1.1`, `~` on a number, a non-time value on a time field). Never throws.
 * @example validate(parse("dst.prot == 80"))[0]?.suggestion // 'dst.port'
 */
export function validate(ast: BqlAst, options: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (ast.kind === 'query') {
    checkQuery(ast, out, 'top');
    return out;
  }
  const table = options.table ?? 'flow';
  const known = getTable(table) !== undefined;
  if (!known) {
    const suggestion = closest(table, [...TABLES.keys()]);
    push(out, unknown(`unknown table '${table}'`, 'unknown-table', suggestion), undefined);
  }
  checkExpr(ast.expr, known ? table : undefined, out);
  return out;
}

function push(out: Diagnostic[], d: Diagnostic, span: Span | undefined): void {
  if (span !== undefined) d.span = span;
  out.push(d);
}

function checkQuery(q: QueryAst, out: Diagnostic[], role: 'top' | 'scalar' | 'exists'): void {
  const table = q.from.name;
  const known = getTable(table) !== undefined;
  if (!known) {
    const suggestion = closest(table, [...TABLES.keys()]);
    push(out, unknown(`unknown table '${table}'`, 'unknown-table', suggestion), q.from.span);
  }
  if (role === 'exists') {
    if (q.limit !== undefined) {
      push(
        out,
        warn('exists-clause', 'LIMIT inside EXISTS has no effect: EXISTS only asks whether a row matches'),
        q.span,
      );
    }
    if (q.orderBy.length > 0) {
      push(out, warn('exists-clause', 'ORDER BY inside EXISTS has no effect'), q.orderBy[0]?.span);
    }
  }
  for (const item of q.select) {
    if (item.kind === 'star') continue;
    const e = item.expr;
    if (e.kind === 'subquery') checkQuery(e.query, out, 'scalar');
    else if (e.kind === 'call') {
      if (!KNOWN_FUNCTIONS.has(e.name)) {
        push(out, warn('unknown-function', `unknown function '${e.name}'`), e.span);
      }
    } else if (known) resolve(e, table, out);
  }
  if (q.where !== undefined) checkExpr(q.where, known ? table : undefined, out);
  if (known) for (const o of q.orderBy) resolve(o.field, table, out);
}

/** Checks an expression; `table` undefined means "unknown table": structure only, no field checks. */
function checkExpr(e: Expr, table: string | undefined, out: Diagnostic[]): void {
  switch (e.kind) {
    case 'and':
    case 'or': {
      // A loop over the chain, not recursion: filters with thousands of terms must not overflow the stack.
      const stack: Expr[] = [e];
      for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
        if (x.kind === 'and' || x.kind === 'or') stack.push(x.right, x.left);
        else checkExpr(x, table, out);
      }
      return;
    }
    case 'not':
      checkExpr(e.expr, table, out);
      return;
    case 'exists':
      checkQuery(e.query, out, 'exists');
      return;
    case 'has':
      if (table !== undefined) resolve(e.field, table, out);
      return;
    case 'nested': {
      if (table === undefined) {
        checkExpr(e.filter, undefined, out);
        return;
      }
      const obj = resolve({ kind: 'field', name: e.object, span: e.span }, table, out);
      if (obj !== undefined && obj.type !== 'object') {
        push(out, error('type-mismatch', `'${e.object}' is a ${obj.type} field, not an object with fields`), e.span);
      }
      // Inner names are relative to the child table; a prefix object (`src(...)`) is not a known table.
      const inner =
        obj?.type === 'object' && getTable(obj.table) !== undefined && obj.table !== table ? obj.table : undefined;
      checkExpr(e.filter, inner, out);
      return;
    }
    case 'compare':
    case 'in': {
      if (e.kind === 'in' && e.values.length === 0) {
        push(out, warn('empty-list', `'${e.field.name} in []' never matches`), e.span);
      }
      if (table === undefined) return;
      const f = resolve(e.field, table, out);
      if (f === undefined) return;
      if (e.kind === 'compare') checkValue(f, e.field, e.op, e.value, out);
      else for (const v of e.values) checkValue(f, e.field, '==', v, out);
      return;
    }
  }
}

function resolve(ref: FieldRef, table: string, out: Diagnostic[]): ResolvedField | undefined {
  const f = lookupField(table, ref.name);
  if (f === undefined) {
    const suggestion = closest(ref.name, fieldPaths(table));
    push(out, unknown(`unknown field '${ref.name}' for table '${table}'`, 'unknown-field', suggestion), ref.span);
  } else if (f.open === true) {
    // `rqs.<header>` accepts any name, so a near miss of a known field is more likely a typo than a header.
    const suggestion = closest(ref.name, fieldPaths(table));
    if (suggestion !== undefined && suggestion !== ref.name) {
      const msg = `'${ref.name}' is read as a header field of '${table}'`;
      push(out, unknown(msg, 'unknown-field', suggestion), ref.span);
    }
  }
  return f;
}

function checkValue(f: ResolvedField, ref: FieldRef, op: CompareOp, v: Literal, out: Diagnostic[]): void {
  const problem = valueProblem(f, ref, op, v, out);
  if (problem !== undefined) push(out, error('type-mismatch', problem), v.span);
}

/** Why `v` can never match `f` (an error message), or undefined; pushes the softer findings itself. */
function valueProblem(
  f: ResolvedField,
  ref: FieldRef,
  op: CompareOp,
  v: Literal,
  out: Diagnostic[],
): string | undefined {
  const name = ref.name;
  const mismatch = (msg: string): string => msg;
  if (f.type === 'object') {
    push(
      out,
      error('type-mismatch', `'${name}' is an object: test it bare ('${name}') or with ${name}(...)`),
      ref.span,
    );
    return;
  }
  const numeric = f.type === 'port' || f.type === 'int' || f.type === 'float';
  const role = operatorRole(op);
  if (role === 'wildcard' && (numeric || f.type === 'bool' || f.type === 'datetime')) {
    push(out, error('bad-operator', `'${op}' is a wildcard text match; '${name}' is a ${f.type} field`), ref.span);
    return;
  }
  if (f.type === 'bool' && role !== 'equality') {
    push(out, error('bad-operator', `'${op}' does not apply to the boolean field '${name}'`), ref.span);
    return;
  }
  const text = v.kind === 'string' || v.kind === 'word' ? v.value : undefined;
  switch (f.type) {
    case 'ip':
      if (v.kind === 'ip') return;
      if (text !== undefined && (isIPv4(text, true) || isIPv6(text, true))) return;
      if (text !== undefined && role === 'wildcard' && /[*?]/.test(text)) return;
      return mismatch(`'${name}' is an IP address field; ${show(v)} is not an IP address`);
    case 'port':
    case 'int':
    case 'float': {
      const n = v.kind === 'number' ? v.value : text !== undefined && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
      if (Number.isNaN(n)) return mismatch(`'${name}' is a number field (${f.type}); ${show(v)} is not a number`);
      if (f.type !== 'float' && !Number.isInteger(n))
        return mismatch(`'${name}' holds integers; ${show(v)} is not one`);
      if (f.type === 'port' && (n < 0 || n > 65535)) {
        push(out, warn('out-of-range', `${show(v)} is outside the port range 0-65535`), v.span);
      }
      return;
    }
    case 'bool':
      if (v.kind === 'number' && (v.value === 0 || v.value === 1)) return;
      if (text !== undefined && /^(true|false)$/i.test(text)) return;
      return mismatch(`'${name}' is a boolean field (write 1 or 0); ${show(v)} is not a boolean`);
    case 'datetime':
      if (v.kind === 'date') return;
      if (v.kind === 'number') {
        if (Math.abs(v.value) < 1e11 && v.value !== 0) {
          push(out, warn('time-unit', `${show(v)} looks like epoch seconds; BQL time values are milliseconds`), v.span);
        }
        return;
      }
      if (v.kind === 'string' && isIsoTime(v.value)) return;
      return mismatch(
        `'${name}' is a time field; ${show(v)} is not a time (use epoch ms, YYYY.MM.DD or an ISO date-time string)`,
      );
    case 'enum':
      if (text !== undefined && role !== 'wildcard' && f.values !== undefined) {
        const lower = text.toLowerCase();
        if (!f.values.some((x) => x.toLowerCase() === lower)) {
          const d = warn('unknown-value', `'${text}' is not a known value of '${name}'`);
          const s = closest(text, [...f.values]);
          if (s !== undefined) d.suggestion = s;
          push(out, d, v.span);
        }
      }
      return;
    default:
      return;
  }
}

/** How the validator treats an operator: every operator must be given a role here. */
function operatorRole(op: CompareOp): 'equality' | 'wildcard' | 'ordering' {
  switch (op) {
    case '==':
    case '!=':
      return 'equality';
    case '~':
      return 'wildcard';
    case '<':
    case '>':
    case '<=':
    case '>=':
      return 'ordering';
    default:
      return assertNever(op, 'comparison operator');
  }
}

/** An ISO date(-time) naming a real day and time (Date.parse alone would roll 02-30 into March). */
function isIsoTime(text: string): boolean {
  if (!ISO_TIME.test(text)) return false;
  const day = dateToEpochMs(text.slice(0, 10).replaceAll('-', '.'));
  const hh = Number(text.slice(11, 13) || '0');
  const mm = Number(text.slice(14, 16) || '0');
  const ss = Number(text.slice(17, 19) || '0');
  return day !== undefined && hh < 24 && mm < 60 && ss < 60;
}

function show(v: Literal): string {
  switch (v.kind) {
    case 'string':
      return JSON.stringify(v.value);
    case 'number':
      return v.raw;
    case 'date':
      return v.raw;
    default:
      return v.value;
  }
}

function warn(code: string, message: string): Diagnostic {
  return { severity: 'warning', code, message };
}

function error(code: string, message: string): Diagnostic {
  return { severity: 'error', code, message };
}

function unknown(message: string, code: string, suggestion: string | undefined): Diagnostic {
  const d = warn(code, suggestion === undefined ? message : `${message}; did you mean '${suggestion}'?`);
  if (suggestion !== undefined) d.suggestion = suggestion;
  return d;
}

/** The candidate nearest to `name` by edit distance (case-insensitive), if it is near enough to be a typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const target = name.toLowerCase();
  const limit = target.length <= 3 ? 1 : target.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDist = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - target.length) > limit) continue;
    const d = editDistance(target, c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push(new Array<number>(b.length + 1).fill(0));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0;
  for (let i = 0; i <= a.length; i++) (rows[i] as number[])[0] = i;
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      row[j] = d;
    }
  }
  return at(a.length, b.length);
}
