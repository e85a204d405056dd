/**
 * `ptnad status` (monitoring-plugin exit codes: 0 green, 1 yellow, 2 red, 3 unknown). Monitoring systems run
 * it on a schedule, so it always ends within its timeout: a whole-run deadline covers login, retries and a
 * body that trickles in, and reaching it is UNKNOWN.
 */

import type { Command } from 'commander';
import { handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { CliError, describeError, EXIT, scrub } from '../errors.js';
import { asRecord } from '../input.js';
import { safeCell } from '../output.js';

/** The deadline of a whole `ptnad status` run when neither --timeout nor the profile sets one, in seconds. */
export const STATUS_DEFAULT_TIMEOUT_S = 60;

/** Declares `ptnad status`. */
export function register(program: Command, runner: Runner): void {
  program.command('status').action(handler(runner, status));
}

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
    result = await withDeadline(ctx, async (signal) => {
      const client = await ctx.client();
      return client.monitoring.getStatus({ signal });
    });
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

/** Raised when the whole run passes its deadline. */
class DeadlineError extends CliError {
  constructor(seconds: number) {
    super(`no complete answer within ${seconds} s (--timeout)`, EXIT.connection, 'raise --timeout SECONDS');
  }
}

/**
 * Runs `work` with a signal that aborts at the deadline, and gives up waiting at the deadline even if the work
 * does not notice the abort (a body that trickles in byte by byte).
 */
async function withDeadline<T>(ctx: Context, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeoutMs = ctx.connection().timeoutMs;
  const seconds = timeoutMs !== undefined ? timeoutMs / 1000 : STATUS_DEFAULT_TIMEOUT_S;
  const deadline = new AbortController();
  const signal = AbortSignal.any([ctx.signal, deadline.signal]);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new DeadlineError(seconds);
      deadline.abort(err);
      reject(err);
    }, seconds * 1000);
  });
  const running = work(signal);
  // Once the deadline wins the race, a later failure of the abandoned work is of no interest.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, expired]);
  } catch (err) {
    // The SDK reports the abort in its own words; the deadline is the reason.
    if (deadline.signal.aborted && !ctx.signal.aborted) throw deadline.signal.reason;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
