/**
 * IOC feed sync for dynamic reputation lists: diff the wanted values against the server's items, refuse when the
 * feed would empty the list or remove too much of it (the guard), then bulk add and bulk delete in chunks with
 * bounded concurrency. Designed to be re-run: the diff is recomputed from
 * the server every time, so a run after a partial failure only sends what is still missing or extra.
 */

import { AbortError, SyncGuardError, ValidationError } from '../core/errors.js';
import type { RequestOptions } from '../core/resource.js';
import { expectObject, expectString } from '../core/shape.js';
import { runPool } from '../internal/pool.js';
import type { ReplistsResource } from '../resources/replists.js';

/** Options of `replists.syncDynamicList`. */
export interface SyncOptions extends RequestOptions {
  /** Values per bulk call. Default 1000. */
  chunkSize?: number;
  /** Bulk calls in flight at once. Default 4. */
  concurrency?: number;
  /** Page size when reading the current items. Default 1000. */
  pageSize?: number;
  /** Attributes sent with every added value. */
  attrs?: Record<string, unknown>;
  /** Called after the read and after every chunk. */
  onProgress?: (progress: SyncProgress) => void;
  /**
   * Allow a feed with no value at all, which empties the list. Default `false`: an empty feed is what a failed
   * download looks like, so the sync refuses with a SyncGuardError.
   */
  allowEmpty?: boolean;
  /**
   * The largest share of the list's current values one sync may remove, 0..1. Default `0.5`; `1` removes the
   * limit. Above it the sync refuses with a SyncGuardError before changing anything.
   */
  maxRemoveRatio?: number;
}

/** What a sync would do (from {@link planDynamicListSync}); nothing has been changed. */
export interface SyncPlan {
  /** Values the list holds now. */
  current: number;
  /** Distinct values of the feed. */
  wanted: number;
  toAdd: string[];
  toRemove: string[];
  unchanged: number;
  /** Why the sync would refuse (the guard), or undefined when it would run. */
  refusal: SyncGuardError | undefined;
}

/** Progress of a sync. */
export interface SyncProgress {
  phase: 'read' | 'write' | 'done';
  /** Current items read so far (read phase). */
  read: number;
  chunksDone: number;
  chunksTotal: number;
  added: number;
  removed: number;
  failed: number;
}

/** A chunk that failed; re-running the sync retries exactly what is still different. */
export interface SyncFailure {
  /** Index of the chunk within its action. */
  chunk: number;
  action: 'add' | 'remove';
  values: string[];
  /** The error message (redacted). */
  reason: string;
  error: unknown;
}

/** What a sync did. */
export interface SyncReport {
  added: number;
  removed: number;
  unchanged: number;
  failed: SyncFailure[];
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError(`replists.syncDynamicList: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Options of {@link planDynamicListSync}: the read and guard options of a sync. */
export type PlanOptions = Pick<
  SyncOptions,
  'pageSize' | 'allowEmpty' | 'maxRemoveRatio' | 'onProgress' | 'signal' | 'timeoutMs' | 'maxRetries'
>;

const EXAMPLES = 5;

/** The guard: refuses an empty feed and a removal of more than `maxRemoveRatio` of the list. */
function guard(externalKey: string, plan: Omit<SyncPlan, 'refusal'>, options: PlanOptions): SyncGuardError | undefined {
  const maxRemoveRatio = options.maxRemoveRatio ?? 0.5;
  const removing = plan.toRemove.length;
  const examples = plan.toRemove.slice(0, EXAMPLES);
  const shown = examples.map((v) => JSON.stringify(v)).join(', ') + (removing > EXAMPLES ? ', ...' : '');
  const facts = { wouldRemove: removing, current: plan.current, wanted: plan.wanted, maxRemoveRatio, examples };
  const operation = `sync reputation list "${externalKey}"`;
  if (plan.wanted === 0 && !options.allowEmpty) {
    return new SyncGuardError(
      `Refusing to ${operation}: the feed has no valid value, so the sync would remove all ${removing} of the ` +
        `list's ${plan.current} values${removing > 0 ? ` (e.g. ${shown})` : ''}. An empty feed is usually a failed ` +
        'download; pass allowEmpty: true to empty the list on purpose.',
      { ...facts, operation },
    );
  }
  if (plan.wanted > 0 && removing > maxRemoveRatio * plan.current) {
    const share = Math.round((removing / plan.current) * 100);
    return new SyncGuardError(
      `Refusing to ${operation}: it would remove ${removing} of the list's ${plan.current} values (${share}%, more ` +
        `than maxRemoveRatio ${maxRemoveRatio}), e.g. ${shown}. Pass a higher maxRemoveRatio (1 = no limit) if ` +
        'the feed really changed that much.',
      { ...facts, operation },
    );
  }
  return undefined;
}

