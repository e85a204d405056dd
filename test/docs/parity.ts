/** The English/Russian comparison of two Markdown documents (used by parity.test.ts). */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeWithoutComments, type MarkdownDoc, readMarkdown } from './markdown.js';
import { REPO } from './runner.js';

export const read = (file: string): MarkdownDoc => readMarkdown(readFileSync(join(REPO, file), 'utf8'));

/** Every difference between two documents that should be translations of each other. */
export function parityProblems(enFile: string, ruFile: string): string[] {
  const en = read(enFile);
  const ru = read(ruFile);
  const problems: string[] = [];
  const levels = (d: MarkdownDoc) => d.headings.map((h) => `h${h.level}`).join(' ');
  if (levels(en) !== levels(ru)) {
    problems.push(
      `headings differ: ${enFile} has [${levels(en)}] (${en.headings.length}), ${ruFile} has [${levels(ru)}] (${ru.headings.length})`,
    );
  }
  if (en.fences.length !== ru.fences.length) {
    problems.push(`${enFile} has ${en.fences.length} code blocks, ${ruFile} has ${ru.fences.length}`);
  }
  const n = Math.min(en.fences.length, ru.fences.length);
  for (let i = 0; i < n; i++) {
    const a = en.fences[i];
    const b = ru.fences[i];
    if (!a || !b) continue;
    const where = `block ${i + 1} (${enFile}:${a.line}, ${ruFile}:${b.line})`;
    if (a.info !== b.info) problems.push(`${where}: info strings differ: "${a.info}" vs "${b.info}"`);
    else if (codeWithoutComments(a.lang, a.code) !== codeWithoutComments(b.lang, b.code)) {
      problems.push(`${where}: the code differs (comments aside)`);
    }
  }
  return problems;
}
