/**
 * The documentation site (VitePress): English at `/`, Russian at `/ru/`, local full-text search in both, the
 * guides in the sidebar, and the API reference that `npm run docs:api` generates into `docs/api/`.
 * Build everything with `npm run docs` (offline: nothing here fetches from the network).
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig } from 'vitepress';
import { checkBuiltAnchors } from './anchors.js';
import { GUIDES } from './guides.js';

const docsDir = fileURLToPath(new URL('..', import.meta.url));

/** Only guides that exist are listed, so a branch without some of them still builds. */
function guideItems(lang: 'en' | 'ru'): DefaultTheme.SidebarItem[] {
  const prefix = lang === 'en' ? '/guide/' : '/ru/guide/';
  const dir = lang === 'en' ? 'guide' : 'ru/guide';
  return GUIDES.filter((g) => existsSync(`${docsDir}/${dir}/${g.slug}.md`)).map((g) => ({
    text: g[lang],
    link: `${prefix}${g.slug}`,
  }));
}

/** The sidebar typedoc-vitepress-theme writes next to the API reference (absent until `npm run docs:api`). */
function apiItems(): DefaultTheme.SidebarItem[] {
  const file = `${docsDir}/api/typedoc-sidebar.json`;
  if (!existsSync(file)) return [];
  const items = JSON.parse(readFileSync(file, 'utf8')) as DefaultTheme.SidebarItem[];
  return [{ text: 'Command line (ptnad)', link: '/api/ptnad-cli/commands' }, ...items];
}

const ruSearch = {
  button: { buttonText: 'Поиск', buttonAriaLabel: 'Поиск' },
  modal: {
    displayDetails: 'Подробнее',
    resetButtonTitle: 'Сбросить',
    backButtonTitle: 'Закрыть поиск',
    noResultsText: 'Ничего не найдено',
    footer: { selectText: 'выбрать', navigateText: 'перейти', closeText: 'закрыть' },
  },
};

export default defineConfig({
  title: 'ptnad-ts',
  description: 'TypeScript toolkit for the PT NAD REST API: SDK, BQL toolkit, emulator and CLI.',
  cleanUrls: true,
  lastUpdated: false,
  // Repository documents that are not site pages: the code cites ARCHITECTURE.md and ptnad-api.md by path, and
  // CONTRIBUTING.md is for people editing the docs (all three stay readable on the repository host).
  srcExclude: ['ARCHITECTURE.md', 'ptnad-api.md', 'CONTRIBUTING.md'],
  // Dead page links fail the build (VitePress's own check); anchors are checked in buildEnd below.
  ignoreDeadLinks: false,
  buildEnd: (site) => checkBuiltAnchors(site.outDir),
  markdown: {
    // Pages are plain Markdown, never Vue templates: `{{` in prose (the API reference quotes Python's
    // `str.format` braces) is written as entities so Vue does not read it as an interpolation.
    config: (md) => {
      for (const rule of ['text', 'code_inline'] as const) {
        const render = md.renderer.rules[rule];
        md.renderer.rules[rule] = (tokens, idx, options, env, self) => {
          const html = render
            ? render(tokens, idx, options, env, self)
            : md.utils.escapeHtml(tokens[idx]?.content ?? '');
          return html.replace(/\{\{/g, '&#123;&#123;').replace(/\}\}/g, '&#125;&#125;');
        };
      }
    },
  },
  locales: {
    root: {
      label: 'English',
      lang: 'en',
      themeConfig: {
        nav: [
          { text: 'Guides', link: '/guide/getting-started' },
          { text: 'API', link: '/api/' },
        ],
        sidebar: {
          '/guide/': [{ text: 'Guides', items: guideItems('en') }],
          '/api/': [{ text: 'API reference', items: apiItems() }],
        },
      },
    },
    ru: {
      label: 'Русский',
      lang: 'ru',
      link: '/ru/',
      description: 'TypeScript-инструменты для REST API PT NAD: SDK, BQL, эмулятор и CLI.',
      themeConfig: {
        nav: [
          { text: 'Руководства', link: '/ru/guide/getting-started' },
          { text: 'API (англ.)', link: '/api/' },
        ],
        sidebar: {
          '/ru/guide/': [{ text: 'Руководства', items: guideItems('ru') }],
        },
        outline: { label: 'На этой странице' },
        docFooter: { prev: 'Назад', next: 'Далее' },
        langMenuLabel: 'Язык',
        returnToTopLabel: 'Наверх',
        sidebarMenuLabel: 'Меню',
        darkModeSwitchLabel: 'Тема',
      },
    },
  },
  themeConfig: {
    search: {
      provider: 'local',
      options: { locales: { ru: { translations: ruSearch } } },
    },
  },
});
