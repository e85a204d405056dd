/**
 * Values as they go on the wire: times as naive ISO with microseconds ("2023-06-08T11:02:08.718426"), missing
 * values as null, multi-valued cells as arrays (an empty one as null, as the SB fixtures show), objects deep-copied
 * with their times rendered and the internal `*_us` fields dropped.
 */
import type { Getter, Rec, Scope } from './fields.js';
import { type CellWriter, dayCache } from './wire.js';
import { naiveIsoRenderer } from './wire-time.js';

/** Keys holding epoch-ms times inside records (`start`, `end`, alert `ts`, transaction `tx_time`). */
export const TIME_KEYS: ReadonlySet<string> = new Set(['start', 'end', 'ts', 'tx_time']);

const renderTime = naiveIsoRenderer();

/** A deep copy of a record for the wire; arrays longer than `cap` are cut to `cap` elements. */
export function renderWire(value: unknown, cap = Number.POSITIVE_INFINITY): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const n = Math.min(value.length, cap);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = renderWire(value[i], cap);
    return out;
  }
  if (typeof value !== 'object') return value;
  const rec = value as Rec;
  const out: Rec = {};
  for (const key of Object.keys(rec)) {
    if (key.endsWith('_us')) continue;
    const v = rec[key];
    if (v === undefined) continue;
    if (TIME_KEYS.has(key) && typeof v === 'number') {
      const us = rec[`${key}_us`];
      out[key] = renderTime(v, typeof us === 'number' ? us : 0);
    } else {
      out[key] = renderWire(v, cap);
    }
  }
  return out;
}

/** Normalises a getter's raw value into a cell: null for missing/empty, arrays and objects rendered. */
export function toCell(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.length === 0 ? null : v.map((x) => (typeof x === 'object' ? renderWire(x) : x));
  if (typeof v === 'object') return renderWire(v);
  return v;
}

interface TimeField {
  ownerOf: Getter;
  key: string;
  usKey: string;
}

/** How to reach a time field's owner record(s), so its `*_us` sibling can be read; undefined for other fields. */
function timeField(scope: Scope, path: string): TimeField | undefined {
  const dot = path.lastIndexOf('.');
  const key = dot < 0 ? path : path.slice(dot + 1);
  if (!TIME_KEYS.has(key) && scope.typeOf(path) !== 'datetime') return undefined;
  const ownerOf: Getter | undefined = dot < 0 ? (row) => scope.base(row) : scope.getter(path.slice(0, dot));
  return ownerOf === undefined ? undefined : { ownerOf, key, usKey: `${key}_us` };
}

function mapOwners(tf: TimeField, row: unknown, f: (t: number, us: number) => unknown): unknown {
  const one = (owner: unknown): unknown => {
    if (owner === null || typeof owner !== 'object') return null;
    const t = (owner as Rec)[tf.key];
    if (typeof t !== 'number') return t ?? null;
    const us = (owner as Rec)[tf.usKey];
    return f(t, typeof us === 'number' ? us : 0);
  };
  const owner = tf.ownerOf(row);
  if (!Array.isArray(owner)) return one(owner);
  const out = owner.map(one).filter((x) => x !== null);
  return out.length === 0 ? null : out;
}

/** A getter of the wire cell of `path`: time fields render as naive ISO with their microseconds. */
export function cellGetter(scope: Scope, path: string, raw: Getter): Getter {
  const tf = timeField(scope, path);
  if (tf === undefined) return (row) => toCell(raw(row));
  const render = naiveIsoRenderer();
  return (row) => mapOwners(tf, row, render);
}

/**
 * A writer of the wire cell of `path` (the JSON text of what {@link cellGetter} returns): a time field of a
 * single owner record, the common case, is written from its numbers without a string in between.
 */
export function cellWriter(scope: Scope, path: string, raw: Getter): CellWriter {
  const tf = timeField(scope, path);
  if (tf === undefined) return (w, row) => w.value(toCell(raw(row)));
  const cache = dayCache();
  const cell = cellGetter(scope, path, raw);
  const { ownerOf, key, usKey } = tf;
  return (w, row) => {
    const owner = ownerOf(row);
    if (owner === null || typeof owner !== 'object' || Array.isArray(owner)) {
      w.value(cell(row));
      return;
    }
    const t = (owner as Rec)[key];
    if (typeof t !== 'number') {
      w.value(t ?? null);
      return;
    }
    const us = (owner as Rec)[usKey];
    w.time(t, typeof us === 'number' ? us : 0, cache);
  };
}

/** A getter of the ORDER BY key of `path`: time fields give ms with the microseconds as a fraction. */
export function sortValueGetter(scope: Scope, path: string, raw: Getter): Getter {
  const tf = timeField(scope, path);
  if (tf === undefined) return raw;
  return (row) => mapOwners(tf, row, (t, us) => t + us / 1000);
}
