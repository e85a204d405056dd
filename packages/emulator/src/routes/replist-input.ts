import { type FieldErrors, validationError } from '../http/errors.js';
import { indicatorProblem, type ReplistType } from '../lib/indicators.js';
import type { ReplistChanges } from '../state/replists.js';

const TYPES: readonly ReplistType[] = ['ip', 'dn', 'uri', 'md5'];
const COLORS = ['0', '1', '2', '3', '4', '5', '6', '7'];

/** The body as a plain object, or a 400 naming what was sent instead. */
export function asObject(body: unknown, what = 'a JSON object'): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  const got = body === undefined ? 'an empty body' : Array.isArray(body) ? 'an array' : typeof body;
  throw validationError({ non_field_errors: [`Expected ${what}, got ${got}.`] });
}

interface Taken {
  names: Set<string>;
  keys: Set<string>;
}

/**
 * Validates a create (`partial` false) or PATCH body of a reputation list. `currentType` is the list's type on
 * PATCH, used to check `content` lines when `type` is not changed in the same request. `dynamicContent` is the
 * current content of a dynamic list on PATCH: its items are managed through the items API, so `content` may only
 * repeat it (a read-modify-write client sends it back unchanged). On create, `content` seeds the items.
 */
export function parseReplistBody(
  body: unknown,
  opts: { partial: boolean; taken: Taken; currentType?: ReplistType; dynamicContent?: string },
): ReplistChanges {
  const input = asObject(body);
  const errors: FieldErrors = {};
  const out: ReplistChanges = {};
  const need = (field: string) => !opts.partial && (input[field] === undefined || input[field] === null);

  if (need('name')) errors.name = ['This field is required.'];
  else if (input.name !== undefined) {
    if (typeof input.name !== 'string' || input.name.trim() === '') errors.name = ['This field may not be blank.'];
    else if (input.name.length > 255) errors.name = ['Ensure this field has no more than 255 characters.'];
    else if (opts.taken.names.has(input.name)) errors.name = ['replist with this name already exists.'];
    else out.name = input.name;
  }
  if (need('type')) errors.type = ['This field is required.'];
  else if (input.type !== undefined) {
    if (!TYPES.includes(input.type as ReplistType)) errors.type = [`"${String(input.type)}" is not a valid choice.`];
    else out.type = input.type as ReplistType;
  }
  if (input.color !== undefined) {
    const color = typeof input.color === 'number' ? String(input.color) : input.color;
    if (typeof color !== 'string' || !COLORS.includes(color))
      errors.color = [`"${String(input.color)}" is not a valid choice.`];
    else out.color = color;
  }
  if (input.description !== undefined && input.description !== null) {
    if (typeof input.description !== 'string') errors.description = ['Not a valid string.'];
    else out.description = input.description;
  }
  if (input.external_key !== undefined && input.external_key !== null && input.external_key !== '') {
    if (typeof input.external_key !== 'string') errors.external_key = ['Not a valid string.'];
    else if (opts.taken.keys.has(input.external_key))
      errors.external_key = ['replist with this external key already exists.'];
    else out.external_key = input.external_key;
  }
  if (input.content !== undefined && input.content !== null) {
    const type = out.type ?? opts.currentType;
    if (typeof input.content !== 'string') errors.content = ['Not a valid string.'];
    else if (opts.dynamicContent !== undefined) {
      if (input.content !== opts.dynamicContent) {
        errors.content = ['The content of a dynamic list is managed through its items API.'];
      }
    } else if (type) {
      const { values, problems } = parseContent(input.content, type);
      if (problems.length > 0) errors.content = problems;
      else out.values = values;
    }
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return out;
}

/** Splits newline-separated content, dropping blanks and duplicates; reports bad lines with their numbers. */
export function parseContent(content: string, type: ReplistType): { values: string[]; problems: string[] } {
  const values = new Set<string>();
  const problems: string[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    const value = line.trim();
    if (value === '') return;
    const problem = indicatorProblem(type, value);
    if (problem) problems.push(`line ${i + 1}: ${problem} (list type "${type}").`);
    else values.add(value);
  });
  return { values: [...values], problems: problems.slice(0, 20) };
}

/** Item attributes: a JSON object of scalars (stored as strings); an empty body means `{}`. */
export function parseAttrs(body: unknown): Record<string, string> {
  if (body === undefined || body === null) return {};
  const input = asObject(body, 'a JSON object of item attributes');
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v !== null && typeof v === 'object') throw validationError({ [k]: ['Attribute values must be scalars.'] });
    attrs[k] = v === null ? '' : String(v);
  }
  return attrs;
}

/** Validates an item value against the list type (400 `{"value": [...]}`). */
export function checkValue(type: ReplistType, value: string): void {
  const problem = indicatorProblem(type, value);
  if (problem) throw validationError({ value: [`${problem} (list type "${type}").`] });
}

/** `_bulk` body: an array of `{value, attrs?}` (plain strings accepted too); errors per index as DRF lists them. */
export function parseBulkItems(
  body: unknown,
  type: ReplistType,
): Array<{ value: string; attrs: Record<string, string> }> {
  if (!Array.isArray(body))
    throw validationError({ non_field_errors: ['Expected a JSON array of {"value", "attrs"} items.'] });
  let failed = false;
  const errors: FieldErrors[] = [];
  const items = body.map((entry: unknown, i) => {
    const e: FieldErrors = {};
    let value = '';
    let attrs: Record<string, string> = {};
    if (typeof entry === 'string') value = entry;
    else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      const rec = entry as Record<string, unknown>;
      if (typeof rec.value !== 'string') e.value = ['This field is required and must be a string.'];
      else value = rec.value;
      try {
        attrs = parseAttrs(rec.attrs);
      } catch {
        e.attrs = [`Item ${i}: attrs must be an object of scalars.`];
      }
    } else e.non_field_errors = ['Expected a string or an object {"value", "attrs"}.'];
    if (!e.value && value !== '') {
      const problem = indicatorProblem(type, value);
      if (problem) e.value = [`${problem} (list type "${type}").`];
    } else if (!e.value && !e.non_field_errors) e.value = ['This field may not be blank.'];
    if (Object.keys(e).length > 0) failed = true;
    errors.push(e);
    return { value, attrs };
  });
  if (failed) throw validationError(errors as unknown as FieldErrors);
  return items;
}

/** `_delete` body: both shapes seen in the wild, `["v", ...]` and `[{"value": "v"}, ...]`. */
export function parseBulkDelete(body: unknown): string[] {
  if (!Array.isArray(body))
    throw validationError({ non_field_errors: ['Expected a JSON array of values or {"value"} objects.'] });
  return body.map((entry: unknown, i) => {
    if (typeof entry === 'string') return entry;
    if (typeof entry === 'object' && entry !== null && typeof (entry as { value?: unknown }).value === 'string') {
      return (entry as { value: string }).value;
    }
    throw validationError({ [String(i)]: ['Expected a string or an object with a string "value".'] });
  });
}
