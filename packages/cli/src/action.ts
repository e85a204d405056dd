/**
 * What every noun module (src/commands/<noun>.ts) uses to declare its subcommands: the {@link Runner} that
 * main() hands over, {@link handler} that turns a typed function into a commander action (building the
 * Context when the command runs), and flag parsers that check numbers where the flag is declared.
 * Nothing here loads the SDK: `ptnad --help` builds the whole tree without it.
 */

import { type Command, InvalidArgumentError } from 'commander';
import type { Context, Streams } from './context.js';

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

/** A noun module's registration function: declares its commands on the program. */
export type Register = (program: Command, runner: Runner) => void;

/** A command implementation: the context, the typed options, then the positional arguments; exit code out. */
export type Handler<O, A extends unknown[]> = (ctx: Context, opts: O, ...args: A) => Promise<number>;

/**
 * Wraps a handler as a commander action. The options type `O` must match the flags declared on the command;
 * numbers and enums arrive parsed (see {@link intArg}, Option.choices).
 */
export function handler<O, A extends unknown[] = []>(
  runner: Runner,
  run: Handler<O, A>,
): (...all: unknown[]) => Promise<void> {
  return async (...all: unknown[]) => {
    const cmd = all[all.length - 1] as Command;
    // Loaded when a command runs, not when the tree is built: `ptnad --help` stays light.
    const { Context, globalFlags } = await import('./context.js');
    const ctx = new Context(globalFlags(cmd.optsWithGlobals()), runner.env, runner.streams, runner.signal);
    runner.setContext(ctx);
    const code = await run(ctx, cmd.opts() as O, ...(all.slice(0, -2) as A));
    runner.setCode(code);
  };
}

/** An integer flag parser with a lower bound (commander reports the flag and the value on failure). */
export function intArg(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value.trim());
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(min === 1 ? 'must be a positive integer' : `must be an integer >= ${min}`);
    }
    return n;
  };
}

/** A positive number of seconds (fractions allowed). */
export function secondsArg(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`must be a positive number of seconds, got "${value}"`);
  }
  return n;
}

/** A ratio between 0 and 1 inclusive. */
export function ratioArg(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError('must be a number from 0 to 1 (e.g. 0.5 for half of the list)');
  }
  return n;
}

/** Global options that take a value (their value is not a command word). */
export const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--url',
  '--profile',
  '--ca',
  '--timeout',
  '-o',
  '--output',
]);

/** The top-level command word of an argument list (`help X` counts as X), or undefined. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
    else if (arg === '--') return argv[i + 1];
    else if (!arg.startsWith('-') && arg !== 'help') return arg;
  }
  return undefined;
}
