/**
 * A one-line progress indicator on stderr, shown only on a terminal (and not with NO_COLOR or --no-color,
 * which also mean "plain output"). Redraws at most ten times a second so that it costs nothing in a tight loop.
 */

/** Where progress is drawn. */
export interface ProgressTarget {
  write(text: string): void;
}

/** Progress of one long operation: `update(done, total?)`, then `done()`. */
export class Progress {
  readonly #target: ProgressTarget | undefined;
  readonly #label: string;
  readonly #now: () => number;
  #last = 0;
  #drawn = false;

  /** `target` undefined means disabled (not a terminal): every call is then a no-op. */
  constructor(target: ProgressTarget | undefined, label: string, now: () => number = Date.now) {
    this.#target = target;
    this.#label = label;
    this.#now = now;
  }

  /** True when something is drawn at all. */
  get enabled(): boolean {
    return this.#target !== undefined;
  }

  /** Reports progress; `total` unknown shows a count only. */
  update(done: number, total?: number, force = false): void {
    if (!this.#target) return;
    const t = this.#now();
    if (!force && this.#drawn && t - this.#last < 100) return;
    this.#last = t;
    this.#drawn = true;
    this.#target.write(`\r\u001b[K${formatProgress(this.#label, done, total)}`);
  }

  /** Shows a short state text instead of numbers (e.g. a task state). */
  note(text: string): void {
    if (!this.#target) return;
    this.#drawn = true;
    this.#target.write(`\r\u001b[K${this.#label}: ${text}`);
  }

  /** Clears the line. */
  done(): void {
    if (this.#target && this.#drawn) this.#target.write('\r\u001b[K');
    this.#drawn = false;
  }
}

/** "label: 1,234 / 10,000 (12%)" or "label: 1,234". */
export function formatProgress(label: string, done: number, total?: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (total === undefined || total <= 0) return `${label}: ${n(done)}`;
  const pct = Math.min(100, Math.floor((done / total) * 100));
  const width = 20;
  const filled = Math.round((pct / 100) * width);
  return `${label}: [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n(done)} / ${n(total)} (${pct}%)`;
}
