/**
 * The small Markdown reader the docs tests share: code fences with their info strings and line numbers, ATX
 * headings, and links, all outside code. Only what the guides use (CommonMark fences and ATX headings).
 */

/** One fenced code block. */
export interface Fence {
  /** 1-based line of the opening fence. */
  line: number;
  /** The first word of the info string (`ts`, `sh`, `text`, ...), lower-case. */
  lang: string;
  /** The whole info string, trimmed (`sh no-run:appliance`). */
  info: string;
  /** The words after the language. */
  attrs: string[];
  code: string;
}

export interface Heading {
  line: number;
  level: number;
  text: string;
  /** `{#custom-id}` given after the heading, when any. */
  customId: string | undefined;
}

export interface Link {
  line: number;
  target: string;
}

export interface MarkdownDoc {
  fences: Fence[];
  headings: Heading[];
  links: Link[];
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** Removes inline code spans, so links and braces inside them are not read as Markdown. */
function withoutInlineCode(line: string): string {
  return line.replace(/(`+)[\s\S]*?\1/g, (m) => ' '.repeat(m.length));
}

/** Reads the fences, headings and links of a Markdown text. */
export function readMarkdown(text: string): MarkdownDoc {
  const lines = text.split(/\r?\n/);
  const fences: Fence[] = [];
  const headings: Heading[] = [];
  const links: Link[] = [];
  let inFrontMatter = lines[0] === '---';
  for (let i = inFrontMatter ? 1 : 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (inFrontMatter) {
      if (line === '---') inFrontMatter = false;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // CommonMark: the info string of a backtick fence cannot hold a backtick (that line is inline code).
    if (open && !((open[1] ?? '').startsWith('`') && (open[2] ?? '').includes('`'))) {
      const marker = open[1] ?? '```';
      const info = (open[2] ?? '').trim();
      const body: string[] = [];
      let j = i + 1;
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      while (j < lines.length && !close.test(lines[j] ?? '')) body.push(lines[j++] ?? '');
      const words = info.split(/\s+/).filter((w) => w !== '');
      fences.push({
        line: i + 1,
        lang: (words[0] ?? '').toLowerCase(),
        info,
        attrs: words.slice(1),
        code: body.join('\n'),
      });
      i = j;
      continue;
    }
    const h = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const raw = h[2] ?? '';
      const custom = /\s*\{#([^}]+)\}\s*$/.exec(raw);
      headings.push({
        line: i + 1,
        level: (h[1] ?? '#').length,
        text: custom ? raw.slice(0, custom.index) : raw,
        customId: custom?.[1],
      });
    }
    const plain = withoutInlineCode(line);
    for (const m of plain.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ line: i + 1, target: m[1] ?? '' });
    }
    for (const m of plain.matchAll(/\bhref="([^"]+)"/g)) links.push({ line: i + 1, target: m[1] ?? '' });
  }
  return { fences, headings, links };
}

// VitePress's heading slug (vitepress/dist/node, `slugify`, from @mdit-vue/shared), repeated here so the link
// test does not need a site build: it turns a heading's text into its anchor.
// biome-ignore lint/suspicious/noControlCharactersInRegex: VitePress strips control characters from slugs too.
const rControl = /[\u0000-\u001f]/g;
const rSpecial = /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g;
const rCombining = /[\u0300-\u036F]/g;

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(rCombining, '')
    .replace(rControl, '')
    .replace(rSpecial, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

/** The visible text of a heading as VitePress slugs it: inline code, emphasis and link syntax removed. */
export function headingPlainText(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__|\*|_)(\S[\s\S]*?)\1/g, '$2')
    .replace(/<[^>]+>/g, '')
    .trim();
}

/** The anchors a page defines: its headings' slugs (duplicates get -1, -2 as VitePress does) and explicit ids. */
export function anchorsOf(doc: MarkdownDoc, text: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const h of doc.headings) {
    if (h.customId) {
      out.add(h.customId);
      continue;
    }
    const base = slugify(headingPlainText(h.text));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/\b(?:id|name)="([^"]+)"/g)) out.add(m[1] ?? '');
  return out;
}

/** Code without comments and blank lines, for comparing the English and Russian versions of a block. */
export function codeWithoutComments(lang: string, code: string): string {
  const hashComments = ['sh', 'bash', 'yaml', 'yml', 'ini', 'toml', 'python', 'py', 'conf', 'dockerfile', 'cron'];
  const slashComments = ['ts', 'js', 'json', 'jsonc', 'json5', 'go', 'java', 'c', 'cs'];
  const strip = hashComments.includes(lang)
    ? (l: string) => stripLineComment(l, '#')
    : slashComments.includes(lang)
      ? (l: string) => stripLineComment(l, '//')
      : (l: string) => l;
  return code
    .split('\n')
    .map((l) => strip(l).trimEnd())
    .filter((l) => l.trim() !== '')
    .join('\n');
}

/** Cuts a line at a comment marker that is outside quotes (and, for `#`, starts a word as in sh). */
function stripLineComment(line: string, marker: '#' | '//'): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      continue;
    }
    if (
      line.startsWith(marker, i) &&
      (marker === '//' ? line[i - 1] !== ':' : i === 0 || /\s/.test(line[i - 1] ?? ''))
    ) {
      return line.slice(0, i);
    }
  }
  return line;
}
