/**
 * `ptnad emulator [flags]`: the emulator in the foreground, flags passed on.
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { GLOBAL_VALUE_OPTIONS, handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';

/** Declares `ptnad emulator`. */
export function register(program: Command, runner: Runner): void {
  program
    .command('emulator')
    .helpOption(false)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .argument('[flags...]')
    .action(handler(runner, (ctx) => emulator(ctx, runner.argv)));
}

/** What to do when the optional peer `ptnad-emulator` is missing. */
export const EMULATOR_MISSING_HINT = 'install it next to the CLI: npm install -g ptnad-emulator';

function emulatorBin(): string {
  let pkgUrl: string;
  try {
    pkgUrl = import.meta.resolve('ptnad-emulator/package.json');
  } catch {
    throw new UsageError('ptnad-emulator is not installed', EMULATOR_MISSING_HINT);
  }
  const pkg = JSON.parse(readFileSync(new URL(pkgUrl), 'utf8')) as { bin?: Record<string, string> };
  const rel = pkg.bin?.['ptnad-emulator'];
  if (!rel) throw new UsageError('the installed ptnad-emulator has no "ptnad-emulator" bin');
  return fileURLToPath(new URL(rel, pkgUrl));
}

/** The arguments after the command word, skipping global options (and their values) before it. */
export function argsAfterCommand(argv: readonly string[], command: string): string[] {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
    else if (arg === command) return argv.slice(i + 1);
  }
  return [];
}

/** `ptnad emulator ...`: everything after the word `emulator` goes to the emulator unchanged. */
export function emulator(ctx: Context, argv: readonly string[]): Promise<number> {
  const forwarded = argsAfterCommand(argv, 'emulator');
  const child = spawn(process.execPath, [emulatorBin(), ...forwarded], { stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const onTerm = forward('SIGTERM');
  const onAbort = forward('SIGINT');
  process.on('SIGTERM', onTerm);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  return new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', onTerm);
      ctx.signal.removeEventListener('abort', onAbort);
      // After Ctrl-C the terminal signalled the emulator too; however it ended, the run was interrupted.
      if (ctx.signal.aborted) resolve(EXIT.interrupted);
      else resolve(code ?? (signal === 'SIGINT' ? EXIT.interrupted : 1));
    });
  });
}
