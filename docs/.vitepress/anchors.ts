/**
 * The build's anchor check: VitePress fails the build on a link to a page that does not exist, but not on a
 * link to a heading that does not exist (`/api/ptnad-client/classes/PTNADClient#nosuchmethod`). After the build,
 * this reads every HTML page, collects the ids each page defines, and throws on any internal link whose `#anchor`
 * is not among the ids of the page it points to. test/docs/links.test.ts checks the same on the Markdown sources.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(full));
    else if (entry.name.endsWith('.html')) out.push(full);
  }
  return out;
}

/** `/guide/x`, `/guide/x.html`, `/guide/` → the output file it is served from, relative to the out dir. */
function pageFile(urlPath: string): string {
  const p = decodeURIComponent(urlPath).replace(/^\//, '');
  if (p === '' || p.endsWith('/')) return `${p}index.html`;
  return p.endsWith('.html') ? p : `${p}.html`;
}

const ID = /\sid="([^"]+)"/g;
const HREF = /<a\s[^>]*?href="([^"]*#[^"]*)"/g;

/** Throws one error listing every internal link to a missing anchor. */
export function checkBuiltAnchors(outDir: string): void {
  const files = htmlFiles(outDir);
  const ids = new Map<string, Set<string>>();
  const pages = new Map<string, string>();
  for (const file of files) {
    const rel = relative(outDir, file).split(sep).join('/');
    const html = readFileSync(file, 'utf8');
    pages.set(rel, html);
    ids.set(rel, new Set(Array.from(html.matchAll(ID), (m) => decodeHtml(m[1] ?? ''))));
  }
  const broken: string[] = [];
  for (const [rel, html] of pages) {
    // Only the page's content: the layout's own links (skip-to-content, header anchors' "#") are not authored.
    const main = html.slice(Math.max(0, html.indexOf('<main')));
    for (const m of main.matchAll(HREF)) {
      const href = decodeHtml(m[1] ?? '');
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // https:, mailto: ...
      const hash = href.indexOf('#');
      const anchor = decodeURIComponent(href.slice(hash + 1));
      if (anchor === '') continue;
      const pathPart = href.slice(0, hash).split('?')[0] ?? '';
      const resolved = posix.resolve(`/${posix.dirname(rel)}/`, pathPart) + (pathPart.endsWith('/') ? '/' : '');
      const candidates = pathPart === '' ? [rel] : [pageFile(resolved), pageFile(`${resolved}/`)];
      const target = candidates.find((c) => ids.has(c)) ?? candidates[0] ?? rel;
      const targetIds = ids.get(target);
      if (targetIds === undefined) continue; // a missing page is VitePress's dead-link error already
      if (!targetIds.has(anchor)) broken.push(`${rel}: link "${href}" has no anchor "#${anchor}" in ${target}`);
    }
  }
  if (broken.length > 0) {
    throw new Error(`${broken.length} link(s) to missing anchors:\n  ${broken.join('\n  ')}`);
  }
}

function decodeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
