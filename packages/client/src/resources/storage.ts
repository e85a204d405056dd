/**
 * `client.storage.saveFlows`: copies the flows that match a filter from one storage into a persistent one,
 * with the Python client's semantics (find with BQL, skip flows already saved, `POST sources/save`, wait for
 * the task) and a record that survives crashes: a flow is never saved twice, and never recorded as saved
 * unless the server's task succeeded.
 *
 * Recovery of a batch a crash left open: if its task id was recorded, the task's state decides; if the crash
 * came before the server answered, the target storage is asked (BQL on `persistIdx`) which flows it already
 * holds; those are recorded as saved and the rest are saved again.
 */

import { join } from 'node:path';
import { type Expr, format, parseFilter, type QueryAst } from '../bql/index.js';
import { APIError, NotFoundError, TaskFailedError, UnexpectedResponseError, ValidationError } from '../core/errors.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { describeValue, expectObject, expectString } from '../core/shape.js';
import { type QueryLike, queryText } from '../lib/query-text.js';
import { flowKey, type OpenBatch, SaveJournal } from '../lib/storage-journal.js';
import { type TimeInput, toEpochMs } from '../lib/time.js';
import { isRunning, type Task, taskFailureMessage } from './tasks.js';

/** Parameters of {@link StorageResource.saveFlows}. */
export interface SaveFlowsParams extends RequestOptions {
  /** The BQL filter that selects the flows (string or builder result). */
  filter: QueryLike;
  /** Target (persistent) storage id. */
  persistIdx: string | number;
  /** Source storage id. Default the client's `defaultSource` (`'2'`). */
  storageIdx?: string | number;
  /** Look back this many hours from now. Either this or startTime+endTime. */
  deltaHours?: number;
  /** Window start (epoch ms, Date or ISO; no zone = UTC). */
  startTime?: TimeInput;
  /** Window end (epoch ms, Date or ISO; no zone = UTC). */
  endTime?: TimeInput;
  /** Where the record lives. Default `./storage_output` (as the Python client). */
  stateDir?: string;
  /** At most this many flows saved per run (the oldest unsaved ones; see `more` in the report). Default 10000. */
  maxFlows?: number;
  /** Task poll interval, ms. Default 2000. */
  pollMs?: number;
}

/** What a saveFlows run did. */
export interface SaveFlowsReport {
  /**
   * Flows matching the filter in the window that this run read: the window's flows oldest first, up to the
   * `maxFlows`-th one not saved yet (all of them when `more` is false).
   */
  found: number;
  /** Of those, already recorded as saved. */
  alreadySaved: number;
  /** Flow ids sent in this run's batch: the window's oldest unsaved flows, at most `maxFlows`. */
  submitted: string[];
  /** True when the window holds more unsaved flows than this run took: run again to save the next ones. */
  more: boolean;
  /** Flows recorded as saved while recovering batches a crash left open. */
  recovered: number;
  /**
   * Flows of `submitted` that an earlier, interrupted run may also have asked the server to save: its
   * `POST sources/save` was sent but its answer (the task id) never arrived, and the target storage did not hold
   * them yet when this run looked. If that earlier task was still running, these flows may be saved twice.
   * Empty in every other case.
   */
  possibleDuplicates: string[];
  taskId?: string;
  state?: string;
  /** The record file. */
  journal: string;
}

/** A flow found by {@link StorageResource.getFlows} (Python `Flow`): its id and its time bounds as the server sent them. */
export interface FlowRef {
  id: string;
  start: string | number;
  end: string | number;
}

/** The window of {@link StorageResource.getFlows} (Python `TimeRange`); both ends inclusive, on the flow's `end`. */
export interface FlowTimeRange {
  start: TimeInput;
  end: TimeInput;
}

