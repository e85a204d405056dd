/**
 * The crash-safe record of saved flows behind `storage.saveFlows`: an append-only JSON-lines journal.
 *
 * Each batch goes through `intent` (written and fsynced BEFORE the POST), `task` (the server accepted it),
 * then `done` (the task succeeded) or `failed` (the server provably did not save it). Only `done` marks flows
 * as saved. A batch left without an outcome by a crash is resolved on the next run (see storage.ts).
 * A torn last line (crash mid-write) is ignored; every complete line is a complete record.
 */

import { join } from 'node:path';
import { PTNADError } from '../core/errors.js';
import { fsPromises } from '../internal/fs-promises.js';

/** One journal record. */
export type JournalRecord =
  | { t: 'intent'; batch: string; ids: string[]; src: string; dst: string; start: number; end: number; at: string }
  | { t: 'task'; batch: string; task: string; at: string }
  | { t: 'done'; batch: string; at: string }
  | { t: 'failed'; batch: string; reason: string; at: string };

/** A batch whose outcome the journal does not know yet. */
export interface OpenBatch {
  batch: string;
  ids: string[];
  src: string;
  dst: string;
  start: number;
  end: number;
  task?: string;
}

/** What the journal says: flows saved per (src, dst), and batches without an outcome. */
export interface JournalState {
  saved: Set<string>;
  open: OpenBatch[];
}

/** The key of a flow in the record: one flow may be saved from one storage into several others. */
export function flowKey(id: string, src: string, dst: string): string {
  return JSON.stringify([id, src, dst]);
}

/** The append-only journal of one state directory. */
export class SaveJournal {
  readonly file: string;
  readonly #lockFile: string;

  constructor(readonly dir: string) {
    this.file = join(dir, 'ptnad-saved-flows.jsonl');
    this.#lockFile = join(dir, 'ptnad-saved-flows.lock');
  }

  /** Reads the journal into saved keys and open batches. */
  async load(): Promise<JournalState> {
    let text = '';
    try {
      text = await fsPromises().readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const batches = new Map<string, OpenBatch & { outcome?: 'done' | 'failed' }>();
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let rec: JournalRecord;
      try {
        rec = JSON.parse(line) as JournalRecord;
      } catch {
        continue; // torn write from a crash: that record never completed
      }
      if (rec.t === 'intent') {
        batches.set(rec.batch, {
          batch: rec.batch,
          ids: rec.ids,
          src: rec.src,
          dst: rec.dst,
          start: rec.start,
          end: rec.end,
        });
      } else {
        const b = batches.get(rec.batch);
        if (!b) continue;
        if (rec.t === 'task') b.task = rec.task;
        else b.outcome = rec.t;
      }
    }
    const saved = new Set<string>();
    const openBatches: OpenBatch[] = [];
    for (const b of batches.values()) {
      if (b.outcome === 'done') for (const id of b.ids) saved.add(flowKey(id, b.src, b.dst));
      else if (b.outcome === undefined) {
        const { outcome: _o, ...rest } = b;
        openBatches.push(rest);
      }
    }
    return { saved, open: openBatches };
  }

  /** Appends one record and fsyncs it before resolving. */
  async append(record: JournalRecord): Promise<void> {
    const handle = await fsPromises().open(this.file, 'a', 0o600);
    try {
      await handle.write(`${JSON.stringify(record)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** A new batch id. */
  newBatch(): string {
    // node:crypto is loaded here, not at import: it costs a few ms of every start-up (issue 13).
    return process.getBuiltinModule('node:crypto').randomUUID();
  }

  /**
   * Takes the directory's lock so two runs never interleave batches. A lock left by a dead process is taken
   * over. Returns the release function.
   */
  async lock(): Promise<() => Promise<void>> {
    await fsPromises().mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await fsPromises().open(this.#lockFile, 'wx', 0o600);
        await handle.write(String(process.pid));
        await handle.close();
        return () =>
          fsPromises()
            .unlink(this.#lockFile)
            .catch(() => undefined);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number(
          (
            await fsPromises()
              .readFile(this.#lockFile, 'utf8')
              .catch(() => '')
          ).trim(),
        );
        if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && isAlive(pid))) break;
        await fsPromises()
          .unlink(this.#lockFile)
          .catch(() => undefined);
      }
    }
    throw new PTNADError(
      `Failed to save flows: another saveFlows run holds ${this.#lockFile}; wait for it or remove the file if it is stale`,
      // Another run is using the same record: the same kind of refusal as an HTTP 409.
      { operation: 'save flows', code: 'conflict' },
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
