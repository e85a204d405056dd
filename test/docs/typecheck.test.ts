/**
 * The ```ts blocks of the guides type-check: the runner executes them with tsx, which strips types without
 * checking them, so a wrong option name or a missing argument would run and still mislead a reader. Every
 * runnable block (and every `no-run:` block except `no-run:fragment`) is written to a file and checked with the
 * repository's compiler settings in one `tsc` run; errors point at the guide's file and line.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMarkdown } from './markdown.js';
import { guideFiles, REPO } from './runner.js';

const OUT = join(REPO, 'node_modules', '.cache', 'ptnad-docs-tsc');

interface Written {
  file: string;
  guide: string;
  /** 1-based line of the first code line in the guide. */
  firstLine: number;
}

function writeBlocks(): Written[] {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'package.json'), '{ "type": "module" }\n');
  const written: Written[] = [];
  for (const guide of [...guideFiles('en'), ...guideFiles('ru')]) {
    const doc = readMarkdown(readFileSync(join(REPO, guide), 'utf8'));
    for (const fence of doc.fences) {
      if (fence.lang !== 'ts' || fence.attrs.includes('no-run:fragment')) continue;
      const file = `${guide.replace(/[/\\.]/g, '_')}_${fence.line}.ts`;
      // `export {}` makes each block a module of its own, as it is when run.
      writeFileSync(join(OUT, file), `${fence.code}\nexport {};\n`);
      written.push({ file, guide, firstLine: fence.line + 1 });
    }
  }
  writeFileSync(
    join(OUT, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.base.json',
      compilerOptions: { noEmit: true, composite: false, declaration: false, rootDir: '.', module: 'NodeNext' },
      include: ['*.ts'],
    }),
  );
  return written;
}

describe('guide code type-checks', () => {
  it('every ```ts block compiles', { timeout: 180_000 }, () => {
    const written = writeBlocks();
    if (written.length === 0) return;
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(OUT, 'tsconfig.json')],
        {
          cwd: REPO,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (err) {
      output = String((err as { stdout?: unknown }).stdout ?? err);
    }
    // Map "<file>(line,col): error ..." back to the guide's own line numbers.
    const byFile = new Map(written.map((w) => [w.file, w]));
    const errors = output
      .split('\n')
      .filter((l) => l.includes('error TS'))
      .map((l) => {
        const m = /([^/\\]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(l);
        const w = m ? byFile.get(m[1] ?? '') : undefined;
        return w && m ? `${w.guide}:${w.firstLine + Number(m[2]) - 1}:${m[3]}: ${m[4]}` : l;
      });
    expect(errors).toEqual([]);
  });
});
