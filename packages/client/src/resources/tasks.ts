/**
 * `client.tasks`: server-side async tasks (Celery states) created by `sources/save` and `sources/getfile`.
 */

import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { TaskFailedError, ValidationError } from '../core/errors.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { expectObject, expectString } from '../core/shape.js';
import { serverDetail } from '../internal/api-error.js';
import { path } from '../internal/path.js';
import { sleep } from '../internal/retry.js';
import type { OrString } from './monitoring.js';

/** Task states; PENDING/STARTED/PROGRESS/RETRY are still running. */
export type TaskState = 'PENDING' | 'STARTED' | 'PROGRESS' | 'RETRY' | 'SUCCESS' | 'FAILURE' | 'REVOKED';

/** The result of a `sources/getfile` task. */
export interface FileTaskResult {
  /** Root-relative, `/api/v2/download/<id>.zip`. */
  url?: string;
  total_files?: number;
  extracted_files?: number;
  errors?: unknown[];
}

/** `GET tasks/{id}`. */
export interface Task<R = unknown> {
  id: string;
  state: OrString<TaskState>;
  result?: R | null;
}

/** Options of {@link TasksResource.wait}. */
export interface WaitOptions extends RequestOptions {
  /** Poll interval in ms. Default 2000 (the Python client polls every 10 s). */
  pollMs?: number;
  /** Called with every polled state. */
  onProgress?: (task: Task) => void;
}

const RUNNING = new Set(['PENDING', 'STARTED', 'PROGRESS', 'RETRY']);
const FAILED = new Set(['FAILURE', 'REVOKED']);

/**
 * The message of a failed task, with the server's reason (`result.error`, or a string `result`) when it gave one:
 * `Task 1f2e... ended in FAILURE: Target storage 999 does not exist.`
 */
export function taskFailureMessage(id: string, task: Pick<Task, 'state' | 'result'>): string {
  const result = task.result as unknown;
  let reason: unknown;
  if (typeof result === 'string') reason = result;
  else if (result !== null && typeof result === 'object') {
    const r = result as Record<string, unknown>;
    reason = r.error ?? r.detail ?? r.message ?? r.exc_message;
  }
  const text = reason === undefined || reason === null ? '' : serverDetail(reason);
  return `Task ${id} ended in ${String(task.state)}${text ? `: ${text}` : ''}`;
}

/** True while a task has not finished. */
export function isRunning(task: Pick<Task, 'state'>): boolean {
  return RUNNING.has(String(task.state));
}

/** Async tasks. */
export class TasksResource extends APIResource {
  /**
   * The current state of a task.
   * @example
   * const task = await client.tasks.get('11111111-2222-4333-8444-555555555555');
   */
  get<R = unknown>(id: string, options?: RequestOptions): APIPromise<Task<R>> {
    return asAPIPromise(() => {
      const operation = `get task ${id}`;
      return this.client
        .request<unknown>({ method: 'GET', path: path`tasks/${id}`, operation }, options)
        .map((body) => {
          const task = expectObject(body, 'the answer', operation);
          expectString(task, 'state', 'the answer', operation);
          return task as unknown as Task<R>;
        });
    });
  }

  /**
   * Polls a task until it finishes. `signal` stops the wait (AbortError); `timeoutMs` bounds each poll.
   * @throws TaskFailedError when the task ends in FAILURE or REVOKED.
   * @example
   * const done = await client.tasks.wait(task.id, { pollMs: 1000, onProgress: (t) => console.log(t.state) });
   */
  async wait<R = unknown>(id: string, options: WaitOptions = {}): Promise<Task<R>> {
    const pollMs = options.pollMs ?? 2000;
    if (!Number.isFinite(pollMs) || pollMs < 0) {
      throw new ValidationError(`tasks.wait: pollMs must be a number >= 0, got ${String(options.pollMs)}`);
    }
    const request: RequestOptions = {
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
    };
    for (;;) {
      const task = await this.get<R>(id, request);
      options.onProgress?.(task);
      if (FAILED.has(String(task.state))) {
        throw new TaskFailedError(taskFailureMessage(id, task), {
          taskId: id,
          state: String(task.state),
          result: task.result,
          operation: `wait for task ${id}`,
        });
      }
      if (!isRunning(task)) return task;
      await sleep(pollMs, options.signal, `wait for task ${id}`);
    }
  }
}
