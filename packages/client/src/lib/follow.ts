/**
 * `client.bql.follow(query, options)`: the rows a BQL query matches from now on (or from a checkpoint), as they
 * appear, by polling.
 *
 * How it avoids missing and repeating rows:
 * - Tail: each poll asks for rows at or after the newest time seen, `ORDER BY time, id`, and drops ids already
 *   yielded (see follow-query.ts for why the bound is inclusive). A full page means it is behind: it asks again
 *   at once (catch-up).
 * - Look-back: rows can become visible after newer ones (a flow is indexed a little after its `end`). `follow`
 *   remembers the ids it yielded inside the look-back window (`lookBackMs` before the newest time) and each poll
 *   first counts the rows in that window; when the server has more than it yielded, it reads the window newest
 *   first until it has found the missing rows and yields them, and only then reads the tail (which moves the
 *   window on). A row later than the look-back is the one thing missed.
 * - Checkpoint: the newest time and the ids of the window. Everything yielded is in `checkpoint()`; resuming from
 *   a saved checkpoint yields exactly the rows yielded after it was taken (and everything new).
 * Errors: 5xx, 429, timeouts and connection errors (after the SDK's own retries) are reported to `onError` and
 * polling goes on with back-off; a re-login happens inside the SDK. A bad query, bad credentials or a missing
 * permission end the iteration with that error. Aborting `signal` ends the iteration (no error).
 */

import { rowsToObjects } from '../bql/rows.js';
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  BqlQueryError,
  BqlSyntaxError,
  NotFoundError,
  PermissionDeniedError,
  PTNADError,
  UnexpectedResponseError,
  ValidationError,
} from '../core/errors.js';
import type { BqlResource, BqlRow } from '../resources/bql.js';
import { type FollowQuery, pageText, prepareFollowQuery, queryDigest } from './follow-query.js';
import { minusMs, normalizeTime } from './follow-time.js';

/** A saved position of a follow: JSON-serialisable. */
export interface FollowCheckpoint {
  v: 1;
  /** Digest of the query, source and time field it belongs to. */
  q: string;
  /** Lower bound given with `from` (fixed-width time), if any. */
  from?: string;
  /** Newest time yielded (fixed-width naive UTC ISO), if any. */
  after?: string;
  /** `[time, id]` of the rows yielded inside the look-back window. */
  seen: Array<[string, string]>;
}

/** Poll statistics (`onPoll`, `follower.stats`). */
export interface FollowStats {
  polls: number;
  rows: number;
  /** Rows found by the look-back (they appeared after newer rows). */
  late: number;
  errors: number;
  /** Newest row time yielded (fixed-width naive UTC ISO). */
  position: string | undefined;
  /** True when the last poll read everything there was (not behind). */
  caughtUp: boolean;
  lastError: PTNADError | undefined;
}

/** Options of `bql.follow`. */
export interface FollowOptions {
  /** Storage id; default the client's `defaultSource`. */
  source?: string | number;
  /** Resume from a checkpoint (`follower.checkpoint()` of an earlier run, the same query). */
  checkpoint?: FollowCheckpoint;
  /** Without a checkpoint: `'now'` (default: only rows that appear from now on) or a start time. */
  from?: 'now' | Date | number | string;
  /** Time field to follow; default the table's (`end` for flow, `ts` for alert). */
  timeField?: string;
  /** How late a row may appear, in ms of row time behind the newest row. Default 60,000. */
  lookBackMs?: number;
  /** Rows per request. Default 500. */
  pageSize?: number;
  /** Delay between polls when rows keep coming, ms. Default 1000. */
  pollIntervalMs?: number;
  /** Longest delay between polls when idle (doubling from `pollIntervalMs`), ms. Default 15,000. */
  maxIntervalMs?: number;
  /** Stops the iteration (it then ends normally). */
  signal?: AbortSignal;
  /** Per-request timeout and retries (the SDK's safe retries apply to every request). */
  timeoutMs?: number;
  maxRetries?: number;
  /** Called with each error that polling survives, and the wait before the next try. */
  onError?: (error: PTNADError, info: { retryInMs: number; consecutive: number }) => void;
  /** Called after each poll. */
  onPoll?: (stats: Readonly<FollowStats>) => void;
}

interface Item {
  row: BqlRow;
  time: string;
  id: string;
}

