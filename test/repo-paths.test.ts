/**
 * The repository must work on any machine: no tracked source reads a path outside it. Two checks over every tracked
 * source file: no absolute path of a developer's machine in a string literal, and every module-relative
 * `new URL('…', import.meta.url)` resolves inside the repository.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|sh)$|^\.ci\/run$/;

const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && SOURCE.test(f));

/** A quoted string that starts with a home, work or user directory of some machine, or reaches for `../shared`. */
const MACHINE_PATH = /(['"`])(\/(?:work|home|root|Users|mnt|srv)\/|[^'"`\n]*\.\.\/shared\b)/;
/** `new URL('relative', import.meta.url)` with a literal first argument. */
const MODULE_URL = /new URL\(\s*(['"`])(\.{1,2}\/[^'"`]*)\1\s*,\s*import\.meta\.url\s*\)/g;

function inside(file: string): boolean {
  const rel = relative(ROOT, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith('/');
}

describe('no tracked file reads outside the repository', () => {
  it('finds the tracked sources', () => {
    expect(tracked.length).toBeGreaterThan(50);
  });

  it('has no absolute paths of a machine in string literals', () => {
    const offenders: string[] = [];
    for (const file of tracked) {
      if (file === 'test/repo-paths.test.ts') continue;
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (MACHINE_PATH.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('resolves every module-relative URL inside the repository', () => {
    const offenders: string[] = [];
    for (const file of tracked) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(MODULE_URL)) {
        const target = resolve(dirname(join(ROOT, file)), m[2] as string);
        if (!inside(target)) offenders.push(`${file}: ${m[2]} -> ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('would catch a file that reads the old shared examples', () => {
    const machinePath = ['', 'work', 'shared', 'bql-examples.json'].join('/');
    expect(MACHINE_PATH.test(`readFileSync('${machinePath}')`)).toBe(true);
    expect(MACHINE_PATH.test("readFileSync(join(root, '../shared/x.json'))")).toBe(true);
    expect(MACHINE_PATH.test("readFileSync(new URL('../fixtures/x.json', import.meta.url))")).toBe(false);
  });
});