/** Copying flows between storages. */
export class StorageResource extends APIResource {
  /**
   * The flows of a storage whose `end` is in `[start, end]`, optionally narrowed by a filter (Python
   * `storage.get_flows(time_range, nad_filter)`, with the storage as an argument). `limit` caps the rows
   * (default 10000).
   * @throws ValidationError on a bad time or filter; BqlError when the filter does not parse or the server
   *   rejects the query.
   * @example
   * const flows = await client.storage.getFlows({ start: '2025-05-31', end: '2025-06-01' }, 2, "dst.port == 53");
   */
  async getFlows(
    timeRange: FlowTimeRange,
    storageIdx?: string | number,
    filter?: QueryLike,
    options: RequestOptions & { limit?: number } = {},
  ): Promise<FlowRef[]> {
    if (timeRange === null || typeof timeRange !== 'object') {
      throw new ValidationError('storage.getFlows: timeRange must be { start, end }');
    }
    const start = toEpochMs(timeRange.start, 'timeRange.start');
    const end = toEpochMs(timeRange.end, 'timeRange.end');
    if (start > end) throw new ValidationError(`storage.getFlows: timeRange.start ${start} is after end ${end}`);
    const limit = options.limit ?? 10_000;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new ValidationError(`storage.getFlows: limit must be a positive integer, got ${String(options.limit)}`);
    }
    const expr = filter === undefined ? undefined : parseFilter(queryText(filter, 'filter')).expr;
    const src = String(storageIdx ?? this.client.defaultSource);
    const { limit: _limit, ...request } = options;
    const rows = await this.client.bql.execute(flowQuery(expr, start, end, limit), src, request);
    return rows.map((row, i) => {
      const [id, from, to] = row;
      if (typeof id !== 'string') {
        throw new UnexpectedResponseError(`Failed to get flows: row ${i} has no flow id (got ${describeValue(id)})`, {
          operation: 'get flows',
        });
      }
      return { id, start: from as string | number, end: to as string | number };
    });
  }

  /**
   * Saves the flows matching `filter` into storage `persistIdx`, skipping flows already saved (per the record
   * in `stateDir`), and waits for the server task.
   * @throws ValidationError on a bad time window or filter; TaskFailedError when the save task fails.
   * @example
   * const report = await client.storage.saveFlows({ filter: "rpt.type == 'ms'", persistIdx: '12', deltaHours: 24 });
   */
  async saveFlows(params: SaveFlowsParams): Promise<SaveFlowsReport> {
    const { start, end } = timeWindow(params);
    const src = String(params.storageIdx ?? this.client.defaultSource);
    const dst = String(params.persistIdx ?? '');
    if (dst === '') throw new ValidationError('storage.saveFlows: persistIdx (the target storage) is required');
    const maxFlows = params.maxFlows ?? 10_000;
    if (!Number.isSafeInteger(maxFlows) || maxFlows < 1) {
      throw new ValidationError(
        `storage.saveFlows: maxFlows must be a positive integer, got ${String(params.maxFlows)}`,
      );
    }
    const filter = parseFilter(queryText(params.filter, 'filter')).expr;
    const request: RequestOptions = {
      signal: params.signal,
      timeoutMs: params.timeoutMs,
      maxRetries: params.maxRetries,
    };
    const journal = new SaveJournal(params.stateDir ?? join(process.cwd(), 'storage_output'));
    const release = await journal.lock();
    try {
      const state = await journal.load();
      let recovered = 0;
      // Flows of batches whose save POST may have reached the server without us learning the task id.
      const uncertain = new Set<string>();
      for (const batch of state.open) {
        const { saved, unsure } = await this.#recover(journal, batch, params.pollMs, request);
        for (const id of saved) state.saved.add(flowKey(id, batch.src, batch.dst));
        for (const id of unsure) uncertain.add(flowKey(id, batch.src, batch.dst));
        recovered += saved.length;
      }

      const { fresh, examined, more } = await this.#unsaved(filter, start, end, { src, dst, maxFlows, state, request });
      const report: SaveFlowsReport = {
        found: examined,
        alreadySaved: examined - fresh.length,
        submitted: fresh,
        more,
        recovered,
        possibleDuplicates: fresh.filter((id) => uncertain.has(flowKey(id, src, dst))),
        journal: journal.file,
      };
      if (fresh.length === 0) return report;

      const batch = journal.newBatch();
      await journal.append({ t: 'intent', batch, ids: fresh, src, dst, start, end, at: now() });
      let task: Task;
      try {
        task = await this.client.request<Task>(
          {
            method: 'POST',
            path: 'sources/save',
            json: { id: fresh, source: [src], start, end, target: dst },
            operation: `save ${fresh.length} flows to storage ${dst}`,
          },
          request,
        );
      } catch (err) {
        // An HTTP error answer means the server did not take the batch; anything else (timeout, reset) is
        // uncertain and stays open for the next run to resolve against the target storage.
        if (err instanceof APIError) await journal.append({ t: 'failed', batch, reason: err.message, at: now() });
        throw err;
      }
      expectString(expectObject(task, 'the answer', 'save flows'), 'id', 'the answer', 'save flows');
      await journal.append({ t: 'task', batch, task: task.id, at: now() });
      report.taskId = task.id;
      const final = await this.#finish(journal, batch, task, params.pollMs, request);
      report.state = String(final.state);
      return report;
    } finally {
      await release();
    }
  }

  /**
   * The window's flows not recorded as saved, oldest first (by `end`, then id), at most `maxFlows` of them. Reads
   * the window in keyset pages (`bql.stream`) past the flows already saved, so that each run takes the next
   * `maxFlows` unsaved flows: a window with more matches than one run takes is saved over several runs, none
   * skipped. `examined` counts the matching flows read; `more` is true when an unsaved flow was left for a next run.
   */
  async #unsaved(
    filter: Expr | undefined,
    start: number,
    end: number,
    run: { src: string; dst: string; maxFlows: number; state: { saved: Set<string> }; request: RequestOptions },
  ): Promise<{ fresh: string[]; examined: number; more: boolean }> {
    const fresh: string[] = [];
    const seen = new Set<string>();
    // Pages of up to 10,000 rows; no bigger than the run needs when little is saved yet.
    const pageSize = Math.min(10_000, Math.max(1_000, run.maxFlows + 1));
    const rows = this.client.bql.stream(flowQuery(filter, start, end), { ...run.request, source: run.src, pageSize });
    for await (const [id] of rows) {
      if (typeof id !== 'string' || seen.has(id)) continue;
      const saved = run.state.saved.has(flowKey(id, run.src, run.dst));
      if (!saved && fresh.length === run.maxFlows) return { fresh, examined: seen.size, more: true };
      seen.add(id);
      if (!saved) fresh.push(id);
    }
    return { fresh, examined: seen.size, more: false };
  }

  /** Waits for a batch's task and records the outcome. */
  async #finish(journal: SaveJournal, batch: string, task: Task, pollMs: number | undefined, request: RequestOptions) {
    try {
      const final = isRunning(task) ? await this.client.tasks.wait(task.id, { ...request, pollMs }) : task;
      if (String(final.state) !== 'SUCCESS') {
        throw new TaskFailedError(taskFailureMessage(task.id, final), {
          taskId: task.id,
          state: String(final.state),
          result: final.result,
          operation: 'save flows',
        });
      }
      await journal.append({ t: 'done', batch, at: now() });
      return final;
    } catch (err) {
      if (err instanceof TaskFailedError) await journal.append({ t: 'failed', batch, reason: err.message, at: now() });
      throw err;
    }
  }

  /**
   * Resolves a batch a previous run left open: the ids now known to be saved, and the ids whose save may still
   * be under way on the server (the POST was sent, its task id never recorded, the target does not hold them).
   */
  async #recover(
    journal: SaveJournal,
    open: OpenBatch,
    pollMs: number | undefined,
    request: RequestOptions,
  ): Promise<{ saved: string[]; unsure: string[] }> {
    if (open.task !== undefined) {
      try {
        const task = await this.client.tasks.get(open.task, request);
        await this.#finish(journal, open.batch, task, pollMs, request);
        return { saved: open.ids, unsure: [] };
      } catch (err) {
        if (err instanceof TaskFailedError) return { saved: [], unsure: [] };
        if (!(err instanceof NotFoundError)) throw err;
        // The server forgot the task: fall through and ask the target storage.
      }
    }
    const present = await this.client.bql.execute(presenceQuery(open.ids), open.dst, request);
    const found = new Set(present.map((r) => r[0]).filter((id): id is string => typeof id === 'string'));
    const saved = open.ids.filter((id) => found.has(id));
    const missing = open.ids.filter((id) => !found.has(id));
    if (saved.length > 0) {
      const done = journal.newBatch();
      await journal.append({
        t: 'intent',
        batch: done,
        ids: saved,
        src: open.src,
        dst: open.dst,
        start: open.start,
        end: open.end,
        at: now(),
      });
      await journal.append({ t: 'done', batch: done, at: now() });
    }
    await journal.append({
      t: 'failed',
      batch: open.batch,
      reason: `recovered: ${saved.length} present in storage ${open.dst}, ${missing.length} not saved`,
      at: now(),
    });
    // With a recorded task id the server said it forgot the task; without one, the POST may have been taken.
    return { saved, unsure: open.task === undefined ? missing : [] };
  }
}

