/**
 * `ptnad triggers [--active] [--type T]`: the health triggers behind `ptnad status`.
 */

import { type Command, Option } from 'commander';
import { handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';

/** The trigger types PT NAD reports. */
export const TRIGGER_TYPES = ['audit', 'updates', 'stats', 'license'] as const;

/** Options of `ptnad triggers`. */
export interface TriggersOptions {
  active?: boolean;
  type?: (typeof TRIGGER_TYPES)[number];
}

/** Declares `ptnad triggers`. */
export function register(program: Command, runner: Runner): void {
  program
    .command('triggers')
    .option('--active', 'only triggers that are not green')
    .addOption(new Option('--type <type>', 'only one type').choices(TRIGGER_TYPES))
    .action(handler(runner, triggers));
}

/** `ptnad triggers [--active] [--type T]`. */
export async function triggers(ctx: Context, opts: TriggersOptions): Promise<number> {
  const client = await ctx.client();
  let list = await client.monitoring.getTriggers({ signal: ctx.signal });
  if (opts.active === true) list = list.filter((t) => t.status !== 'green');
  if (opts.type !== undefined) list = list.filter((t) => t.type === opts.type);
  ctx.records(
    list.map((t) => ({ ...t })),
    { columns: ['id', 'type', 'status', 'updated', 'message'] },
  );
  return EXIT.ok;
}
