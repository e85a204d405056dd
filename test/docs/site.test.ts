/**
 * The site's structure: every guide file is listed in docs/.vitepress/guides.ts (so it is in the sidebar), and
 * the guide runner's own rules hold (output matching, fence attributes), tested on small inputs.
 */

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBuiltAnchors } from '../../docs/.vitepress/anchors.js';
import { GUIDES } from '../../docs/.vitepress/guides.js';
import { matchOutput, REPO } from './runner.js';

describe('the site', () => {
  it('lists every guide in the sidebar', () => {
    const listed = new Set(GUIDES.map((g) => `${g.slug}.md`));
    for (const dir of ['docs/guide', 'docs/ru/guide']) {
      const unlisted = readdirSync(join(REPO, dir)).filter((f) => f.endsWith('.md') && !listed.has(f));
      expect(unlisted, `${dir}: add these to docs/.vitepress/guides.ts`).toEqual([]);
    }
  });
});

describe('output matching', () => {
  it('ignores trailing spaces and trailing blank lines', () => {
    expect(matchOutput('a  \nb\n\n', 'a\nb')).toBeUndefined();
  });
  it('lets a "..." line stand for any number of lines, including none', () => {
    expect(matchOutput('head\n1\n2\n3\ntail\n', 'head\n...\ntail')).toBeUndefined();
    expect(matchOutput('head\ntail\n', 'head\n...\ntail')).toBeUndefined();
    expect(matchOutput('x\n', '...')).toBeUndefined();
  });
  it('reports the first differing line', () => {
    expect(matchOutput('a\nb\n', 'a\nc')).toMatch(/line 2:\n {2}expected: "c"\n {2}actual: {3}"b"/);
    expect(matchOutput('a\n', 'a\nb')).toMatch(/expected: "b"/);
    expect(matchOutput('head\nmid\n', 'head\n...\ntail')).toMatch(/differs/);
  });
});

describe("the build's anchor check (docs/.vitepress/anchors.ts)", () => {
  it('passes links to existing anchors and names each missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptnad-anchors-'));
    try {
      mkdirSync(join(dir, 'guide'));
      writeFileSync(join(dir, 'guide', 'a.html'), '<main><h2 id="first">x</h2><a href="/guide/b#there">b</a></main>');
      writeFileSync(join(dir, 'guide', 'b.html'), '<main><h2 id="there">y</h2><a href="./a#first">a</a></main>');
      expect(() => checkBuiltAnchors(dir)).not.toThrow();
      writeFileSync(join(dir, 'guide', 'b.html'), '<main><a href="./a#second">a</a></main>');
      expect(() => checkBuiltAnchors(dir)).toThrow(/guide\/b\.html: link "\.\/a#second" has no anchor "#second"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
