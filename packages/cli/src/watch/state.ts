/**
 * The `--state` file: the follow checkpoint and the sink's state, replaced atomically (temp file, fsync, rename,
 * fsync of the directory) so that a crash leaves either the old or the new state, never half of one.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FollowCheckpoint } from 'ptnad-client';
import { UsageError } from '../errors.js';

/** What `--state` holds. */
export interface WatchState {
  v: 1;
  /** The kind and filter it was taken for (a different query is refused). */
  query: string;
  sink: string;
  checkpoint: FollowCheckpoint;
  sinkState?: Record<string, unknown>;
}

/** Reads the state file; undefined when it does not exist. @throws UsageError when it is not a state file. */
export function readState(path: string): WatchState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw new UsageError(`--state ${path}: cannot read it (${(err as { code?: string }).code ?? String(err)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`--state ${path}: not JSON; remove it to start again from now`);
  }
  const s = data as Partial<WatchState>;
  if (s === null || typeof s !== 'object' || s.v !== 1 || typeof s.query !== 'string' || !s.checkpoint) {
    throw new UsageError(`--state ${path}: not a ptnad watch state file (version 1)`);
  }
  return s as WatchState;
}

/** Removes temp files a killed watcher left beside the state file (`<state>.tmp-<pid>`). */
export function removeStaleTemps(path: string): void {
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || name === `${prefix}${process.pid}`) continue;
    try {
      unlinkSync(join(dirname(path), name));
    } catch {
      // Gone already, or not ours to remove: harmless.
    }
  }
}

/** Writes the state atomically and durably. */
export function writeState(path: string, state: WatchState): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const buf = Buffer.from(JSON.stringify(state));
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some platforms cannot open a directory for fsync; the rename itself is still atomic.
  }
}
