/**
 * `ptnad files get <flow-id> --out DIR`: the files a flow carried, as a ZIP.
 */

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { durationArg } from '../duration.js';
import { EXIT } from '../errors.js';
import { flowId, type WindowOptions, window } from './flows.js';

/** Options of `ptnad files get`. */
export interface FilesGetOptions extends WindowOptions {
  out: string;
}

/** Declares `ptnad files get`. */
export function register(program: Command, runner: Runner): void {
  program
    .command('files')
    .command('get')
    .description('extract the files of a flow into a ZIP in a directory')
    .argument('<flow-id>')
    .requiredOption('--out <dir>', 'directory to write the ZIP into')
    .option('--since <duration>', 'search window back from now', durationArg, 7 * 86_400_000)
    .option('--source <id>', 'storage id (default 2)')
    .action(handler(runner, get));
}

/** `ptnad files get <flow-id> --out DIR`: extracts the flow's files and downloads the ZIP into DIR. */
export async function get(ctx: Context, opts: FilesGetOptions, arg: string): Promise<number> {
  const id = flowId(arg);
  const w = window(opts);
  await mkdir(opts.out, { recursive: true });
  const destination = join(opts.out, `${id}.zip`);
  const client = await ctx.client();
  const progress = ctx.progress(`extracting files of ${id}`);
  try {
    const result = await client.files.extractToFile({ flowId: id, ...w }, destination, {
      signal: ctx.signal,
      pollMs: 500,
      onProgress: (t) => progress.note(String(t.state)),
    });
    ctx.object({ flow: id, path: result.path, bytes: result.bytes });
    return EXIT.ok;
  } finally {
    progress.done();
  }
}
