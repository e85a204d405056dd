/**
 * Writes the `ptnad` command reference (docs/api/ptnad-cli/commands.md) from the CLI's own help texts: it runs
 * `ptnad --help`, then `--help` of every command that help lists, recursively, in process. What the page says is
 * what the built CLI prints, so it cannot drift from the code. Run by `npm run docs:api` after typedoc.
 * Usage: tsx tools/docs/cli-reference.ts [out-file]
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from 'ptnad-cli';

const PTNAD_BIN = fileURLToPath(new URL('../../packages/cli/bin/ptnad.js', import.meta.url));

/** The help text of `ptnad <path...> --help`. */
async function helpOf(path: readonly string[]): Promise<string> {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const code = await main([...path, '--help'], {
    env: { ...process.env, NO_COLOR: '1', PTNAD_URL: '', PTNAD_PROFILE: '' },
    streams: { stdout: sink, stderr: sink, stdin: process.stdin },
  });
  if (code !== 0) throw new Error(`ptnad ${[...path, '--help'].join(' ')} exited ${code}:\n${text}`);
  // `ptnad emulator` hands its arguments to the emulator's own parser, which prints to the real stdout: run
  // that one as a child process.
  if (text.trim() === '') text = execFileSync(process.execPath, [PTNAD_BIN, ...path, '--help'], { encoding: 'utf8' });
  return text.trimEnd();
}

/** The command names a help text lists under "Commands:" (without the implicit `help`). */
function subcommands(help: string): string[] {
  const start = help.indexOf('\nCommands:\n');
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of help.slice(start + '\nCommands:\n'.length).split('\n')) {
    if (line.trim() === '') break;
    const m = /^ {2}([a-z][\w-]*)/.exec(line);
    if (m?.[1] && m[1] !== 'help') names.push(m[1]);
  }
  return names;
}

async function collect(path: string[], out: Array<{ path: string[]; help: string }>): Promise<void> {
  const help = await helpOf(path);
  out.push({ path, help });
  for (const name of subcommands(help)) await collect([...path, name], out);
}

/** The whole reference page as Markdown. */
export async function cliReference(): Promise<string> {
  const pages: Array<{ path: string[]; help: string }> = [];
  await collect([], pages);
  const parts = [
    '# Command line: `ptnad`',
    '',
    'Generated from the help texts of the built `ptnad` (`tools/docs/cli-reference.ts`); `ptnad <command> --help`',
    'prints the same. The programmatic entry point is [`main`](./functions/main).',
    '',
  ];
  for (const { path, help } of pages) {
    parts.push(`## ${['ptnad', ...path].join(' ')}`, '', '```text', help, '```', '');
  }
  return parts.join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2] ?? 'docs/api/ptnad-cli/commands.md';
  const page = await cliReference();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, page);
  process.stdout.write(`wrote ${file}\n`);
}
