/**
 * `ptnad status` (monitoring-plugin exit codes: 0 green, 1 yellow, 2 red, 3 unknown) and `ptnad triggers`.
 */

import type { Context } from '../context.js';
import { describeError, scrub } from '../errors.js';
import { safeCell } from '../output.js';
import { asRecord } from './input.js';

/** The monitoring-plugin exit code of a status colour. */
export function statusExitCode(status: string): number {
  switch (status) {
    case 'green':
      return 0;
    case 'yellow':
      return 1;
    case 'red':
      return 2;
    default:
      return 3;
  }
}

function paint(ctx: Context, status: string, text: string): string {
  const c = ctx.outColors;
  const colors: Record<string, (s: string) => string> = { green: c.green, yellow: c.yellow, red: c.red };
  return (colors[status] ?? c.dim)(text);
}

/**
 * `ptnad status`. Any failure to get the status (unreachable, bad credentials) is UNKNOWN (3), as monitoring
 * systems expect, with the reason on stderr.
 */
export async function status(ctx: Context): Promise<number> {
  let result: { status: string; problems: { status: string; message: string }[] };
  try {
    const client = await ctx.client();
    result = await client.monitoring.getStatus({ signal: ctx.signal });
  } catch (err) {
    const { message, hint, exitCode } = describeError(err);
    if (exitCode === 130) throw err;
    ctx.streams.stderr.write(scrub(`ptnad: UNKNOWN: ${message}\n${hint ? `hint: ${hint}\n` : ''}`, ctx.secrets));
    if (ctx.format !== 'table') ctx.object({ status: 'unknown', error: scrub(message, ctx.secrets), problems: [] });
    return 3;
  }
  const code = statusExitCode(result.status);
  if (ctx.format === 'table') {
    let out = `${paint(ctx, result.status, safeCell(result.status.toUpperCase()))}: ${
      result.problems.length === 0 ? 'no problems' : `${result.problems.length} problem(s)`
    }\n`;
    for (const p of result.problems)
      out += `  ${paint(ctx, p.status, `[${safeCell(p.status)}]`)} ${safeCell(p.message)}\n`;
    ctx.out.write(out);
  } else if (ctx.format === 'json') {
    ctx.object(asRecord(result));
  } else {
    // One record per problem keeps jsonl and csv flat; the overall status rides along in each.
    ctx.records(
      result.problems.map((p) => ({ overall: result.status, status: p.status, message: p.message })),
      { columns: ['overall', 'status', 'message'] },
    );
  }
  return code;
}

/** `ptnad triggers [--active] [--type T]`. */
export async function triggers(ctx: Context, _args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const client = await ctx.client();
  let list = await client.monitoring.getTriggers({ signal: ctx.signal });
  if (opts.active === true) list = list.filter((t) => t.status !== 'green');
  if (typeof opts.type === 'string') list = list.filter((t) => t.type === opts.type);
  ctx.records(
    list.map((t) => ({ ...t })),
    { columns: ['id', 'type', 'status', 'updated', 'message'] },
  );
  return 0;
}
