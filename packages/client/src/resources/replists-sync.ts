/**
 * IOC feed sync for dynamic reputation lists: diff the wanted values against the server's items, then bulk
 * add and bulk delete in chunks with bounded concurrency. Designed to be re-run: the diff is recomputed from
 * the server every time, so a run after a partial failure only sends what is still missing or extra.
 */

import { AbortError, ValidationError } from '../core/errors.js';
import type { RequestOptions } from '../core/resource.js';
import { runPool } from '../internal/pool.js';
import type { ReplistsResource } from './replists.js';

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
  /** Allow a sync from no values to empty the list (the guard against a failed feed download). */
  allowEmpty?: boolean;
  /** Largest share of the current items a sync may remove, 0-1. */
  maxRemoveRatio?: number;
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

/** Implements `replists.syncDynamicList`. */
export async function syncDynamicList(
  replists: ReplistsResource,
  externalKey: string,
  values: Iterable<string>,
  options: SyncOptions,
): Promise<SyncReport> {
  const chunkSize = positiveInt('chunkSize', options.chunkSize, 1000);
  const concurrency = positiveInt('concurrency', options.concurrency, 4);
  const pageSize = positiveInt('pageSize', options.pageSize, 1000);
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

  const current = new Set<string>();
  for await (const page of replists
    .getDynamicListItems(externalKey, { ordering: 'value', limit: pageSize }, request)
    .pages()) {
    for (const item of page.results) current.add(item.value);
    progress.read = current.size;
    report();
  }

  const toAdd = [...wanted].filter((v) => !current.has(v));
  const toRemove = [...current].filter((v) => !wanted.has(v));
  const unchanged = wanted.size - toAdd.length;
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
