/**
 * Runs a BQL statement over a set of flows: SELECT (fields, `*`, `extract_raw_object(...)`, scalar subqueries),
 * FROM `flow` or `alert`, WHERE, ORDER BY (several keys, asc/desc, nulls last), LIMIT (default 100). `total`
 * counts every match; `result` holds the page as positional rows; `took` is the measured time in ms.
 */
import {
  type ColumnItem,
  format,
  type OrderItem,
  parseFilter,
  parseQuery,
  type QueryAst,
  type SelectItem,
} from 'ptnad-client/bql';
import type { FlowRecord } from '../store/types.js';
import { type CompileEnv, compileExpr, fieldGetter, type Predicate } from './compile.js';
import { BqlEngineError, engineError, wrapSyntaxError } from './errors.js';
import { FLOW_SCOPE, type Getter, type Scope, topRows, topScope } from './fields.js';
import { cellGetter, renderWire, sortValueGetter } from './render.js';

/** The server's row cap when a query has no LIMIT (recorded real results never exceeded 100 rows). */
export const DEFAULT_LIMIT = 100;

/** What a query runs over. */
export interface BqlContext {
  flows: readonly FlowRecord[];
  /** The emulator's clock (the dataset's `now`); times in queries are absolute, so it only documents the run. */
  now: Date;
  /** Row cap for queries without LIMIT; default {@link DEFAULT_LIMIT}. */
  defaultLimit?: number;
}

/** The `POST /bql` response body. */
export interface BqlResult {
  result: unknown[][];
  total: number;
  took: number;
}

interface CompiledQuery {
  where: Predicate | undefined;
  columns: Getter[];
  order: Array<{ get: Getter; desc: boolean }>;
  limit: number;
}

/**
 * Executes a BQL statement. Throws {@link BqlEngineError} (message with line and column) for syntax errors,
 * unknown tables, fields or functions, and operands of the wrong type.
 * @example executeBql('SELECT src.ip FROM flow WHERE dst.port == 443 LIMIT 5', { flows, now }).result.length // <= 5
 */
export function executeBql(text: string, ctx: BqlContext): BqlResult {
  const t0 = performance.now();
  let ast: QueryAst;
  try {
    ast = parseQuery(text);
  } catch (err) {
    wrapSyntaxError(err);
  }
  const table = ast.from.name;
  const scope = topScope(table);
  if (scope === undefined) {
    throw engineError(text, ast.from.span, `unknown table '${table}': a query reads FROM flow or FROM alert`);
  }
  const env: CompileEnv = { text };
  const q = compileQuery(ast, scope, env, ctx.defaultLimit ?? DEFAULT_LIMIT);
  const rows = topRows(table === 'alert' ? 'alert' : 'flow', ctx.flows);
  const { page, total } = run(q, rows);
  const result = page.map((row) => q.columns.map((col) => col(row)));
  return { result, total, took: Math.round(performance.now() - t0) };
}

function run(q: CompiledQuery, rows: readonly unknown[]): { page: unknown[]; total: number } {
  let matched: unknown[];
  const where = q.where;
  if (where === undefined) {
    matched = rows as unknown[];
  } else {
    matched = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (where(row)) matched.push(row);
    }
  }
  const total = matched.length;
  if (q.order.length > 0) {
    // A page of k rows out of N matches needs only the k best: a bounded heap is O(N log k) instead of a full
    // O(N log N) sort, which is what makes keyset-paged exports (ORDER BY time, id LIMIT k) cheap per page.
    return { page: q.limit < matched.length ? bestRows(matched, q.order, q.limit) : sortRows(matched, q.order), total };
  }
  return { page: q.limit >= matched.length ? matched.slice() : matched.slice(0, q.limit), total };
}

function compileQuery(ast: QueryAst, scope: Scope, env: CompileEnv, defaultLimit: number): CompiledQuery {
  const where = ast.where === undefined ? undefined : compileExpr(ast.where, scope, env);
  const columns = ast.select.map((item) => compileColumn(item, scope, env));
  const order = ast.orderBy.map((o: OrderItem) => ({
    get: sortValueGetter(scope, o.field.name, fieldGetter(scope, o.field.name, o.field.span, env)),
    desc: o.direction === 'desc',
  }));
  return { where, columns, order, limit: ast.limit ?? defaultLimit };
}

