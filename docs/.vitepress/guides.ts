/**
 * The guides of the site, in reading order, with their titles in both languages. The sidebar, the home pages'
 * lists and the docs tests read this one list; a guide file that is not listed here fails test/docs/site.test.ts.
 */

export interface GuideEntry {
  /** File name without `.md`, the same in `docs/guide/` and `docs/ru/guide/`. */
  slug: string;
  en: string;
  ru: string;
}

export const GUIDES: readonly GuideEntry[] = [
  { slug: 'getting-started', en: 'Getting started', ru: 'Быстрый старт' },
  { slug: 'authentication', en: 'Authentication and TLS', ru: 'Аутентификация и TLS' },
  { slug: 'bql', en: 'BQL queries', ru: 'Запросы BQL' },
  { slug: 'hunting', en: 'Threat hunting with packs', ru: 'Охота на угрозы: наборы фильтров' },
  { slug: 'ioc-feeds', en: 'IOC feeds into reputation lists', ru: 'IOC-фиды в репутационные списки' },
  { slug: 'signatures', en: 'Signatures and rules', ru: 'Сигнатуры и правила' },
  { slug: 'monitoring', en: 'Monitoring', ru: 'Мониторинг' },
  { slug: 'saving-flows', en: 'Saving flows and files', ru: 'Сохранение сессий и файлов' },
  { slug: 'exporter', en: 'Prometheus exporter', ru: 'Экспортёр Prometheus' },
  { slug: 'mcp', en: 'MCP server for AI assistants', ru: 'MCP-сервер для ИИ-ассистентов' },
  { slug: 'emulator', en: 'The emulator', ru: 'Эмулятор' },
  { slug: 'migrating-from-python', en: 'Migrating from Python', ru: 'Переход с Python' },
  { slug: 'troubleshooting', en: 'Troubleshooting', ru: 'Решение проблем' },
];
