/**
 * Helpers shared by the commands: reading text from an argument, a file or stdin, and checking options.
 */

import { readFile } from 'node:fs/promises';
import type { Context } from '../context.js';
import { parsePositiveInt } from '../duration.js';
import { UsageError } from '../errors.js';
import { readAll } from '../prompt.js';

/** Reads a whole file, or stdin for "-"; a missing file is a usage error naming it. */
export async function readTextFile(ctx: Context, file: string, what: string): Promise<string> {
  if (file === '-') return readAll(ctx.streams.stdin, ctx.signal);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new UsageError(`cannot read ${what} ${file}: ${why}`);
  }
}

/** The text of a query: the argument, or --file, or (when `stdinDefault`) piped stdin. */
export async function queryInput(ctx: Context, arg: unknown, file: unknown, stdinDefault: boolean): Promise<string> {
  if (typeof arg === 'string' && typeof file === 'string') {
    throw new UsageError('give the query either as an argument or with --file, not both');
  }
  if (typeof arg === 'string') return arg;
  if (typeof file === 'string') return readTextFile(ctx, file, 'query file');
  if (stdinDefault && ctx.streams.stdin.isTTY !== true) return readAll(ctx.streams.stdin, ctx.signal);
  throw new UsageError(
    'no query given',
    'pass it as an argument, e.g. "SELECT src.ip FROM flow LIMIT 5", or use --file',
  );
}

/** A positive integer option (commander hands options over as strings). */
export function intOption(opts: Record<string, unknown>, name: string, flag: string): number | undefined {
  const v = opts[name];
  if (v === undefined) return undefined;
  return parsePositiveInt(String(v), flag);
}

/** A string option, or undefined. */
export function strOption(opts: Record<string, unknown>, name: string): string | undefined {
  const v = opts[name];
  return typeof v === 'string' ? v : undefined;
}

/** An id argument: a positive integer (lists, groups, storages, rules) checked before anything is sent. */
export function numericId(value: unknown, what: string): number {
  const s = String(value);
  if (!/^\d+$/.test(s) || Number(s) <= 0 || !Number.isSafeInteger(Number(s))) {
    throw new UsageError(`${what} must be a positive integer, got "${s}"`);
  }
  return Number(s);
}

/** Objects of an API answer, as plain records for the output writer. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value };
}
