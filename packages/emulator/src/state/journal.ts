import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { StateFileError } from './persistence.js';

/** One durable change: the sequence number orders it against the snapshot, `change` is what to re-apply. */
export interface JournalRecord<C> {
  seq: number;
  change: C;
}

/** Writes a snapshot in pieces (each piece is a string), so a big state never blocks the event loop for long. */
export type SnapshotPieces = () => Iterable<string>;

/**
 * The `--state` journal: every change is appended as one JSON line to `<state>.journal` and fsynced before it is
 * applied in memory, so a change costs its own size instead of the whole state. Once the journal outgrows
 * `compactBytes`, a new snapshot is written in the background (a temp file, fsync, rename) and the journal keeps
 * only the records the snapshot may not hold. Records are idempotent (they set values, never add to them), so a
 * snapshot written while changes continue is still correct once the later records are replayed over it.
 */
export class StateJournal<C> {
  readonly path: string;
  private bytes: number;
  private seq: number;
  /** Records appended since the running compaction took its sequence number (kept for the rewritten journal). */
  private tail: string[] | null = null;
  private compaction: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly statePath: string,
    lastSeq: number,
    existingBytes: number,
    private readonly compactBytes: number,
    private readonly pieces: (seq: number) => SnapshotPieces,
    private readonly reportError: (err: unknown) => void,
  ) {
    this.path = journalPath(statePath);
    this.seq = lastSeq;
    this.bytes = existingBytes;
  }

  /** Appends a change and makes it durable; throws (and changes nothing) when the write or fsync fails. */
  append(change: C): void {
    if (this.closed) throw new Error('the state journal is closed');
    const seq = this.seq + 1;
    const line = `${JSON.stringify({ seq, change })}\n`;
    const buf = Buffer.from(line);
    // Opened per append (microseconds next to the fsync), so a journal replaced or made unwritable is noticed.
    const fd = openSync(this.path, 'a', 0o600);
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off);
      fsyncSync(fd);
    } catch (err) {
      // Cut off a partial line so the next append does not glue onto it.
      try {
        ftruncateSync(fd, this.bytes);
      } catch {
        // the record is incomplete anyway: loading ignores a torn last line
      }
      throw err;
    } finally {
      closeSync(fd);
    }
    this.seq = seq;
    this.bytes += buf.length;
    this.tail?.push(line);
    if (this.bytes >= this.compactBytes && this.compaction === null) {
      this.compaction = this.compact().finally(() => {
        this.compaction = null;
      });
    }
  }

  /** Resolves once any background compaction has finished (tests and close use it). */
  async settle(): Promise<void> {
    while (this.compaction) await this.compaction;
  }

  /** Writes a final snapshot (so the state file alone is complete), empties the journal and closes it. */
  async close(): Promise<void> {
    await this.settle();
    if (this.closed) return;
    this.closed = true;
    if (this.bytes > 0) await this.compact();
  }

  private async compact(): Promise<void> {
    const seq = this.seq;
    this.tail = [];
    try {
      await writeSnapshotPieces(this.statePath, this.pieces(seq));
      this.rewriteJournal(this.tail);
    } catch (err) {
      // The journal still holds everything, so nothing is lost; the next append tries again.
      this.reportError(new Error(`state compaction failed: ${err instanceof Error ? err.message : String(err)}`));
    } finally {
      this.tail = null;
    }
  }

  /** Replaces the journal with the records newer than the snapshot (synchronous: no append can interleave). */
  private rewriteJournal(lines: string[]): void {
    if (lines.length === 0) {
      const fd = openSync(this.path, 'r+');
      try {
        ftruncateSync(fd, 0);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.bytes = 0;
      return;
    }
    const tmp = `${this.path}.${process.pid}.tmp`;
    const text = lines.join('');
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    this.bytes = Buffer.byteLength(text);
  }
}

/** Where the journal of a state file lives. */
export function journalPath(statePath: string): string {
  return `${statePath}.journal`;
}

/**
 * Reads the journal's records newer than `afterSeq`. A torn last line (a kill during the write, never acknowledged)
 * is ignored; a bad line before the end is corruption and a StateFileError.
 */
export function readJournal<C>(statePath: string, afterSeq: number): { records: JournalRecord<C>[]; bytes: number } {
  const path = journalPath(statePath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], bytes: 0 };
    throw new StateFileError(path, `cannot be read (${(err as Error).message})`);
  }
  const lines = text.split('\n');
  const records: JournalRecord<C>[] = [];
  let bytes = 0;
  for (const [i, line] of lines.entries()) {
    const last = i === lines.length - 1;
    if (line === '') continue;
    let rec: JournalRecord<C> | null = null;
    try {
      const parsed = JSON.parse(line) as Partial<JournalRecord<C>>;
      if (typeof parsed.seq === 'number' && parsed.change !== undefined) rec = parsed as JournalRecord<C>;
    } catch {
      rec = null;
    }
    if (!rec) {
      if (last) break; // torn final write: it was never acknowledged
      throw new StateFileError(path, `line ${i + 1} is not a journal record; fix or delete it`);
    }
    bytes += Buffer.byteLength(line) + 1;
    if (rec.seq > afterSeq) records.push(rec);
  }
  return { records, bytes };
}

/** Writes a snapshot synchronously (at start, before the server listens). */
export function writeSnapshotSync(path: string, pieces: SnapshotPieces): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    for (const piece of pieces()) writeSync(fd, piece);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

async function writeSnapshotPieces(path: string, pieces: SnapshotPieces): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    let chunk = '';
    for (const piece of pieces()) {
      chunk += piece;
      if (chunk.length >= 1 << 16) {
        await handle.write(chunk);
        chunk = '';
      }
    }
    await handle.write(chunk);
    await handle.sync();
  } catch (err) {
    await handle.close();
    unlinkSync(tmp);
    throw err;
  }
  await handle.close();
  renameSync(tmp, path);
}
