/**
 * README.ru.md mirrors README.md: the same headings (count and level) and code blocks, both open with exactly the
 * two set-up commands, and each links to the other.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeWithoutComments } from './markdown.js';
import { parityProblems, read } from './parity.js';
import { REPO } from './runner.js';

describe('README.ru.md mirrors README.md', () => {
  it('same headings and code blocks', () => {
    expect(existsSync(join(REPO, 'README.ru.md'))).toBe(true);
    expect(parityProblems('README.md', 'README.ru.md')).toEqual([]);
  });

  it('both open with exactly the two set-up commands', () => {
    for (const file of ['README.md', 'README.ru.md']) {
      const first = read(file).fences[0];
      const commands = codeWithoutComments('sh', first?.code ?? '').split('\n');
      expect(first?.lang, file).toBe('sh');
      expect(commands, file).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    }
  });

  it('each links to the other', () => {
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain('](README.ru.md)');
    expect(readFileSync(join(REPO, 'README.ru.md'), 'utf8')).toContain('](README.md)');
  });
});
