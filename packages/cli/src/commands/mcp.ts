/**
 * `ptnad mcp [--allow-write [--allow-commit]] [--max-rows N] [--max-bytes N]`: an MCP server over stdio for AI
 * assistants. Read-only unless the operator passes --allow-write. The MCP SDK and zod are loaded only when
 * the command runs, so `ptnad --help` stays light.
 */

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { handler, intArg, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { describeError, EXIT, scrub, UsageError } from '../errors.js';

/** Options of `ptnad mcp`. */
export interface McpCommandOptions {
  allowWrite?: boolean;
  allowCommit?: boolean;
  maxRows: number;
  maxBytes: number;
}

/** The highest row cap an operator may set: a result an assistant can still read. */
export const MAX_ROWS_LIMIT = 10_000;

/** Declares `ptnad mcp`. */
export function register(program: Command, runner: Runner): void {
  program
    .command('mcp')
    .option('--allow-write', 'offer the tools that add values to dynamic reputation lists and switch rules')
    .option('--allow-commit', 'let rule_switch commit pending changes to the sensors (needs --allow-write)')
    .option('--max-rows <n>', `most rows per answer (at most ${MAX_ROWS_LIMIT})`, intArg(1), 200)
    .option('--max-bytes <n>', 'most bytes of JSON per answer', intArg(1024), 256 * 1024)
    .action(handler(runner, mcp));
}

/**
 * `ptnad mcp`: serves until stdin closes, Ctrl-C or SIGTERM (what an assistant host sends when it stops the
 * server); exit 0. Every way out ends in main()'s close, which logs a password session out.
 */
export async function mcp(ctx: Context, opts: McpCommandOptions): Promise<number> {
  if (opts.allowCommit && !opts.allowWrite) throw new UsageError('--allow-commit needs --allow-write');
  if (opts.maxRows > MAX_ROWS_LIMIT) throw new UsageError(`--max-rows: at most ${MAX_ROWS_LIMIT}`);
  const { serveStdio } = await import('../mcp/server.js');
  const { parsePack } = await import('../pack.js');
  const { DEFAULT_PACK } = await import('./hunt.js');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  // Resolved now: a missing URL or credential is reported at start, before any client connects.
  ctx.connection();
  ctx.info(
    `ptnad: MCP server on stdio (${opts.allowWrite ? `write tools on${opts.allowCommit ? ', commit allowed' : ''}` : 'read-only'})`,
  );
  // SIGTERM stops serving like a closed stdin; without this handler Node's default would kill the process before
  // the session is logged out.
  const terminated = new AbortController();
  const onTerm = () => terminated.abort(new Error('SIGTERM'));
  process.once('SIGTERM', onTerm);
  try {
    await serveStdio({
      name: 'ptnad',
      version: pkg.version,
      client: () => ctx.client(),
      caps: { maxRows: opts.maxRows, maxBytes: opts.maxBytes },
      permissions: { write: opts.allowWrite === true, commit: opts.allowCommit === true },
      pack: parsePack(readFileSync(DEFAULT_PACK, 'utf8'), 'packs/public-examples.json'),
      describe: (err) => scrub(describeError(err).message, ctx.secrets),
      signal: AbortSignal.any([ctx.signal, terminated.signal]),
    });
  } finally {
    process.off('SIGTERM', onTerm);
  }
  return EXIT.ok;
}