function compileColumn(item: SelectItem, scope: Scope, env: CompileEnv): Getter {
  if (item.kind === 'star') return (row) => renderWire(scope.base(row));
  const expr = (item as ColumnItem).expr;
  switch (expr.kind) {
    case 'field':
      return cellGetter(scope, expr.name, fieldGetter(scope, expr.name, expr.span, env));
    case 'call': {
      if (expr.name.toLowerCase() !== 'extract_raw_object') {
        throw engineError(env.text, expr.span, `unknown function '${expr.name}' (the engine knows extract_raw_object)`);
      }
      const arg = expr.args[0];
      if (
        expr.args.length !== 1 ||
        arg === undefined ||
        (arg.kind !== 'field' && arg.kind !== 'string' && arg.kind !== 'word')
      ) {
        throw engineError(env.text, expr.span, 'extract_raw_object takes one field name');
      }
      const name = arg.kind === 'field' ? arg.name : arg.value;
      const get = fieldGetter(scope, name, arg.span, env);
      return (row) => renderWire(get(row));
    }
    case 'subquery': {
      const sub = expr.query;
      const rowsOf = scope.childRows(sub.from.name);
      if (rowsOf === undefined) {
        throw engineError(env.text, sub.from.span, `unknown table '${sub.from.name}' inside '${scope.table}'`);
      }
      const inner = compileQuery(sub, scope.child(sub.from.name), env, DEFAULT_LIMIT);
      return (row) => {
        const { page } = run(inner, rowsOf(row));
        return page.map((r) => inner.columns.map((col) => col(r)));
      };
    }
  }
}

type Key = number | string | boolean | null;

function sortKey(v: unknown): Key {
  const x = Array.isArray(v) ? v[0] : v;
  if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') return x;
  return null;
}

function compareKeys(a: Key, b: Key): number {
  if (typeof a === typeof b) return a === b ? 0 : (a as number | string) < (b as number | string) ? -1 : 1;
  // Mixed types: booleans, then numbers, then strings (a stable total order).
  const rank = (k: Key) => (typeof k === 'boolean' ? 0 : typeof k === 'number' ? 1 : 2);
  return rank(a) - rank(b);
}

interface Keyed {
  row: unknown;
  i: number;
  keys: Key[];
}

/** Total order of keyed rows: the ORDER BY keys (nulls last either way), then storage order (a stable sort). */
function orderComparator(order: CompiledQuery['order']): (x: Keyed, y: Keyed) => number {
  return (x, y) => {
    for (let k = 0; k < order.length; k++) {
      const a = x.keys[k] ?? null;
      const b = y.keys[k] ?? null;
      if (a === null || b === null) {
        if (a !== b) return a === null ? 1 : -1;
        continue;
      }
      const c = compareKeys(a, b);
      if (c !== 0) return order[k]?.desc ? -c : c;
    }
    return x.i - y.i;
  };
}

const keyOf = (order: CompiledQuery['order'], row: unknown, i: number): Keyed => ({
  row,
  i,
  keys: order.map((o) => sortKey(o.get(row))),
});

function sortRows(rows: unknown[], order: CompiledQuery['order']): unknown[] {
  const keyed = rows.map((row, i) => keyOf(order, row, i));
  keyed.sort(orderComparator(order));
  return keyed.map((k) => k.row);
}

/** True when key `a` sorts strictly after `b` (nulls last in either direction). */
function firstKeyWorse(a: Key, b: Key, desc: boolean): boolean {
  if (a === null || b === null) return a === null && b !== null;
  const c = compareKeys(a, b);
  return desc ? c < 0 : c > 0;
}

/** The first `k` rows in ORDER BY order, via a max-heap of size k (the worst kept row on top). */
function bestRows(rows: unknown[], order: CompiledQuery['order'], k: number): unknown[] {
  if (k <= 0) return [];
  const cmp = orderComparator(order);
  const heap: Keyed[] = [];
  const swap = (a: number, b: number) => {
    const t = heap[a] as Keyed;
    heap[a] = heap[b] as Keyed;
    heap[b] = t;
  };
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (cmp(heap[i] as Keyed, heap[parent] as Keyed) <= 0) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && cmp(heap[l] as Keyed, heap[worst] as Keyed) > 0) worst = l;
      if (r < heap.length && cmp(heap[r] as Keyed, heap[worst] as Keyed) > 0) worst = r;
      if (worst === i) return;
      swap(i, worst);
      i = worst;
    }
  };
  const first = order[0];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (heap.length < k) {
      heap.push(keyOf(order, row, i));
      up(heap.length - 1);
      continue;
    }
    const top = heap[0] as Keyed;
    // Most rows lose to the worst kept row on the first key alone: decide those without building their keys.
    if (first !== undefined && firstKeyWorse(sortKey(first.get(row)), top.keys[0] ?? null, first.desc)) continue;
    const candidate = keyOf(order, row, i);
    if (cmp(candidate, top) < 0) {
      heap[0] = candidate;
      down(0);
    }
  }
  return heap.sort(cmp).map((x) => x.row);
}

/**
 * The canonical, parenthesised text of a UI filter (`filters/compile`), checked against the flow table.
 * Throws {@link BqlEngineError} for a filter that does not parse or names unknown fields.
 * @example compileFilter("app_proto==http and dst.port!=80") // '(app_proto == "http" AND dst.port != 80)'
 */
export function compileFilter(userFilter: string): string {
  let ast: ReturnType<typeof parseFilter>;
  try {
    ast = parseFilter(userFilter);
  } catch (err) {
    wrapSyntaxError(err);
  }
  compileExpr(ast.expr, FLOW_SCOPE, { text: userFilter });
  return `(${format(ast)})`;
}

export { BqlEngineError };