/** The iterator `bql.follow` returns: rows (or whole batches) as they appear, and the checkpoint. */
export class Follower<T = Record<string, unknown>> implements AsyncIterable<T> {
  readonly stats: FollowStats = {
    polls: 0,
    rows: 0,
    late: 0,
    errors: 0,
    position: undefined,
    caughtUp: false,
    lastError: undefined,
  };
  private readonly setupError: unknown;
  private readonly q: FollowQuery | undefined;
  private readonly digest: string = '';
  private readonly source: string;
  private readonly lookBackMs: number;
  private readonly pageSize: number;
  private from: string | undefined;
  private after: string | undefined;
  /** id -> time of the rows yielded at or after `floor()`. */
  private seen = new Map<string, string>();
  private tieDone: string | undefined;
  private started = false;

  constructor(
    private readonly bql: BqlResource,
    text: string,
    defaultSource: string,
    private readonly options: FollowOptions,
  ) {
    this.source = String(options.source ?? defaultSource);
    this.lookBackMs = options.lookBackMs ?? 60_000;
    this.pageSize = options.pageSize ?? 500;
    try {
      positive('lookBackMs', this.lookBackMs, true);
      positive('pageSize', this.pageSize, false);
      positive('pollIntervalMs', options.pollIntervalMs ?? 1000, true);
      positive('maxIntervalMs', options.maxIntervalMs ?? 15_000, true);
      this.q = prepareFollowQuery(text, options.timeField);
      this.digest = queryDigest(this.q, this.source);
      if (options.checkpoint) this.restore(options.checkpoint);
    } catch (err) {
      // Reported on the first next(): SDK methods reject rather than throw (see APIResource).
      this.setupError = err;
    }
  }

  /**
   * The position after every row yielded so far, to save and pass back as `checkpoint`. Small: the newest time
   * plus the ids inside the look-back window.
   */
  checkpoint(): FollowCheckpoint {
    if (!this.started) {
      throw new ValidationError('bql.follow: no position yet; await follower.ready() (or the first row) first');
    }
    this.prune();
    const cp: FollowCheckpoint = { v: 1, q: this.digest, seen: [...this.seen].map(([id, t]) => [t, id]) };
    if (this.from !== undefined) cp.from = this.from;
    if (this.after !== undefined) cp.after = this.after;
    return cp;
  }

  /**
   * Finds the starting position (with `from: 'now'`, what already exists) so that `checkpoint()` can be saved
   * before the first row. Iterating calls it too. Survives errors like polling does.
   */
  async ready(): Promise<void> {
    if (this.setupError !== undefined) throw this.setupError;
    const { signal } = this.options;
    const base = this.options.pollIntervalMs ?? 1000;
    const max = Math.max(base, this.options.maxIntervalMs ?? 15_000);
    let consecutive = 0;
    while (!this.started) {
      try {
        await this.start();
      } catch (err) {
        if (signal?.aborted || fatal(err)) throw err;
        const wait = Math.min(max, base * 2 ** Math.min(++consecutive, 10));
        this.report(err, wait, consecutive);
        if (!(await sleep(wait, signal)))
          throw new AbortError('bql.follow: aborted before the start position was read');
      }
    }
  }

  private report(err: unknown, wait: number, consecutive: number): void {
    const error =
      err instanceof PTNADError ? err : new UnexpectedResponseError(`bql.follow: ${String(err)}`, { cause: err });
    this.stats.errors++;
    this.stats.lastError = error;
    this.options.onError?.(error, { retryInMs: wait, consecutive });
  }

