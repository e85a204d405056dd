/**
 * The file sink: appends JSON lines and fsyncs before a batch counts as accepted. Exactly once across crashes:
 * the state file records the file's length at each checkpoint; on start, lines past that length were written by
 * a run that died before saving its checkpoint, so their ids are skipped when the same rows come again (and
 * carried in the state until they have). A line torn by a crash in the middle of a write is cut off first.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { WatchEvent } from './events.js';
import type { Sink, SinkContext } from './sink.js';

/** Opens (creating) the file for appending and recovers from the previous run's crash. */
export function openFileSink(path: string, ctx: SinkContext): Sink {
  let fd: number;
  try {
    fd = openSync(path, 'a+', 0o640);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    throw new UsageError(`--sink file:${path}: cannot open it for appending (${code || String(err)})`);
  }
  let size = fstatSync(fd).size;
  const savedSize = typeof ctx.saved?.fileSize === 'number' ? ctx.saved.fileSize : undefined;
  // Ids written after the last checkpoint: skipped when the follower yields them again. Those not yet seen again
  // when the next checkpoint is saved go into it (`pending`), so a second crash still skips them.
  const pending = Array.isArray(ctx.saved?.pending) ? ctx.saved.pending : [];
  const already = new Set<string>(pending.filter((id): id is string => typeof id === 'string'));
  if (savedSize !== undefined && size < savedSize) {
    ctx.onRetry(`file ${path} is shorter (${size} bytes) than at the last checkpoint (${savedSize}); rotated?`);
  }
  const from = savedSize !== undefined && savedSize <= size ? savedSize : Math.max(0, size - 1024 * 1024);
  if (size > from) {
    const tail = Buffer.alloc(size - from);
    readSync(fd, tail, 0, tail.length, from);
    const lastNewline = tail.lastIndexOf(0x0a);
    const complete = lastNewline + 1;
    if (complete < tail.length) {
      // A torn last line: a crash in the middle of a write. Its batch was not checkpointed; it will come again.
      ftruncateSync(fd, from + complete);
      fsyncSync(fd);
      size = from + complete;
    }
    if (savedSize !== undefined) {
      for (const line of tail.subarray(0, complete).toString('utf8').split('\n')) {
        if (line === '') continue;
        try {
          const id = (JSON.parse(line) as { id?: unknown }).id;
          if (typeof id === 'string') already.add(id);
        } catch {
          // Not ours (someone else appended to the file): nothing to skip.
        }
      }
    }
  }
  return {
    label: `file:${path}`,
    async write(events: readonly WatchEvent[]): Promise<void> {
      let text = '';
      for (const e of events) {
        if (already.delete(e.id)) continue; // written before the last crash, after the last checkpoint
        text += `${JSON.stringify(e)}\n`;
      }
      if (text === '') return;
      const buf = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
      size += buf.length;
    },
    state: () => ({ fileSize: size, ...(already.size > 0 ? { pending: [...already] } : {}) }),
    async close(): Promise<void> {
      closeSync(fd);
    },
  };
}
