/**
 * The troubleshooting guides cover every failure the code can produce: each SDK error `code` and error class
 * (packages/client/src/core/errors.ts), each CLI error class and exit code (packages/cli/src/errors.ts) and each
 * `ptnad status` exit code (packages/cli/src/commands/status.ts), in English and in Russian. The lists are read
 * from the source, so a new code fails this test until both guides explain it.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMarkdown } from './markdown.js';
import { REPO } from './runner.js';

const src = (f: string) => readFileSync(join(REPO, f), 'utf8');
const clientErrors = src('packages/client/src/core/errors.ts');
const cliErrors = src('packages/cli/src/errors.ts');
const statusCmd = src('packages/cli/src/commands/status.ts');

function between(text: string, start: string, end: string): string {
  const i = text.indexOf(start);
  if (i < 0) throw new Error(`"${start}" not found: update test/docs/troubleshooting.test.ts`);
  return text.slice(i, text.indexOf(end, i + start.length));
}

const errorCodes = [...between(clientErrors, 'export type ErrorCode =', ';').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
const errorClasses = [...`${clientErrors}\n${cliErrors}`.matchAll(/export (?:abstract )?class (\w+) extends/g)].map(
  (m) => m[1],
);
const exitCodes = [
  ...new Set([...between(cliErrors, 'export const EXIT = {', '}').matchAll(/:\s*(\d+)/g)].map((m) => m[1])),
];
const statusCodes = [...between(statusCmd, 'export function statusExitCode', '\n}').matchAll(/return (\d+);/g)].map(
  (m) => m[1],
);

const GUIDES = [
  { file: 'docs/guide/troubleshooting.md', exitHeading: (n: string) => new RegExp(`\\bexit code ${n}\\b`, 'i') },
  { file: 'docs/ru/guide/troubleshooting.md', exitHeading: (n: string) => new RegExp(`код выхода ${n}(?!\\d)`, 'i') },
];

describe('what the source defines', () => {
  it('is read from the source (the lists are not empty)', () => {
    expect(errorCodes.length).toBeGreaterThanOrEqual(20);
    expect(errorClasses).toContain('PTNADError');
    expect(errorClasses).toContain('UsageError');
    expect(exitCodes).toEqual(expect.arrayContaining(['0', '1', '2', '3', '4', '130']));
    expect(statusCodes).toEqual(['0', '1', '2', '3']);
  });
});

describe.each(GUIDES)('$file', ({ file, exitHeading }) => {
  const text = src(file);
  const doc = readMarkdown(text);
  const codeSpans = new Set([...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]));

  it('explains every SDK error code', () => {
    expect(errorCodes.filter((c) => !codeSpans.has(c ?? ''))).toEqual([]);
  });
  it('names every error class', () => {
    expect(errorClasses.filter((c) => !codeSpans.has(c ?? ''))).toEqual([]);
  });
  it('has a section for every CLI exit code', () => {
    const missing = exitCodes.filter((n) => !doc.headings.some((h) => exitHeading(n ?? '').test(h.text)));
    expect(missing).toEqual([]);
  });
  it('explains every exit code of `ptnad status`', () => {
    const h = doc.headings.find((x) => x.text.includes('ptnad status'));
    expect(h, 'a heading that names `ptnad status`').toBeDefined();
    const next = doc.headings.find((x) => x.line > (h?.line ?? 0) && x.level <= (h?.level ?? 0));
    const section = text
      .split('\n')
      .slice(h?.line ?? 0, next ? next.line - 1 : undefined)
      .join('\n');
    expect(statusCodes.filter((n) => !section.includes(`\`${n}\``))).toEqual([]);
  });
});
