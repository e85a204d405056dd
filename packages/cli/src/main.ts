/**
 * The `ptnad` entry point: builds the command tree, runs the chosen command, and turns whatever it throws into
 * one message and an exit code. Command implementations, the SDK and the emulator are imported only when a
 * command runs, so `ptnad --help` stays fast.
 *
 * @module ptnad-cli
 */

import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { commandWord, type Runner, secondsArg } from './action.js';
import { NOUNS } from './commands/index.js';
import type { Context, Streams } from './context.js';
import { EXIT, InterruptedError, reportError } from './errors.js';
import { OUTPUT_FORMATS, type OutputFormat } from './formats.js';

/** The exit-code table printed by `ptnad --help` (and the README). */
export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    API error (the server refused or failed the request)
  2    usage or validation error (bad arguments, invalid query, bad file)
  3    authentication or permission error
  4    connection or TLS error (unreachable, timeout, untrusted certificate)
  130  interrupted (Ctrl-C)
  ptnad status: 0 green, 1 yellow, 2 red, 3 unknown (monitoring-plugin convention)

Environment: PTNAD_URL, PTNAD_USERNAME, PTNAD_PASSWORD, PTNAD_API_KEY, PTNAD_PROFILE, PTNAD_SSO_URL,
  PTNAD_CLIENT_ID, PTNAD_CLIENT_SECRET, PTNAD_SSO_TYPE, PTNAD_SSO_CA, PTNAD_INSECURE, PTNAD_CA, NO_COLOR
`;

/** Options of {@link main} (all default to the real process). */
export interface MainOptions {
  env?: NodeJS.ProcessEnv;
  streams?: Streams;
}

/**
 * Runs the CLI with the given arguments (without `node` and the script) and resolves to the exit code.
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const streams: Streams = options.streams ?? processStreams();
  const aborter = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    // The first Ctrl-C cancels politely (requests abort, files are left consistent); a second one is final.
    if (interrupts > 1) process.exit(EXIT.interrupted);
    aborter.abort(new InterruptedError());
  };
  process.on('SIGINT', onSigint);
  // A closed stdout (`ptnad ... | head -1`) ends the run quietly with exit 0, as `git log | head` does:
  // the requests in flight are aborted and nothing more is written.
  let stdoutClosed = false;
  const onStdoutError = (err: unknown) => {
    // EPIPE and its aftermath (writes to the destroyed stream); any other stdout failure also ends the output.
    void err;
    if (stdoutClosed) return;
    stdoutClosed = true;
    aborter.abort(new InterruptedError());
  };
  streams.stdout.on('error', onStdoutError);

  let ctx: Context | undefined;
  let code: number = EXIT.ok;
  const runner: Runner = {
    env,
    streams,
    signal: aborter.signal,
    argv,
    setContext: (c) => {
      ctx = c;
    },
    setCode: (c) => {
      code = c;
    },
  };
  const program = await buildProgram(runner, argv);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    if (stdoutClosed) code = EXIT.ok;
    else if (aborter.signal.aborted && code === EXIT.ok) code = EXIT.interrupted;
  } catch (err) {
    if (stdoutClosed) {
      code = EXIT.ok;
    } else if (err instanceof CommanderError) {
      code = commanderExit(err);
    } else {
      const interrupted = aborter.signal.aborted;
      code = reportError(interrupted ? new InterruptedError() : err, {
        write: (t) => streams.stderr.write(t),
        debug,
        secrets: ctx?.secrets ?? [],
        ...(ctx ? { retries: ctx.retries } : {}),
        paint: ctx ? (s) => ctx?.errColors.red(s) ?? s : undefined,
      });
    }
  } finally {
    process.off('SIGINT', onSigint);
    await ctx?.close().catch(() => undefined);
    streams.stdout.off('error', onStdoutError);
  }
  return code;
}

/**
 * The process's streams. stdin is read on first use: creating process.stdin sets up a stream over fd 0 (about
 * 10 ms of every start-up, issue 13), and most commands never read it.
 */
function processStreams(): Streams {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    get stdin() {
      return process.stdin;
    },
  };
}

function commanderExit(err: CommanderError): number {
  switch (err.code) {
    case 'commander.helpDisplayed':
    case 'commander.version':
      return EXIT.ok;
    default:
      return EXIT.usage;
  }
}

async function buildProgram(runner: Runner, argv: readonly string[]): Promise<Command> {
  const program = new Command('ptnad');
  program
    .description('The PT NAD command line: status, hunting with BQL, reputation lists, rules and more.')
    .version(packageVersion(), '--version', 'print the version')
    .addOption(new Option('--url <url>', 'PT NAD address, e.g. https://nad.example (env PTNAD_URL)'))
    .addOption(new Option('--profile <name>', 'profile to use (env PTNAD_PROFILE; default: the current one)'))
    .addOption(new Option('--insecure', 'do not verify the TLS certificate (unsafe; env PTNAD_INSECURE=1)'))
    .addOption(new Option('--ca <file>', 'PEM file of the CA that signed the server certificate (env PTNAD_CA)'))
    .addOption(new Option('--timeout <seconds>', 'per-request timeout in seconds (default 60)').argParser(secondsArg))
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table' as OutputFormat),
    )
    .addOption(
      new Option(
        '--csv-raw',
        "with -o csv, write cells as they are (by default a cell starting with = + - @ tab or CR gets a leading ' so that spreadsheets do not run it as a formula)",
      ),
    )
    .addOption(new Option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)'))
    .addOption(new Option('--debug', 'print stack traces and HTTP debug lines (secrets are redacted)'))
    .showSuggestionAfterError(true)
    .addHelpText('after', EXIT_CODES_HELP);
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => runner.streams.stdout.write(s),
    writeErr: (s) => runner.streams.stderr.write(s),
    outputError: (s, write) => write(`ptnad: ${s}`),
  });
  // Only the noun being run is loaded; the others are listed by name and summary (see commands/index.ts).
  const wanted = commandWord(argv);
  for (const noun of NOUNS) {
    const names = Object.keys(noun.summary);
    if (wanted !== undefined && names.includes(wanted)) (await noun.load()).register(program, runner);
    else for (const name of names) program.command(name);
    for (const name of names) program.commands.find((c) => c.name() === name)?.description(noun.summary[name] ?? '');
  }
  // Subcommands inherit exitOverride and output settings only if set before they are created; set them again.
  for (const cmd of allCommands(program)) {
    cmd.exitOverride();
    cmd.configureOutput(program.configureOutput());
    cmd.showSuggestionAfterError(true);
  }
  return program;
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Set by tools/bundle.ts in the bundled CLI: its package.json version, so that a run reads no file for it. */
declare const __PTNAD_CLI_VERSION__: string | undefined;

/** The CLI's version, from its package.json. */
export function packageVersion(): string {
  if (typeof __PTNAD_CLI_VERSION__ === 'string') return __PTNAD_CLI_VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