function timeWindow(p: SaveFlowsParams): { start: number; end: number } {
  const hasDelta = p.deltaHours !== undefined;
  const hasRange = p.startTime !== undefined || p.endTime !== undefined;
  if (hasDelta && hasRange)
    throw new ValidationError('storage.saveFlows: give deltaHours or startTime+endTime, not both');
  if (hasDelta) {
    if (typeof p.deltaHours !== 'number' || !(p.deltaHours > 0)) {
      throw new ValidationError(`storage.saveFlows: deltaHours must be a positive number, got ${String(p.deltaHours)}`);
    }
    const end = Date.now();
    return { start: Math.trunc(end - p.deltaHours * 3_600_000), end };
  }
  if (p.startTime === undefined || p.endTime === undefined) {
    throw new ValidationError('storage.saveFlows: give deltaHours, or both startTime and endTime');
  }
  const start = toEpochMs(p.startTime, 'startTime');
  const end = toEpochMs(p.endTime, 'endTime');
  if (start > end) throw new ValidationError(`storage.saveFlows: startTime ${start} is after endTime ${end}`);
  return { start, end };
}

const num = (value: number) => ({ kind: 'number' as const, value, raw: String(value) });
const fieldRef = (name: string) => ({ kind: 'field' as const, name });
const col = (name: string) => ({ kind: 'column' as const, expr: fieldRef(name) });

