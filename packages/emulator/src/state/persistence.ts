import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { ReplistRecord, VariableRecord } from '../store/types.js';
import type { RulePatch } from './rules.js';

/** What `--state FILE` holds: every user-changeable part of the emulator. */
export interface StateSnapshot {
  version: 1;
  replists: ReplistRecord[];
  variables: { committed: VariableRecord[]; working: VariableRecord[]; nextId: number };
  rules: { committed: Array<[number, RulePatch]>; pending: Array<[number, RulePatch]> };
  storages: Array<{ id: number; flowIds: string[] }>;
}

/** A state file that exists but cannot be used; the message says which file and why. */
export class StateFileError extends Error {
  constructor(path: string, why: string) {
    super(`state file ${path}: ${why}`);
    this.name = 'StateFileError';
  }
}

/** Reads a state file; null when it does not exist yet. Throws StateFileError when it is corrupt. */
export function readStateFile(path: string): StateSnapshot | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError(path, `cannot be read (${(err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new StateFileError(path, `is not valid JSON (${(err as Error).message}); fix or delete it`);
  }
  const problem = shapeProblem(data);
  if (problem) throw new StateFileError(path, `${problem}; fix or delete it`);
  return data as StateSnapshot;
}

function shapeProblem(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'the top level is not a JSON object';
  const d = data as Record<string, unknown>;
  if (d.version !== 1) return `unsupported version ${JSON.stringify(d.version)} (expected 1)`;
  if (!Array.isArray(d.replists)) return '"replists" is not an array';
  const vars = d.variables as Record<string, unknown> | undefined;
  if (!vars || !Array.isArray(vars.committed) || !Array.isArray(vars.working) || typeof vars.nextId !== 'number') {
    return '"variables" must hold "committed", "working" and "nextId"';
  }
  const rules = d.rules as Record<string, unknown> | undefined;
  if (!rules || !Array.isArray(rules.committed) || !Array.isArray(rules.pending)) {
    return '"rules" must hold "committed" and "pending" arrays';
  }
  if (!Array.isArray(d.storages)) return '"storages" is not an array';
  for (const [i, r] of (d.replists as unknown[]).entries()) {
    const rec = r as Record<string, unknown> | null;
    if (!rec || typeof rec.id !== 'number' || typeof rec.name !== 'string' || !Array.isArray(rec.items)) {
      return `replists[${i}] lacks a numeric "id", a "name" or an "items" array`;
    }
  }
  return null;
}

/** Writes the state atomically: a temp file in the same directory, fsync, then rename over the target. */
export function writeStateFile(path: string, snapshot: StateSnapshot): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(snapshot));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
}
