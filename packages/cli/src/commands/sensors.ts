/**
 * `ptnad sensors list|get`: the sensors (ptdpi modules).
 */

import type { Command } from 'commander';
import { handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { asRecord } from '../input.js';

/** Declares `ptnad sensors list|get`. */
export function register(program: Command, runner: Runner): void {
  const sensors = program.command('sensors');
  sensors
    .command('list')
    .description('list sensors (all of them: the API does not page them)')
    .action(handler(runner, list));
  sensors.command('get').description('one sensor').argument('<id>').action(handler(runner, get));
}

/** `ptnad sensors list`. */
export async function list(ctx: Context): Promise<number> {
  const client = await ctx.client();
  const sensors = await client.sensors.getSensors({ signal: ctx.signal });
  ctx.records(sensors.map(asRecord));
  return EXIT.ok;
}

/** `ptnad sensors get <id>`. */
export async function get(ctx: Context, _opts: unknown, id: string): Promise<number> {
  const client = await ctx.client();
  ctx.object(asRecord(await client.sensors.getSensor(id, { signal: ctx.signal })));
  return EXIT.ok;
}
