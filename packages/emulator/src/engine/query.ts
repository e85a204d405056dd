/**
 * A compiled query and its full scan: WHERE as one predicate, the SELECT columns as getters, ORDER BY keys and
 * LIMIT. The scan is a generator that yields between slices (pacer.ts); the indexed runner (indexed.ts) gives the
 * same answers while looking at fewer rows.
 */
import type { ColumnItem, OrderItem, QueryAst, SelectItem } from 'ptnad-client/bql';
import { type CompileEnv, compileExpr, fieldGetter, type Predicate } from './compile.js';
import { engineError } from './errors.js';
import type { Getter, Scope } from './fields.js';
import { bestRows, type OrderKey, type Slices, sortRows } from './order.js';
import { CHECK_EVERY, NEVER_DUE, type Steps } from './pacer.js';
import { cellGetter, cellWriter, renderWire, sortValueGetter } from './render.js';
import type { CellWriter } from './wire.js';

/** The server's row cap when a query has no LIMIT (recorded real results never exceeded 100 rows). */
export const DEFAULT_LIMIT = 100;

/** A statement compiled for one scope. */
export interface CompiledQuery {
  where: Predicate | undefined;
  columns: Getter[];
  /** The same columns written as JSON (wire.ts), in select order. */
  writers: CellWriter[];
  order: OrderKey[];
  limit: number;
}

/** A page of rows (in answer order) and the number of every match. */
export interface ScanResult {
  page: unknown[];
  total: number;
}

/** Runs work that cannot yield (its pacer is never due) to its end. */
export function finish<T>(steps: Steps<T>): T {
  const r = steps.next();
  if (!r.done) throw new Error('engine: inner work yielded');
  return r.value;
}

/** Every row tested against WHERE, then the page cut from the matches (a heap when LIMIT is below the count). */
export function* scan(q: CompiledQuery, rows: readonly unknown[], pace: Slices): Steps<ScanResult> {
  let matched: unknown[];
  const where = q.where;
  if (where === undefined) {
    matched = rows as unknown[];
  } else {
    matched = [];
    for (let i = 0; i < rows.length; i++) {
      if ((i & (CHECK_EVERY - 1)) === 0 && pace.due()) yield;
      const row = rows[i];
      if (where(row)) matched.push(row);
    }
  }
  return { page: yield* pageOf(q, matched, pace), total: matched.length };
}

/** The page of a query from its matches in storage order. */
export function* pageOf(q: CompiledQuery, matched: unknown[], pace: Slices): Steps<unknown[]> {
  if (q.order.length > 0) {
    // A page of k rows out of N matches needs only the k best: a bounded heap is O(N log k) instead of a full
    // O(N log N) sort.
    return q.limit < matched.length
      ? yield* bestRows(matched, q.order, q.limit, pace)
      : yield* sortRows(matched, q.order, pace);
  }
  return q.limit >= matched.length ? matched.slice() : matched.slice(0, q.limit);
}

export function compileQuery(ast: QueryAst, scope: Scope, env: CompileEnv, defaultLimit: number): CompiledQuery {
  const where = ast.where === undefined ? undefined : compileExpr(ast.where, scope, env);
  const columns = ast.select.map((item) => compileColumn(item, scope, env));
  const writers = ast.select.map((item, i): CellWriter => {
    if (item.kind === 'column' && item.expr.kind === 'field') {
      return cellWriter(scope, item.expr.name, fieldGetter(scope, item.expr.name, item.expr.span, env));
    }
    const get = columns[i] as Getter;
    return (w, row) => w.value(get(row));
  });
  const order = ast.orderBy.map((o: OrderItem) => ({
    get: sortValueGetter(scope, o.field.name, fieldGetter(scope, o.field.name, o.field.span, env)),
    desc: o.direction === 'desc',
  }));
  return { where, columns, writers, order, limit: ast.limit ?? defaultLimit };
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
        const { page } = finish(scan(inner, rowsOf(row), NEVER_DUE));
        return page.map((r) => inner.columns.map((col) => col(r)));
      };
    }
  }
}
