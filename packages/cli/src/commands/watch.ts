/**
 * `ptnad watch attacks|flows`: the command's declaration (options with their defaults and help). The handler,
 * the SDK and the sinks are loaded only when it runs (src/watch/).
 */
import { Argument, type Command, Option } from 'commander';
import { handler, type Runner } from '../action.js';
import type { WatchOptions } from '../watch/run.js';

/** Declares `ptnad watch`. */
export function register(program: Command, runner: Runner): void {
  program
    .command('watch')
    .description('follow new attacks or flows and forward them (stdout, file, webhook, syslog) with a checkpoint')
    .addArgument(new Argument('<what>', 'what to follow').choices(['attacks', 'flows']))
    .option('--filter <bql>', 'BQL filter, e.g. "pr == 1" or "app_proto == \'rdp\'"')
    .option(
      '--sink <sink>',
      'stdout | file:PATH | webhook:URL | syslog+udp://H:P | syslog+tcp://H:P | syslog+tls://H:P',
      'stdout',
    )
    .addOption(new Option('--format <format>', 'syslog message format').choices(['json', 'cef']).default('json'))
    .option('--state <file>', 'checkpoint file: resume where the last run stopped (saved after each delivered batch)')
    .option('--once', 'deliver what is there and exit (for cron; use with --state or --since)')
    .option('--since <duration>', 'without a saved state, start this far back (e.g. 1h) instead of now')
    .option('--look-back <duration>', 'how late rows may appear after newer ones (indexing delay)', '60s')
    .option('--poll-interval <duration>', 'delay between polls while rows keep coming (doubles when idle)', '1s')
    .option('--page-size <n>', 'rows per request', '500')
    .option('--template <file>', 'webhook body template: {{field}} becomes its JSON value, e.g. {"text": {{msg}}}')
    .option('--sink-ca <file>', 'PEM CA for syslog+tls:// and https:// webhook sinks (default: system CAs)')
    .action(
      handler<WatchOptions, [string]>(runner, async (ctx, opts, what) =>
        (await import('../watch/run.js')).watch(ctx, [what], opts as unknown as Record<string, unknown>),
      ),
    );
}
