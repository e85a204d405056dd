/**
 * `client.files`: extraction of the files of a flow into a ZIP (`sources/getfile` -> task -> `download`),
 * and streamed downloads that never hold the file in memory.
 */

import type * as crypto from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { ConnectionError, PTNADError, UnexpectedResponseError, ValidationError } from '../core/errors.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { fsPromises } from '../internal/fs-promises.js';
import { path } from '../internal/path.js';
import type { StreamedResponse } from '../internal/request.js';
import { type TimeInput, toEpochMs } from '../lib/time.js';
import type { FileTaskResult, Task, WaitOptions } from './tasks.js';

/** `node:crypto` is loaded when a download starts, not at import: it costs a few ms of every start-up (issue 13). */
function loadCrypto(): typeof crypto {
  return process.getBuiltinModule('node:crypto');
}

/** Parameters of {@link FilesResource.extract}. */
export interface ExtractParams {
  /** The flow(s) whose files to extract. */
  flowId: string | string[];
  /** Only the files with these MD5s (all files when absent). */
  md5?: string | string[];
  start: TimeInput;
  end: TimeInput;
  /** Storage id; default the client's `defaultSource`. */
  source?: string | number;
}

/** Where a download went. */
export interface DownloadResult {
  path: string;
  bytes: number;
}

const TASK_ID = /^[A-Za-z0-9_-]{1,128}$/;
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** File extraction and download. */
export class FilesResource extends APIResource {
  /**
   * Starts extracting files of a flow into a ZIP; resolves to the task (wait for it with `client.tasks.wait`).
   * @example
   * const task = await client.files.extract({ flowId, md5: file.md5, start, end });
   * const done = await client.tasks.wait(task.id);
   */
  extract(params: ExtractParams, options?: RequestOptions): APIPromise<Task<FileTaskResult>> {
    return asAPIPromise(() => {
      const ids = list(params.flowId);
      if (ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === '')) {
        throw new ValidationError('files.extract: flowId must be a non-empty string (or a list of them)');
      }
      const json: Record<string, unknown> = {
        id: ids,
        start: toEpochMs(params.start, 'start'),
        end: toEpochMs(params.end, 'end'),
        source: [String(params.source ?? this.client.defaultSource)],
      };
      if (params.md5 !== undefined) json.md5 = list(params.md5);
      return this.client.request<Task<FileTaskResult>>(
        { method: 'POST', path: 'sources/getfile', json, operation: `extract files of flow ${ids.join(', ')}` },
        options,
      );
    });
  }

  /**
   * Streams a finished task's ZIP to `destination` (written to a temporary file beside it, then renamed, so a
   * half-written file never has the final name). Never holds the whole file in memory.
   * @throws ValidationError on a malformed task id; APIError / ConnectionError on transport failures.
   * @example
   * const { path, bytes } = await client.files.download(task.id, './evidence/flow.zip');
   */
  async download(taskId: string, destination: string, options?: RequestOptions): Promise<DownloadResult> {
    if (typeof taskId !== 'string' || !TASK_ID.test(taskId)) {
      throw new ValidationError(`files.download: task id must be a UUID-like id, got ${JSON.stringify(taskId)}`);
    }
    const operation = `download the result of task ${taskId}`;
    const { response, release } = await this.client.request<StreamedResponse>(
      { method: 'GET', path: path`download/${`${taskId}.zip`}`, operation, parse: 'stream', idempotent: true },
      options,
    );
    const temp = join(
      dirname(destination),
      `.${basename(destination)}.${loadCrypto().randomBytes(6).toString('hex')}.part`,
    );
    let bytes = 0;
    try {
      const body = response.stream();
      if (!body) throw new UnexpectedResponseError(`Failed to ${operation}: the answer has no body`, { operation });
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(body, counter, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
      await fsPromises().rename(temp, destination);
      return { path: destination, bytes };
    } catch (err) {
      await fsPromises()
        .unlink(temp)
        .catch(() => undefined);
      if (err instanceof PTNADError) throw err;
      const detail = err instanceof Error ? err.message : String(err);
      // A local file error (no such directory, no permission, disk full) is about the destination argument;
      // anything else broke the download itself.
      if (typeof (err as { path?: unknown }).path === 'string') {
        throw new ValidationError(`Failed to ${operation}: cannot write ${destination}: ${detail}`, {
          operation,
          cause: err,
        });
      }
      throw new ConnectionError(`Failed to ${operation}: the download broke off: ${detail}`, { operation, cause: err });
    } finally {
      release();
    }
  }

  /**
   * Extract, wait and download in one call.
   * @throws TaskFailedError when the extraction task fails.
   * @example
   * await client.files.extractToFile({ flowId, start, end }, './flow-files.zip', { pollMs: 1000 });
   */
  async extractToFile(params: ExtractParams, destination: string, options: WaitOptions = {}): Promise<DownloadResult> {
    const task = await this.extract(params, options);
    const done = await this.client.tasks.wait<FileTaskResult>(task.id, options);
    return this.download(done.id, destination, options);
  }
}
