/**
 * The command tree (noun, then verb). Only names, options and help live here; each action imports its module
 * from src/commands/ when it runs.
 */

import { type Command, Option } from 'commander';
import { registerWatch } from './commands/watch.js';
import { Context, globalFlags, type Streams } from './context.js';
import { defineDataCommands } from './define-data.js';

/** A command implementation: positional arguments and the command's own options in, exit code out. */
export type Action = (ctx: Context, args: unknown[], opts: Record<string, unknown>) => Promise<number | undefined>;

/** What the actions need from main(). */
export interface Runner {
  env: NodeJS.ProcessEnv;
  streams: Streams;
  signal: AbortSignal;
  /** The raw arguments (for `ptnad emulator`, which forwards everything after its name). */
  argv: string[];
  setContext(ctx: Context): void;
  setCode(code: number): void;
}

/** Wraps a lazily imported action as a commander action handler. */
export function lazy(runner: Runner, load: () => Promise<Action>): (...all: unknown[]) => Promise<void> {
  return async (...all: unknown[]) => {
    const cmd = all[all.length - 1] as Command;
    const ctx = new Context(globalFlags(cmd.optsWithGlobals()), runner.env, runner.streams, runner.signal);
    runner.setContext(ctx);
    const action = await load();
    const code = await action(ctx, all.slice(0, -2), cmd.opts());
    runner.setCode(code ?? 0);
  };
}

/** Registers every command on the program. */
export function defineCommands(program: Command, runner: Runner): void {
  const run = (load: () => Promise<Action>) => lazy(runner, load);

  program
    .command('login')
    .description('store a profile: URL, username and (in a 0600 file) the password or key, after a test login')
    .addOption(new Option('--auth <type>', 'how to log in').choices(['local', 'sso', 'apikey']).default('local'))
    .option('--username <name>', 'account name (local and sso)')
    .option('--password-stdin', 'read the password (or API key) from stdin even on a terminal')
    .option('--sso-url <url>', 'IAM address for --auth sso, e.g. https://siem.example:3334')
    .option('--client-id <id>', 'IAM client id for --auth sso (the client secret is prompted or read from stdin)')
    .addOption(new Option('--sso-type <type>', 'directory users: ldap').choices(['local', 'ldap']))
    .action(run(() => import('./commands/auth.js').then((m) => m.login)));
  program
    .command('logout')
    .description("forget the profile's stored password or key")
    .action(run(() => import('./commands/auth.js').then((m) => m.logout)));
  const profiles = program.command('profiles').description('list, select and remove profiles');
  profiles
    .command('list')
    .description('list the stored profiles')
    .action(run(() => import('./commands/auth.js').then((m) => m.profilesList)));
  profiles
    .command('use')
    .description('make a profile the current one')
    .argument('<name>')
    .action(run(() => import('./commands/auth.js').then((m) => m.profilesUse)));
  profiles
    .command('remove')
    .description('delete a profile and its secrets')
    .argument('<name>')
    .action(run(() => import('./commands/auth.js').then((m) => m.profilesRemove)));

  program
    .command('status')
    .description('monitoring status and its problems; exit 0 green, 1 yellow, 2 red, 3 unknown')
    .action(run(() => import('./commands/status.js').then((m) => m.status)));
  program
    .command('triggers')
    .description('health triggers')
    .option('--active', 'only triggers that are not green')
    .option('--type <type>', 'only one type: audit, updates, stats or license')
    .action(run(() => import('./commands/status.js').then((m) => m.triggers)));

  const bql = program.command('bql').description('run, check and format BQL queries');
  bql
    .command('run')
    .description('run a query and print its rows with column headers')
    .argument('[query]', 'the query text (or use --file)')
    .option('--file <file>', 'read the query from a file ("-" for stdin)')
    .option('--source <id>', 'storage id (default 2, the live storage)')
    .option('--all', 'stream every row of a large result (progress on stderr)')
    .option('--page-size <n>', 'rows per request with --all', '1000')
    .action(run(() => import('./commands/bql.js').then((m) => m.run)));
  bql
    .command('check')
    .description('check syntax and fields offline; exit 2 when there are errors')
    .argument('[query]', 'the query or filter text (or use --file)')
    .option('--file <file>', 'read the text from a file ("-" for stdin)')
    .action(run(() => import('./commands/bql.js').then((m) => m.check)));
  bql
    .command('fmt')
    .description('print the canonical formatting of a query or filter')
    .argument('[query]', 'the query or filter text (or use --file; default stdin)')
    .option('--file <file>', 'read the text from a file ("-" for stdin)')
    .option('--pretty', 'one clause per line')
    .action(run(() => import('./commands/bql.js').then((m) => m.fmt)));

  program
    .command('hunt')
    .description('run a pack of named hunting filters over a time window; summary per category with hits')
    .option('--pack <file>', 'pack file (filters.json format); default: the shipped public examples')
    .option('--since <duration>', 'time window, e.g. 12h, 3d, 1w', '3d')
    .addOption(new Option('--lang <lang>', 'language of names and categories').choices(['en', 'ru']).default('en'))
    .option('--samples <n>', 'sample rows per filter', '3')
    .option('--source <id>', 'storage id (default 2)')
    .action(run(() => import('./commands/hunt.js').then((m) => m.hunt)));

  defineDataCommands(program, run);
  registerWatch(program, run);

  program
    .command('emulator')
    .description('run the PT NAD emulator in the foreground (flags are passed on; see `ptnad emulator --help`)')
    .helpOption(false)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .argument('[flags...]')
    .action(run(() => import('./commands/emulator.js').then((m) => m.emulator(runner.argv))));
  program
    .command('demo')
    .description('start an emulator in-process, run the usage query and three hunting filters, print status')
    .action(run(() => import('./commands/emulator.js').then((m) => m.demo)));
}
