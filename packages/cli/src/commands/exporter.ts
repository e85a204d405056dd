/**
 * `ptnad exporter [--listen 127.0.0.1:9847] [--cache 15] [--scrape-timeout 10]`: serves the appliance's
 * health as Prometheus metrics until interrupted (Ctrl-C or SIGTERM). prom-client is loaded only when the
 * command runs, so `ptnad --help` stays light.
 */

import { type Command, InvalidArgumentError } from 'commander';
import { handler, type Runner, secondsArg } from '../action.js';
import type { Context } from '../context.js';
import { CliError, EXIT, scrub } from '../errors.js';

/** The default address: loopback only, so that metrics are not exposed to the network by accident. */
export const DEFAULT_LISTEN = '127.0.0.1:9847';

/** Options of `ptnad exporter`. */
export interface ExporterOptions {
  listen: string;
  /** Seconds. */
  cache: number;
  /** Seconds. */
  scrapeTimeout: number;
}

function cacheArg(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`must be a number of seconds >= 0, got "${value}"`);
  }
  return n;
}

/** Declares `ptnad exporter`. */
export function register(program: Command, runner: Runner): void {
  program
    .command('exporter')
    .option('--listen <host:port>', 'address to listen on', DEFAULT_LISTEN)
    .option('--cache <seconds>', 'reuse one burst of appliance requests for this long (0: none)', cacheArg, 15)
    .option(
      '--scrape-timeout <seconds>',
      'longest wait for the appliance; after it the scrape answers ptnad_up 0',
      secondsArg,
      10,
    )
    .action(handler(runner, exporter));
}

/** `ptnad exporter`. Runs until the run's signal (Ctrl-C) or SIGTERM; exit 0 after a clean stop. */
export async function exporter(ctx: Context, opts: ExporterOptions): Promise<number> {
  const { listen, parseListen, stop } = await import('../exporter/server.js');
  const { Targets } = await import('../exporter/targets.js');
  const { createClient } = await import('../context.js');
  let address: ReturnType<typeof parseListen>;
  try {
    address = parseListen(opts.listen);
  } catch (err) {
    throw new CliError(`--listen: ${(err as Error).message}`, EXIT.usage);
  }
  // Resolved now, so that a missing URL or credential is reported at start, not at the first scrape.
  const connection = ctx.connection();
  const targets = new Targets(
    {
      defaultName: connection.profile,
      defaultClient: () => ctx.client(),
      configDir: ctx.configDir,
      createClient: (c) => createClient(ctx, c),
      secrets: ctx.secrets,
      env: ctx.env,
    },
    { cacheSeconds: opts.cache, timeoutSeconds: opts.scrapeTimeout },
  );
  const { server, url } = await listen(targets, address, (err) => {
    ctx.warn(scrub(`scrape failed: ${(err as Error).message ?? String(err)}`, ctx.secrets));
  }).catch((err: unknown) => {
    throw new CliError(`cannot listen on ${opts.listen}: ${(err as Error).message}`, EXIT.usage);
  });
  ctx.info(`ptnad: exporter listening on ${url}/metrics (default target "${connection.profile}")`);
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGTERM', done);
      ctx.signal.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGTERM', done);
    ctx.signal.addEventListener('abort', done, { once: true });
  });
  await stop(server);
  await targets.close();
  return EXIT.ok;
}