function checkRatio(value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ValidationError(
      `replists.syncDynamicList: maxRemoveRatio must be a number from 0 to 1, got ${String(value)}`,
    );
  }
}

/**
 * Reads a dynamic list and compares it with the feed: what a sync would add and remove, and whether the guard
 * would refuse. Changes nothing (a dry run; the CLI's `replists sync --dry-run` shows it).
 * @throws ValidationError for a bad value or option; UnexpectedResponseError when an item read is malformed.
 */
export async function planDynamicListSync(
  replists: ReplistsResource,
  externalKey: string,
  values: Iterable<string>,
  options: PlanOptions = {},
): Promise<SyncPlan> {
  const pageSize = positiveInt('pageSize', options.pageSize, 1000);
  checkRatio(options.maxRemoveRatio);
  const request: RequestOptions = {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
  };
  const wanted = new Set<string>();
  let index = 0;
  for (const value of values) {
    if (typeof value !== 'string' || value === '') {
      throw new ValidationError(`replists.syncDynamicList: values[${index}] must be a non-empty string`);
    }
    wanted.add(value);
    index++;
  }
  const operation = `get items of reputation list "${externalKey}"`;
  const current = new Set<string>();
  for await (const page of replists
    .getDynamicListItems(externalKey, { ordering: 'value', limit: pageSize }, request)
    .pages()) {
    page.forEach((item, i) => {
      const record = expectObject(item, `results[${i}]`, operation);
      current.add(expectString(record, 'value', `results[${i}]`, operation));
    });
    options.onProgress?.({
      phase: 'read',
      read: current.size,
      chunksDone: 0,
      chunksTotal: 0,
      added: 0,
      removed: 0,
      failed: 0,
    });
  }
  const toAdd = [...wanted].filter((v) => !current.has(v));
  const toRemove = [...current].filter((v) => !wanted.has(v));
  const plan = { current: current.size, wanted: wanted.size, toAdd, toRemove, unchanged: wanted.size - toAdd.length };
  return { ...plan, refusal: guard(externalKey, plan, options) };
}

/** Implements `replists.syncDynamicList`: plan, guard, then write. */
export async function syncDynamicList(
  replists: ReplistsResource,
  externalKey: string,
  values: Iterable<string>,
  options: SyncOptions,
): Promise<SyncReport> {
  const chunkSize = positiveInt('chunkSize', options.chunkSize, 1000);
  const concurrency = positiveInt('concurrency', options.concurrency, 4);
  const request: RequestOptions = {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
  };
  const progress: SyncProgress = {
    phase: 'read',
    read: 0,
    chunksDone: 0,
    chunksTotal: 0,
    added: 0,
    removed: 0,
    failed: 0,
  };
  const report = () => options.onProgress?.({ ...progress });
  const plan = await planDynamicListSync(replists, externalKey, values, {
    ...options,
    onProgress: (p) => {
      progress.read = p.read;
      report();
    },
  });
  // Refused before the first write: nothing has changed.
  if (plan.refusal) throw plan.refusal;
  const { toAdd, toRemove, unchanged } = plan;
  const failed: SyncFailure[] = [];
  const addChunks = chunks(toAdd, chunkSize);
  const removeChunks = chunks(toRemove, chunkSize);
  progress.phase = 'write';
  progress.chunksTotal = addChunks.length + removeChunks.length;
  report();
  const job = (action: 'add' | 'remove', chunk: string[], i: number) => async () => {
    try {
      if (action === 'add') {
        await replists.bulkAddItems(
          externalKey,
          chunk.map((value) => (options.attrs ? { value, attrs: options.attrs } : { value })),
          request,
        );
        progress.added += chunk.length;
      } else {
        await replists.bulkDeleteItems(externalKey, chunk, request);
        progress.removed += chunk.length;
      }
    } catch (err) {
      if (err instanceof AbortError) throw err;
      failed.push({
        chunk: i,
        action,
        values: chunk,
        reason: err instanceof Error ? err.message : String(err),
        error: err,
      });
      progress.failed++;
    }
    progress.chunksDone++;
    report();
  };
  await runPool(
    [...addChunks.map((c, i) => job('add', c, i)), ...removeChunks.map((c, i) => job('remove', c, i))],
    concurrency,
    options.signal,
  );
  progress.phase = 'done';
  report();
  return { added: progress.added, removed: progress.removed, unchanged, failed };
}
