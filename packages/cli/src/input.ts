/**
 * Helpers shared by the commands: reading text from an argument, a file or stdin, and checking ids.
 */

import type { Context } from './context.js';
import { UsageError } from './errors.js';
import { readAllBytes, stripBom } from './prompt.js';

/** Reads a whole file as bytes, or stdin for "-"; a missing file is a usage error naming it. */
export async function readBytes(ctx: Context, file: string, what: string): Promise<Buffer> {
  if (file === '-') return readAllBytes(ctx.streams.stdin, ctx.signal);
  try {
    return await process.getBuiltinModule('node:fs/promises').readFile(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new UsageError(`cannot read ${what} ${file}: ${why}`);
  }
}

/** Reads a whole UTF-8 file (a leading BOM removed), or stdin for "-". */
export async function readTextFile(ctx: Context, file: string, what: string): Promise<string> {
  return stripBom((await readBytes(ctx, file, what)).toString('utf8'));
}

/** The text of a query: the argument, or --file, or (when `stdinDefault`) piped stdin. */
export async function queryInput(
  ctx: Context,
  arg: string | undefined,
  file: string | undefined,
  stdinDefault: boolean,
): Promise<string> {
  if (arg !== undefined && file !== undefined) {
    throw new UsageError('give the query either as an argument or with --file, not both');
  }
  if (arg !== undefined) return arg;
  if (file !== undefined) return readTextFile(ctx, file, 'query file');
  if (stdinDefault && ctx.streams.stdin.isTTY !== true) return readTextFile(ctx, '-', 'stdin');
  throw new UsageError(
    'no query given',
    'pass it as an argument, e.g. "SELECT src.ip FROM flow LIMIT 5", or use --file',
  );
}

/** An id argument: a positive integer (lists, groups, storages, rules) checked before anything is sent. */
export function numericId(value: string, what: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${what} must be a positive integer, got "${value}"`);
  }
  return Number(value);
}

/** Objects of an API answer, as plain records for the output writer. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value };
}
