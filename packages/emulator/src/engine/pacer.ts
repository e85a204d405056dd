/**
 * The time budget of a query and the slices it runs in. The engine's loops are generators that yield when a
 * slice is used up; the async driver then lets the event loop run (other clients, `monitoring/status`) before
 * resuming, and both drivers end the query with a {@link BqlBudgetError} once the budget is spent. Checking the
 * clock every {@link CHECK_EVERY} rows keeps the cost of pacing out of the per-row path.
 */
import { BqlEngineError } from './errors.js';

/** Default time budget of one query, in ms (`startEmulator({ queryBudgetMs })`, `--query-budget MS`). */
export const DEFAULT_QUERY_BUDGET_MS = 5000;

/** Longest run of work between two turns of the event loop, in ms. */
export const SLICE_MS = 8;

/** Rows between two looks at the clock (a power of two: the loops test `(i & (CHECK_EVERY - 1)) === 0`). */
export const CHECK_EVERY = 256;

/** A query that ran out of its time budget. The HTTP route answers it like every other BQL error. */
export class BqlBudgetError extends BqlEngineError {
  /** The budget that was exceeded, in ms. */
  readonly budgetMs: number;

  constructor(budgetMs: number) {
    const reason = `query stopped: it ran longer than the emulator's time budget of ${budgetMs} ms per query; narrow the filter (a time range, fewer wildcards) or raise the budget (--query-budget MS)`;
    super(reason, { offset: 0, line: 1, column: 1 });
    Object.defineProperty(this, 'message', { value: reason });
    this.name = 'BqlBudgetError';
    this.budgetMs = budgetMs;
  }
}

/** The clock of one query: when its current slice ends and when its budget runs out. */
export class Pacer {
  private deadline: number;
  private sliceEnd: number;

  constructor(
    readonly budgetMs: number,
    private readonly sliceMs = SLICE_MS,
  ) {
    const now = performance.now();
    this.deadline = now + budgetMs;
    this.sliceEnd = Math.min(now + sliceMs, this.deadline);
  }

  /** True when the current slice is used up (the loop should yield). */
  due(): boolean {
    return performance.now() >= this.sliceEnd;
  }

  /** Moves the deadline by `ms` (work that is not the query's own, such as building a shared index). */
  extend(ms: number): void {
    this.deadline += ms;
  }

  /** Starts the next slice; throws {@link BqlBudgetError} when the budget is spent. */
  next(): void {
    const now = performance.now();
    if (now >= this.deadline) throw new BqlBudgetError(this.budgetMs);
    this.sliceEnd = Math.min(now + this.sliceMs, this.deadline);
  }
}

/** A piece of engine work that yields between slices and returns `T`. */
export type Steps<T> = Generator<void, T, void>;

/** Runs the work to its end without leaving the current turn, still bounded by the budget. */
export function runSync<T>(steps: Steps<T>, pacer: Pacer): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    try {
      pacer.next();
    } catch (err) {
      steps.return(undefined as never);
      throw err;
    }
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the work, letting the event loop run between slices; rejects with {@link BqlBudgetError} past the budget. */
export async function runCooperative<T>(steps: Steps<T>, pacer: Pacer): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await turn();
    try {
      pacer.next();
    } catch (err) {
      steps.return(undefined as never);
      throw err;
    }
  }
}

/** A pacer that never ends a slice (inner work that runs inside a row of an outer query). */
export const NEVER_DUE = { due: () => false } as const;
