import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ReplistRecord, VariableRecord } from '../store/types.js';
import type { RulePatch } from './rules.js';

/** What `--state FILE` holds: every user-changeable part of the emulator. */
export interface StateSnapshot {
  version: 1;
  /** The last journal record this snapshot includes (absent in files written before the journal: 0). */
  seq?: number;
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
  if (d.seq !== undefined && (typeof d.seq !== 'number' || !Number.isInteger(d.seq) || d.seq < 0)) {
    return '"seq" must be a non-negative integer';
  }
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

/**
 * Removes `<state>.<pid>.tmp` and `<state>.journal.<pid>.tmp` files left by runs that were killed mid-write (their
 * process is gone). A temp file of a live process is left alone. Returns the names removed.
 */
export function removeStaleTempFiles(statePath: string): string[] {
  const dir = dirname(statePath);
  const base = basename(statePath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const m = /^\.(?:journal\.)?(\d+)\.tmp$/.exec(name.slice(base.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && processAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // already gone or not ours to remove: the start goes on
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
