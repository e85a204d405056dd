/**
 * No broken links: every link in the site's pages (guides, home pages) and in the READMEs and
 * docs/CONTRIBUTING.md must reach a page or file that exists, and its `#anchor` a heading there, including
 * anchors into the generated API reference (generated here into node_modules/.cache, as `npm run docs:api` does).
 * The site build checks the same on its HTML (docs/.vitepress/anchors.ts); this test needs no build.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { anchorsOf, headingPlainText, readMarkdown } from './markdown.js';
import { REPO } from './runner.js';

const API_OUT = join(REPO, 'node_modules', '.cache', 'ptnad-docs-api');
const GITHUB = 'https://github.com/ptnad-ts/ptnad-ts/';
/** Pages of docs/ that are not part of the site (docs/.vitepress/config.ts `srcExclude`). */
const NOT_SITE = new Set(['docs/ARCHITECTURE.md', 'docs/ptnad-api.md', 'docs/CONTRIBUTING.md']);
/** Repository documents whose links are checked as repository paths (GitHub renders them). */
const REPO_DOCS = ['README.md', 'README.ru.md', 'docs/CONTRIBUTING.md'];

function markdownFiles(dir: string): string[] {
  if (!existsSync(join(REPO, dir))) return [];
  return readdirSync(join(REPO, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (name.startsWith('.') || rel === 'docs/api') return [];
    if (statSync(join(REPO, rel)).isDirectory()) return markdownFiles(rel);
    return name.endsWith('.md') ? [rel] : [];
  });
}

/** GitHub's heading anchors (README links are followed on the repository host, not on the site). */
function githubSlug(text: string): string {
  return headingPlainText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorCache = new Map<string, Set<string>>();
function anchors(file: string, style: 'site' | 'github'): Set<string> {
  const key = `${style}:${file}`;
  let set = anchorCache.get(key);
  if (!set) {
    const text = readFileSync(file, 'utf8');
    const doc = readMarkdown(text);
    set = style === 'site' ? anchorsOf(doc, text) : new Set(doc.headings.map((h) => githubSlug(h.text)));
    anchorCache.set(key, set);
  }
  return set;
}

/** The Markdown file a site URL path is built from, or undefined. */
function sitePage(urlPath: string): string | undefined {
  const p = decodeURIComponent(urlPath).replace(/\.(md|html)$/, '');
  const [root, rest] = p.startsWith('/api/') || p === '/api' ? [API_OUT, p.slice(4)] : [join(REPO, 'docs'), p];
  const candidates = rest.endsWith('/') ? [`${rest}index.md`] : [`${rest}.md`, `${rest}/index.md`];
  return candidates.map((c) => join(root, c)).find((f) => existsSync(f) && statSync(f).isFile());
}

/** Problems with one link of `page` (a site page when `site`, else a repository document). */
function checkLink(page: string, target: string, site: boolean): string | undefined {
  if (target.startsWith(GITHUB)) {
    const m = /^(?:blob|tree)\/main\/([^#?]*)(?:#(.*))?$/.exec(target.slice(GITHUB.length));
    if (!m) return undefined;
    const file = join(REPO, decodeURIComponent(m[1] ?? ''));
    if (!existsSync(file)) return `no such repository path ${m[1]}`;
    if (m[2] && file.endsWith('.md') && !anchors(file, 'github').has(m[2])) return `no heading #${m[2]} in ${m[1]}`;
    return undefined;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // other sites, mailto:
  const hash = target.indexOf('#');
  const pathPart = hash >= 0 ? target.slice(0, hash) : target;
  const anchor = hash >= 0 ? decodeURIComponent(target.slice(hash + 1)) : '';
  let file: string | undefined;
  if (site) {
    const pageUrl = `/${page.replace(/^docs\//, '')}`;
    const url =
      pathPart === '' ? pageUrl : posix.resolve(posix.dirname(pageUrl), pathPart) + (pathPart.endsWith('/') ? '/' : '');
    file = pathPart === '' ? join(REPO, page) : sitePage(url);
    if (!file) return `no page for ${url}`;
  } else {
    file = join(REPO, pathPart === '' ? page : posix.join(posix.dirname(page), pathPart));
    if (!existsSync(file)) return `no such file ${posix.join(posix.dirname(page), pathPart)}`;
  }
  if (anchor !== '' && file.endsWith('.md') && !anchors(file, site ? 'site' : 'github').has(anchor)) {
    return `no heading or id "#${anchor}" in ${file.slice(REPO.length)}`;
  }
  return undefined;
}

function problemsOf(page: string, site: boolean): string[] {
  const doc = readMarkdown(readFileSync(join(REPO, page), 'utf8'));
  return doc.links.flatMap((l) => {
    const p = checkLink(page, l.target, site);
    return p ? [`${page}:${l.line}: link "${l.target}": ${p}`] : [];
  });
}

describe('links and anchors', () => {
  beforeAll(() => {
    rmSync(API_OUT, { recursive: true, force: true });
    // Types are checked by `npm test`'s tsc step already; skipping it here halves the time.
    execFileSync(
      process.execPath,
      [join(REPO, 'node_modules/typedoc/bin/typedoc'), '--out', API_OUT, '--skipErrorChecking', '--logLevel', 'Error'],
      {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    execFileSync(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'tools/docs/cli-reference.ts'), join(API_OUT, 'ptnad-cli/commands.md')],
      {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }, 240_000);

  it('the API reference has the pages the guides link to', () => {
    expect(sitePage('/api/ptnad-client/classes/PTNADClient')).toBeDefined();
    expect(anchors(sitePage('/api/ptnad-client/classes/PTNADClient') ?? '', 'site').has('login')).toBe(true);
    expect(sitePage('/api/ptnad-client/bql/functions/locate')).toBeDefined();
    expect(sitePage('/api/ptnad-emulator/functions/startEmulator')).toBeDefined();
    expect(sitePage('/api/ptnad-cli/commands')).toBeDefined();
    expect(anchors(sitePage('/api/ptnad-cli/commands') ?? '', 'site').has('ptnad-replists-sync')).toBe(true);
  });

  it('the checker finds a missing page and a missing anchor', () => {
    expect(checkLink('docs/index.md', '/guide/no-such-guide', true)).toMatch(/no page/);
    expect(checkLink('docs/index.md', '/api/ptnad-client/classes/PTNADClient#no-such-method', true)).toMatch(
      /no heading/,
    );
    expect(checkLink('README.md', 'docs/no-such-file.md', false)).toMatch(/no such file/);
    expect(checkLink('README.md', `${GITHUB}blob/main/no/such/file.ts`, false)).toMatch(/no such repository path/);
  });

  const sitePages = markdownFiles('docs').filter((f) => !NOT_SITE.has(f));
  it.each(sitePages)('%s', (page) => {
    expect(problemsOf(page, true)).toEqual([]);
  });
  it.each(REPO_DOCS.filter((f) => existsSync(join(REPO, f))))('%s', (page) => {
    expect(problemsOf(page, false)).toEqual([]);
  });
});
