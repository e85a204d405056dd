/**
 * The field catalogue at run time: the maps the validator, the emulator and the editors look fields up in,
 * built from the `const` table in `catalogue.ts` (which the compile-time row types read too).
 */

import { CATALOGUE, FIELD_DOCS, type FieldType, type FieldTypeSpec, type TableSpec } from './catalogue.js';

export { APP_PROTOS, APP_SERVICES, type FieldType, FLOW_FLAGS, TRANSPORTS } from './catalogue.js';

/** One field of a table. */
export interface FieldInfo {
  /** Path relative to its table, e.g. `src.ip`, `rqs.method`. */
  name: string;
  type: FieldType;
  /** Multi-valued (`src.groups`, `flags`): comparisons match when any element matches. */
  array: boolean;
  /** Known values of an `enum` field (not exhaustive: other values only get a warning). */
  values?: readonly string[];
  /** A one-line description for editors, when the catalogue has one. */
  doc?: string;
}

/** One queryable table (`FROM x`, `x(...)` nested filters, `x.field` dotted child paths). */
export interface TableInfo {
  name: string;
  fields: ReadonlyMap<string, FieldInfo>;
  /** Child tables reachable as `child.field`, `child(...)` and `EXISTS (SELECT * FROM child ...)`. */
  children: readonly string[];
  /** Prefixes whose any sub-path is a string field (HTTP header names: `rqs.Referer`). */
  openPrefixes: readonly string[];
  /** The field `withTimeRange` filters on by default. */
  timeField: string;
  /** What the table holds. */
  doc: string;
}

/** The run-time form of one table of {@link CATALOGUE}. */
function build(name: string, spec: TableSpec): TableInfo {
  const fields = new Map<string, FieldInfo>();
  for (const [typeSpec, names] of Object.entries(spec.fields) as Array<[FieldTypeSpec, string]>) {
    const array = typeSpec.endsWith('[]');
    const type = (array ? typeSpec.slice(0, -2) : typeSpec) as FieldType;
    for (const n of names.split(/\s+/)) {
      if (n.length === 0) continue;
      const info: FieldInfo = { name: n, type, array };
      const values = spec.values?.[n];
      if (values !== undefined) info.values = values;
      const doc = FIELD_DOCS[`${name}:${n}`];
      if (doc !== undefined) info.doc = doc;
      fields.set(n, info);
    }
  }
  return {
    name,
    fields,
    children: spec.children ?? [],
    openPrefixes: spec.open ?? [],
    timeField: spec.time ?? 'tx_time',
    doc: spec.doc,
  };
}

let built: Map<string, TableInfo> | undefined;

/** The tables, built on first use: a process that never validates a query (most SDK scripts) skips it. */
function tables(): Map<string, TableInfo> {
  built ??= new Map(
    Object.entries(CATALOGUE as { readonly [table: string]: TableSpec }).map(([name, spec]) => [
      name,
      build(name, spec),
    ]),
  );
  return built;
}

/**
 * A read-only view of {@link tables} that builds them on first read. Building them at import cost every
 * start-up of the SDK about 2 ms (issue 13).
 */
class LazyTables implements ReadonlyMap<string, TableInfo> {
  get size(): number {
    return tables().size;
  }
  get(key: string): TableInfo | undefined {
    return tables().get(key);
  }
  has(key: string): boolean {
    return tables().has(key);
  }
  forEach(fn: (value: TableInfo, key: string, map: ReadonlyMap<string, TableInfo>) => void, thisArg?: unknown): void {
    for (const [key, value] of tables()) fn.call(thisArg, value, key, this);
  }
  entries(): MapIterator<[string, TableInfo]> {
    return tables().entries();
  }
  keys(): MapIterator<string> {
    return tables().keys();
  }
  values(): MapIterator<TableInfo> {
    return tables().values();
  }
  [Symbol.iterator](): MapIterator<[string, TableInfo]> {
    return tables()[Symbol.iterator]();
  }
}

/** Every table of the catalogue, by name. */
export const TABLES: ReadonlyMap<string, TableInfo> = new LazyTables();

/** The catalogue entry of a table, or undefined for a table this catalogue does not know. */
export function getTable(name: string): TableInfo | undefined {
  return tables().get(name);
}

/** A field as resolved against a table: the field, and the table it belongs to (a child for `alert.msg`). */
export interface ResolvedField extends FieldInfo {
  table: string;
  /** True when only an open prefix vouches for it (`rqs.<any header>`): typos there are likely. */
  open?: boolean;
}

/**
 * Resolves a field path against a table: the table's own fields, their prefixes (`src.geo` is an object),
 * child tables (`http` is an object, `alert.msg` is alert's `msg`) and open prefixes (`rqs.Referer`).
 * Returns undefined when the catalogue does not know the path.
 * @example lookupField('flow', 'alert.pr') // { name: 'pr', type: 'int', array: false, table: 'alert' }
 */
export function lookupField(table: string, path: string): ResolvedField | undefined {
  const t = tables().get(table);
  if (t === undefined) return undefined;
  const own = t.fields.get(path);
  if (own !== undefined) return { ...own, table };
  if (prefixesOf(t).has(path)) return { name: path, type: 'object', array: false, table };
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  if (t.children.includes(head)) {
    if (dot < 0) return { name: path, type: 'object', array: true, table: head };
    return lookupField(head, path.slice(dot + 1));
  }
  if (t.openPrefixes.includes(head) && dot > 0) return { name: path, type: 'string', array: false, table, open: true };
  return undefined;
}

const prefixCache = new WeakMap<TableInfo, Set<string>>();

function prefixesOf(t: TableInfo): Set<string> {
  let set = prefixCache.get(t);
  if (set === undefined) {
    set = new Set();
    for (const name of t.fields.keys()) {
      for (let i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1)) set.add(name.slice(0, i));
    }
    prefixCache.set(t, set);
  }
  return set;
}

/** Every path `lookupField(table, ·)` knows without open prefixes: own fields, then `child.field` paths. */
export function fieldPaths(table: string): string[] {
  const t = tables().get(table);
  if (t === undefined) return [];
  const out = [...t.fields.keys(), ...t.children];
  for (const child of t.children) {
    const c = tables().get(child);
    if (c !== undefined) for (const f of c.fields.keys()) out.push(`${child}.${f}`);
  }
  return out;
}

/** The time field a table is usually filtered on: `end` for flow, `ts` for alert, `tx_time` for transactions. */
export function defaultTimeField(table: string): string | undefined {
  return tables().get(table)?.timeField;
}
