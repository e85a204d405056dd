/**
 * English and Russian must not drift: each guide exists in both languages with the same headings (count and
 * level, in order) and the same code blocks (info string, and code without comments), and README.ru.md mirrors
 * README.md the same way.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parityProblems } from './parity.js';
import { guideFiles, REPO } from './runner.js';

describe('English and Russian guides', () => {
  const en = guideFiles('en').map((f) => f.replace('docs/guide/', ''));
  const ru = guideFiles('ru').map((f) => f.replace('docs/ru/guide/', ''));

  it('every guide exists in both languages', () => {
    expect(en.filter((f) => !ru.includes(f)).map((f) => `docs/ru/guide/${f} is missing`)).toEqual([]);
    expect(ru.filter((f) => !en.includes(f)).map((f) => `docs/guide/${f} is missing`)).toEqual([]);
  });

  for (const f of en.filter((x) => ru.includes(x))) {
    it(`${f}: same headings and code blocks`, () => {
      expect(parityProblems(`docs/guide/${f}`, `docs/ru/guide/${f}`)).toEqual([]);
    });
  }
});

describe('the parity check itself', () => {
  it('tells a changed code line from a changed comment', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync(join(REPO, 'node_modules', '.cache-parity-'));
    try {
      const en = '# A\n\n```sh\nptnad status # check\n```\n';
      writeFileSync(join(dir, 'en.md'), en);
      writeFileSync(join(dir, 'ru.md'), '# А\n\n```sh\nptnad status # проверка\n```\n');
      writeFileSync(join(dir, 'ru2.md'), '# А\n\n```sh\nptnad status -o json\n```\n');
      writeFileSync(join(dir, 'ru3.md'), '## А\n\n```sh\nptnad status\n```\n');
      const rel = (f: string) => join(dir, f).slice(REPO.length);
      expect(parityProblems(rel('en.md'), rel('ru.md'))).toEqual([]);
      expect(parityProblems(rel('en.md'), rel('ru2.md'))).toHaveLength(1);
      expect(parityProblems(rel('en.md'), rel('ru3.md'))[0]).toMatch(/headings differ/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
