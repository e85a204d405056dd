/**
 * Runs a BQL statement over a set of flows: SELECT (fields, `*`, `extract_raw_object(...)`, scalar subqueries),
 * FROM `flow` or `alert`, WHERE, ORDER BY (several keys, asc/desc, nulls last), LIMIT (default 100). `total`
 * counts every match; `result` holds the page as positional rows; `took` is the measured time in ms.
 *
 * Every query has a time budget ({@link DEFAULT_QUERY_BUDGET_MS} by default) and ends with a
 * {@link BqlBudgetError} past it. {@link executeBqlAsync} (what the HTTP route uses) also lets the event loop run
 * every few milliseconds, so one heavy query never stops the server answering others. Given a {@link FlowTable},
 * `FROM flow` queries use its time indexes where that looks at fewer rows; the answer is the same.
 */
import { format, parseFilter, parseQuery, type QueryAst } from 'ptnad-client/bql';
import type { FlowRecord } from '../store/types.js';
import { type CompileEnv, compileExpr } from './compile.js';
import { BqlEngineError, engineError, wrapSyntaxError } from './errors.js';
import { FLOW_SCOPE, topRows, topScope } from './fields.js';
import { FlowTable } from './flow-table.js';
import { chooseIndex, indexFieldsOf, residualOf, runIndexed } from './indexed.js';
import { DEFAULT_QUERY_BUDGET_MS, Pacer, runCooperative, runSync, type Steps } from './pacer.js';
import { type CompiledQuery, compileQuery, DEFAULT_LIMIT, type ScanResult, scan } from './query.js';
import { type CellWriter, WireWriter } from './wire.js';

export { DEFAULT_LIMIT };

/** What a query runs over. */
export interface BqlContext {
  /** The flows: a plain array (always a full scan) or a {@link FlowTable} (time indexes used when they help). */
  flows: readonly FlowRecord[] | FlowTable;
  /** The emulator's clock (the dataset's `now`); times in queries are absolute, so it only documents the run. */
  now: Date;
  /** Row cap for queries without LIMIT; default {@link DEFAULT_LIMIT}. */
  defaultLimit?: number;
  /** Time budget in ms; default {@link DEFAULT_QUERY_BUDGET_MS}. */
  budgetMs?: number;
}

/** The `POST /bql` response body. */
export interface BqlResult {
  result: unknown[][];
  total: number;
  took: number;
}

/**
 * Executes a BQL statement in the current turn of the event loop. Throws {@link BqlEngineError} (message with
 * line and column) for syntax errors, unknown tables, fields or functions, operands of the wrong type, and
 * ({@link BqlBudgetError}) a query that runs past its budget.
 * @example executeBql('SELECT src.ip FROM flow WHERE dst.port == 443 LIMIT 5', { flows, now }).result.length // <= 5
 */
export function executeBql(text: string, ctx: BqlContext): BqlResult {
  const pacer = new Pacer(budgetOf(ctx));
  return runSync(executeSteps(text, ctx, pacer), pacer);
}

/**
 * Executes a BQL statement in slices of a few milliseconds, letting the event loop run between them. Rejects
 * like {@link executeBql} throws.
 */
export function executeBqlAsync(text: string, ctx: BqlContext): Promise<BqlResult> {
  const pacer = new Pacer(budgetOf(ctx));
  return runCooperative(executeSteps(text, ctx, pacer), pacer);
}

function budgetOf(ctx: BqlContext): number {
  const b = ctx.budgetMs ?? DEFAULT_QUERY_BUDGET_MS;
  if (!(b > 0)) throw new RangeError(`budgetMs must be a positive number of ms, got ${b}`);
  return b;
}

function* executeSteps(text: string, ctx: BqlContext, pace: Pacer): Steps<BqlResult> {
  const { q, out, t0 } = yield* matchSteps(text, ctx, pace);
  const result: unknown[][] = new Array(out.page.length);
  for (let i = 0; i < out.page.length; i++) {
    if ((i & 63) === 0 && pace.due()) yield;
    const row = out.page[i];
    result[i] = q.columns.map((col) => col(row));
  }
  return { result, total: out.total, took: Math.round(performance.now() - t0) };
}

/**
 * Executes a BQL statement like {@link executeBqlAsync} and resolves to the answer's JSON text, exactly
 * `JSON.stringify(result)` of that answer, written row by row without building the cell arrays (what the HTTP
 * route sends: a large page costs one pass instead of two).
 */
export function executeBqlJsonAsync(text: string, ctx: BqlContext): Promise<Buffer> {
  const pacer = new Pacer(budgetOf(ctx));
  return runCooperative(jsonSteps(text, ctx, pacer), pacer);
}

function* jsonSteps(text: string, ctx: BqlContext, pace: Pacer): Steps<Buffer> {
  const { q, out, t0 } = yield* matchSteps(text, ctx, pace);
  const page = out.page;
  const writers = q.writers;
  // About 16 bytes a cell to start with; the writer doubles when a page holds longer values.
  const w = new WireWriter(1024 + page.length * writers.length * 16);
  w.text('{"result":[');
  for (let i = 0; i < page.length; i++) {
    if ((i & 63) === 0 && pace.due()) yield;
    if (i > 0) w.comma();
    w.openRow();
    const row = page[i];
    for (let j = 0; j < writers.length; j++) {
      if (j > 0) w.comma();
      (writers[j] as CellWriter)(w, row);
    }
    w.closeRow();
  }
  w.text(`],"took":${Math.round(performance.now() - t0)},"total":${out.total}}`);
  return w.bytes();
}

/** Parses, compiles and runs a statement up to its page of matched rows (not yet projected). */
function* matchSteps(
  text: string,
  ctx: BqlContext,
  pace: Pacer,
): Steps<{ q: CompiledQuery; out: ScanResult; t0: number }> {
  const t0 = performance.now();
  let ast: QueryAst;
  try {
    ast = parseQuery(text);
  } catch (err) {
    wrapSyntaxError(err);
  }
  const tableName = ast.from.name;
  const scope = topScope(tableName);
  if (scope === undefined) {
    throw engineError(text, ast.from.span, `unknown table '${tableName}': a query reads FROM flow or FROM alert`);
  }
  const env: CompileEnv = { text };
  const q = compileQuery(ast, scope, env, ctx.defaultLimit ?? DEFAULT_LIMIT);
  const table = ctx.flows instanceof FlowTable ? ctx.flows : undefined;
  const flows = table === undefined ? (ctx.flows as readonly FlowRecord[]) : table.rows;
  let out: ScanResult | undefined;
  if (table !== undefined && tableName === 'flow') {
    for (const field of indexFieldsOf(ast)) {
      // A first build is shared by every later query: it runs in slices but is not charged to this query's budget.
      const build = table.buildSteps(field, pace);
      for (;;) {
        const t = performance.now();
        const r = build.next();
        pace.extend(performance.now() - t);
        if (r.done) break;
        yield;
      }
    }
    const choice = chooseIndex(ast, table);
    if (choice !== undefined) {
      const residual = residualOf(choice.plan, (e) => compileExpr(e, scope, env));
      out = yield* runIndexed(q, choice, flows, residual, pace);
    }
  }
  if (out === undefined) out = yield* scan(q, topRows(tableName === 'alert' ? 'alert' : 'flow', flows), pace);
  return { q, out, t0 };
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