  /** Rows one by one (each is in `checkpoint()` once it has been yielded). */
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const batch of this.batchItems()) {
      for (const item of batch) {
        this.accept(item);
        yield this.toObject(item);
      }
    }
  }

  /** Rows in batches, one batch per request that found rows; the whole batch is in `checkpoint()` once yielded. */
  async *batches(): AsyncGenerator<T[]> {
    for await (const batch of this.batchItems()) {
      for (const item of batch) this.accept(item);
      yield batch.map((item) => this.toObject(item));
    }
  }

  private toObject(item: Item): T {
    const q = this.q as FollowQuery;
    const row = item.row.length > q.visible ? item.row.slice(0, q.visible) : item.row;
    return rowsToObjects(q.columns, [row])[0] as T;
  }

  private restore(cp: FollowCheckpoint): void {
    if (cp === null || typeof cp !== 'object' || cp.v !== 1 || !Array.isArray(cp.seen)) {
      throw new ValidationError('bql.follow: checkpoint is not a follow checkpoint (version 1)');
    }
    if (cp.q !== this.digest) {
      throw new ValidationError('bql.follow: checkpoint belongs to another query, source or time field');
    }
    const time = (v: unknown, what: string) => {
      const t = normalizeTime(v);
      if (t === undefined) throw new ValidationError(`bql.follow: checkpoint ${what} is not a time: ${String(v)}`);
      return t;
    };
    if (cp.from !== undefined) this.from = time(cp.from, 'from');
    if (cp.after !== undefined) this.after = time(cp.after, 'after');
    for (const entry of cp.seen) {
      if (!Array.isArray(entry) || typeof entry[1] !== 'string') {
        throw new ValidationError('bql.follow: checkpoint seen entries must be [time, id]');
      }
      this.seen.set(entry[1], time(entry[0], 'seen time'));
    }
    this.started = true;
  }

  /** The window start: rows at or after it are tracked by id. Millisecond-aligned (see follow-query.ts). */
  private floor(): string | undefined {
    if (this.after === undefined) return this.from;
    const f = minusMs(this.after, this.lookBackMs);
    const aligned = `${f.slice(0, 23)}000`;
    return this.from !== undefined && this.from > aligned ? this.from : aligned;
  }

  private accept(item: Item): void {
    this.seen.set(item.id, item.time);
    this.stats.rows++;
    if (this.after === undefined || item.time > this.after) {
      this.after = item.time;
      this.stats.position = item.time;
    }
  }

  /** Forgets ids below the window. Once per poll and per checkpoint: per row it would cost O(window) each. */
  private prune(): void {
    const floor = this.floor();
    if (floor !== undefined) for (const [id, t] of this.seen) if (t < floor) this.seen.delete(id);
  }

  private async *batchItems(): AsyncGenerator<Item[]> {
    const { signal } = this.options;
    try {
      await this.ready();
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    const base = this.options.pollIntervalMs ?? 1000;
    const max = Math.max(base, this.options.maxIntervalMs ?? 15_000);
    let wait = 0;
    let consecutive = 0;
    while (!signal?.aborted) {
      if (wait > 0 && !(await sleep(wait, signal))) return;
      try {
        let found = 0;
        let behind = false;
        // The look-back comes first: rows that appeared late since the last poll (or since the checkpoint was
        // saved) are still inside the window of the current position; tail pages would move the window on.
        const late = await this.lateRows();
        if (late.length > 0) {
          found += late.length;
          this.stats.late += late.length;
          yield late;
        }
        for (;;) {
          const page = await this.tailPage();
          if (page.items.length > 0) {
            found += page.items.length;
            yield page.items;
          }
          if (!page.full) break;
          if (found >= this.pageSize * 4) {
            behind = true; // poll again at once: the look-back runs between long catch-up stretches
            break;
          }
        }
        consecutive = 0;
        this.stats.polls++;
        this.stats.caughtUp = !behind;
        this.options.onPoll?.(this.stats);
        wait = behind ? 0 : found > 0 ? base : Math.min(max, Math.max(base, wait * 2));
      } catch (err) {
        if (signal?.aborted) return;
        if (fatal(err)) throw err;
        consecutive++;
        wait = Math.min(max, base * 2 ** Math.min(consecutive, 10));
        this.report(err, wait, consecutive);
      }
    }
  }

  private run(text: string): Promise<BqlRow[]> {
    const { signal, timeoutMs, maxRetries } = this.options;
    return this.bql.execute(text, this.source, { signal, timeoutMs, maxRetries });
  }

  private item(row: BqlRow, timeIdx: number, idIdx: number): Item | undefined {
    const time = normalizeTime(row[timeIdx]);
    const id = row[idIdx];
    if (time === undefined || (typeof id !== 'string' && typeof id !== 'number')) return undefined;
    return { row, time, id: String(id) };
  }

  /** First poll without a checkpoint: remember what already exists (`from: 'now'`) or set the lower bound. */
  private async start(): Promise<void> {
    const q = this.q as FollowQuery;
    const from = this.options.from ?? 'now';
    if (from !== 'now') {
      const t = normalizeTime(from instanceof Date ? from.getTime() : from);
      if (t === undefined) throw new ValidationError(`bql.follow: from must be 'now' or a time, got ${String(from)}`);
      this.from = t;
      this.started = true;
      return;
    }
    const head = await this.run(pageText(q, { desc: true, limit: 1, keysOnly: true }));
    const top = head[0] && this.item(head[0], 0, 1);
    if (top) {
      // Everything in the window already exists: it is not new, but a late row appearing in it will be.
      this.from = `${minusMs(top.time, this.lookBackMs).slice(0, 23)}000`;
      for (;;) {
        const page = await this.tailPage(true);
        for (const item of page.items) this.accept(item);
        if (!page.full) break;
      }
      this.stats.rows = 0;
      this.from = undefined;
    }
    this.started = true;
  }

  /** One tail request: unseen rows at or after the newest time (keys only when just learning what exists). */
  private async tailPage(keysOnly = false): Promise<{ items: Item[]; full: boolean }> {
    const q = this.q as FollowQuery;
    const since = this.after ?? this.from;
    const strict = since !== undefined && since === this.tieDone;
    const rows = await this.run(pageText(q, { since, strict, limit: this.pageSize, keysOnly }));
    const [ti, ii] = keysOnly ? [0, 1] : [q.timeIdx, q.idIdx];
    const items: Item[] = [];
    for (const row of rows) {
      const it = this.item(row, ti, ii);
      if (it && !this.seen.has(it.id)) items.push(it);
    }
    const full = rows.length >= this.pageSize;
    if (full && items.length === 0 && since !== undefined) {
      // A page of rows all at one time we already yielded: sweep that instant by id, then step past it.
      items.push(...(await this.tieSweep(since, ti, ii, keysOnly)));
      this.tieDone = since;
      return { items, full: true };
    }
    return { items, full };
  }

  private async tieSweep(at: string, ti: number, ii: number, keysOnly: boolean): Promise<Item[]> {
    const q = this.q as FollowQuery;
    const out: Item[] = [];
    let afterId = '';
    for (;;) {
      const rows = await this.run(pageText(q, { tie: { at, afterId }, limit: this.pageSize, keysOnly }));
      for (const row of rows) {
        const it = this.item(row, ti, ii);
        if (it && !this.seen.has(it.id)) out.push(it);
      }
      const last = rows[rows.length - 1];
      if (rows.length < this.pageSize || last === undefined) return out;
      afterId = String(last[ii]);
    }
  }

  /** Rows inside the look-back window that the server has and we have not yielded. */
  private async lateRows(): Promise<Item[]> {
    const q = this.q as FollowQuery;
    const floor = this.floor();
    const until = this.after;
    if (until === undefined || floor === undefined) return [];
    this.prune();
    // Up to the newest time yielded: rows above it are the tail's. At a server's coarser precision `<= until`
    // may take in a few tail rows of the same millisecond; they are simply found here instead.
    const counted = await this.bql.executeRaw(
      pageText(q, { since: floor, until, limit: 1, keysOnly: true }),
      this.source,
      {
        signal: this.options.signal,
        timeoutMs: this.options.timeoutMs,
        maxRetries: this.options.maxRetries,
      },
    );
    let missing = counted.total - this.seen.size;
    if (missing <= 0) return [];
    const found = new Map<string, Item>();
    // Late rows are nearly always recent: read the window newest first, widening until all are found.
    for (let limit = this.pageSize; missing > 0; limit *= 4) {
      const rows = await this.run(pageText(q, { since: floor, until, desc: true, limit }));
      for (const row of rows) {
        const it = this.item(row, q.timeIdx, q.idIdx);
        if (it && !this.seen.has(it.id) && !found.has(it.id)) {
          found.set(it.id, it);
          missing--;
        }
      }
      if (rows.length < limit) break;
    }
    return [...found.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : 1));
  }
}

function positive(name: string, value: number, zeroOk: boolean): void {
  if (
    !Number.isFinite(value) ||
    value < 0 ||
    (!zeroOk && value === 0) ||
    (name === 'pageSize' && !Number.isInteger(value))
  ) {
    throw new ValidationError(
      `bql.follow: ${name} must be a ${zeroOk ? 'non-negative' : 'positive'} number, got ${value}`,
    );
  }
}

/** Errors polling cannot outlast: the query or the credentials are wrong. */
function fatal(err: unknown): boolean {
  return (
    !(err instanceof PTNADError) ||
    err instanceof ValidationError ||
    err instanceof BqlSyntaxError ||
    err instanceof BqlQueryError ||
    err instanceof BadRequestError ||
    err instanceof AuthenticationError ||
    err instanceof PermissionDeniedError ||
    err instanceof NotFoundError ||
    err instanceof AbortError
  );
}

/** Waits `ms`; false when the signal aborted first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
