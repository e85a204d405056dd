/**
 * Hunt packs: the format of the Python client's `docs/data/filters.json`, an object `{"filters": [...]}` whose
 * entries are `{ "category"?: { "ru", "en" }, "name": { "ru", "en" }, "filter": "<filter>" }`; a bare array of
 * entries is accepted too, and plain strings for `name` and `category`. Errors name the entry and the field.
 */

import { UsageError } from './errors.js';

/** A text in both languages (either may be missing in hand-written packs). */
export interface LocalText {
  ru?: string;
  en?: string;
}

/** One hunting filter of a pack. */
export interface PackEntry {
  category?: LocalText;
  name: LocalText;
  filter: string;
}

function localText(value: unknown, where: string, required: boolean): LocalText | undefined {
  if (value === undefined || value === null) {
    if (required) throw new UsageError(`${where} is missing`);
    return undefined;
  }
  if (typeof value === 'string') return { en: value, ru: value };
  if (typeof value === 'object' && !Array.isArray(value)) {
    const { ru, en } = value as { ru?: unknown; en?: unknown };
    if ((ru !== undefined && typeof ru !== 'string') || (en !== undefined && typeof en !== 'string')) {
      throw new UsageError(`${where}: "ru" and "en" must be strings`);
    }
    if (!ru && !en) throw new UsageError(`${where} has neither "en" nor "ru"`);
    return { ...(ru ? { ru } : {}), ...(en ? { en } : {}) };
  }
  throw new UsageError(`${where} must be an object {"ru": ..., "en": ...} or a string`);
}

/** Parses and checks a pack's JSON text; `file` names it in errors. */
export function parsePack(text: string, file: string): PackEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'filters' in raw) {
    raw = (raw as { filters: unknown }).filters;
  }
  if (!Array.isArray(raw)) {
    throw new UsageError(`${file} must hold {"filters": [...]} (the Python client's filters.json) or a JSON array`);
  }
  if (raw.length === 0) throw new UsageError(`${file} holds no filters`);
  return raw.map((item: unknown, i): PackEntry => {
    const where = `${file}: entry ${i + 1}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new UsageError(`${where} must be an object with "name" and "filter"`);
    }
    const { category, name, filter } = item as Record<string, unknown>;
    if (typeof filter !== 'string' || filter.trim() === '')
      throw new UsageError(`${where}: "filter" must be a non-empty string`);
    const cat = localText(category, `${where}: "category"`, false);
    return { ...(cat ? { category: cat } : {}), name: localText(name, `${where}: "name"`, true) ?? {}, filter };
  });
}

/** The text in the wanted language, falling back to the other one. */
export function pick(text: LocalText | undefined, lang: 'en' | 'ru'): string {
  if (!text) return '';
  return (lang === 'ru' ? (text.ru ?? text.en) : (text.en ?? text.ru)) ?? '';
}