/** `SELECT id, start, end FROM flow WHERE (end >= S AND end <= E) AND (<filter>) [LIMIT n]`, built as an AST. */
function flowQuery(filter: Expr | undefined, start: number, end: number, limit?: number): string {
  const range: Expr = {
    kind: 'and',
    left: { kind: 'compare', op: '>=', field: fieldRef('end'), value: num(start) },
    right: { kind: 'compare', op: '<=', field: fieldRef('end'), value: num(end) },
  };
  const ast: QueryAst = {
    kind: 'query',
    select: [col('id'), col('start'), col('end')],
    from: { kind: 'table', name: 'flow' },
    where: filter === undefined ? range : { kind: 'and', left: range, right: filter },
    orderBy: [],
    ...(limit === undefined ? {} : { limit }),
  };
  return format(ast);
}

/** `SELECT id FROM flow WHERE id in [...]`: which of these flows a storage holds. */
function presenceQuery(ids: string[]): string {
  const ast: QueryAst = {
    kind: 'query',
    select: [col('id')],
    from: { kind: 'table', name: 'flow' },
    where: { kind: 'in', field: fieldRef('id'), values: ids.map((value) => ({ kind: 'string' as const, value })) },
    orderBy: [],
    limit: ids.length,
  };
  return format(ast);
}

function now(): string {
  return new Date().toISOString();
}
