/**
 * Field access: a scope per table turns a BQL path into a getter over that table's rows. Getters return the
 * raw value, or an array when the path holds several values (an array field such as `src.groups`, or a path
 * through a child array such as `alert.msg`); comparisons then match when any element matches.
 *
 * Rows: `flow` rows are FlowRecords; `alert` rows are {@link AlertRow}s (the alert and its parent flow, so
 * that `flow.*` and `EXISTS (SELECT * FROM flow ...)` reach the parent); child-table rows are the child objects.
 * `host.*` on a flow means either endpoint (src or dst).
 */
import { type FieldType, lookupField } from 'ptnad-client/bql';
import type { AlertRecord, FlowRecord } from '../store/types.js';

/** A record seen as a plain object. */
export type Rec = Record<string, unknown>;
/** Reads one path from a row: a value, an array of values, or undefined. */
export type Getter = (row: unknown) => unknown;

/** A `FROM alert` row: the alert and the flow it belongs to. */
export interface AlertRow {
  a: AlertRecord;
  f: FlowRecord;
}

/** Tables a flow holds as child arrays (`http(...)`, `files.filename`, `EXISTS (SELECT * FROM smb ...)`). */
export const FLOW_CHILDREN: ReadonlySet<string> = new Set([
  'alert',
  'files',
  'http',
  'dns',
  'tls',
  'smtp',
  'pop3',
  'imap',
  'mail',
  'ssh',
  'smb',
  'ftp',
  'ldap',
  'dcerpc',
  'ntlm',
  'credentials',
  'rpt',
]);

// Top-level names a flow path may start with: the record's keys plus the catalogue's fields we never fill.
const FLOW_HEADS: ReadonlySet<string> = new Set([
  ...FLOW_CHILDREN,
  'id',
  'start',
  'end',
  'duration',
  'proto',
  'app_proto',
  'app_protos',
  'app_service',
  'src',
  'dst',
  'host',
  'bytes',
  'pkts',
  'state',
  'flags',
  'errors',
  'tcp',
  'has_files',
  'false_positive',
  'criticality',
  'stag',
  '_index',
  'banner',
  'os',
  'pcaps',
  'tunnels',
  '_prn',
  '_chld',
  '_reason',
  '_state',
  '_ltime',
  'os_fp',
  'os_pt',
  'os_p0f',
  'tcplen_stat',
  '_ndx',
  '_type',
  '_sort',
]);

const ALERT_HEADS: ReadonlySet<string> = new Set([
  'id',
  'parent',
  'ts',
  'msg',
  'cls',
  'gid',
  'sid',
  'rev',
  'pr',
  'payload',
  'malware_family',
  'false_positive',
  'attacker',
  'victim',
  'to_server',
  'to_client',
  'match_type',
  'tx_id',
  'att_ck',
  'success',
  'signature',
  'flow',
]);

/** What a scope knows about its table. */
export interface Scope {
  /** `flow`, `alert`, or a child table name. */
  table: string;
  /** Getter of a path; undefined when the path cannot exist in this table (unknown field). */
  getter(path: string): Getter | undefined;
  /** The catalogue type of a path (`datetime`, `ip`, `int`, ...), when known. */
  typeOf(path: string): FieldType | undefined;
  /** Rows of a child table for one row of this table (EXISTS, subqueries); undefined for an unknown table. */
  childRows(table: string): ((row: unknown) => unknown[]) | undefined;
  /** The scope of a child table. */
  child(table: string): Scope;
  /** The record a row stands for (the alert for an AlertRow), for `SELECT *` and time rendering. */
  base(row: unknown): unknown;
}

/** A getter walking a dotted path; arrays along the way are flattened into one array of values. */
export function pathGetter(path: string): Getter {
  const segs = path.split('.');
  if (segs.length === 1) {
    const a = path;
    return (r) => (r as Rec)[a];
  }
  if (segs.length === 2) {
    const a = segs[0] ?? '';
    const b = segs[1] ?? '';
    return (r) => {
      const x = (r as Rec)[a];
      if (x === null || x === undefined) return undefined;
      if (Array.isArray(x)) return collect(x, segs, 1);
      return typeof x === 'object' ? (x as Rec)[b] : undefined;
    };
  }
  return (r) => walkFrom(r, segs, 0);
}

function walkFrom(v: unknown, segs: readonly string[], from: number): unknown {
  let cur = v;
  for (let i = from; i < segs.length; i++) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) return collect(cur, segs, i);
    if (typeof cur !== 'object') return undefined;
    cur = (cur as Rec)[segs[i] ?? ''];
  }
  return cur;
}

function collect(arr: readonly unknown[], segs: readonly string[], from: number): unknown[] {
  const out: unknown[] = [];
  for (const e of arr) {
    const v = walkFrom(e, segs, from);
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push(x);
    else out.push(v);
  }
  return out;
}

/** Concatenates the values of several getters (for `host.*`). */
function union(a: Getter, b: Getter): Getter {
  return (r) => {
    const x = a(r);
    const y = b(r);
    const out: unknown[] = [];
    for (const v of [x, y]) {
      if (v === null || v === undefined) continue;
      if (Array.isArray(v)) for (const e of v) out.push(e);
      else out.push(v);
    }
    return out;
  };
}

function flowGetter(path: string): Getter | undefined {
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  if (!FLOW_HEADS.has(head)) return undefined;
  if (path === 'duration') return (r) => ((r as FlowRecord).end - (r as FlowRecord).start) / 1000;
  if (head === 'host') {
    const rest = dot < 0 ? '' : path.slice(dot + 1);
    if (rest === '')
      return union(
        (r) => (r as FlowRecord).src,
        (r) => (r as FlowRecord).dst,
      );
    return union(
      flowGetter(`src.${rest}`) ?? pathGetter(`src.${rest}`),
      flowGetter(`dst.${rest}`) ?? pathGetter(`dst.${rest}`),
    );
  }
  // Filters say `credentials.login`; the recorded flow detail names the same value `user`.
  if (path === 'credentials.login') return pathGetter('credentials.user');
  // §10.2 shows `src.country` beside `src.geo.country`: the same value.
  if (path === 'src.country' || path === 'dst.country') return pathGetter(`${head}.geo.country`);
  return pathGetter(path);
}

const TIME_NAMES: ReadonlySet<string> = new Set(['start', 'end', 'ts', 'tx_time']);

function catalogueType(table: string, path: string): FieldType | undefined {
  const known = lookupField(table, path.startsWith('host.') ? `src.${path.slice(5)}` : path)?.type;
  if (known !== undefined) return known;
  // Tables the catalogue lacks (ftp, ldap, ...) still carry `tx_time`: keep the time literal forms working there.
  return TIME_NAMES.has(path.slice(path.lastIndexOf('.') + 1)) ? 'datetime' : undefined;
}

const childScopes = new Map<string, Scope>();

/** The scope of `FROM flow` (and of a parent flow inside `FROM alert`). */
export const FLOW_SCOPE: Scope = {
  table: 'flow',
  getter: flowGetter,
  typeOf: (path) => catalogueType('flow', path),
  childRows(table) {
    if (table === 'flow') return (r) => [r];
    if (table === 'alert')
      return (r) => (r as FlowRecord).alert.map((a) => ({ a, f: r as FlowRecord }) satisfies AlertRow);
    if (!FLOW_CHILDREN.has(table)) return undefined;
    return (r) => ((r as Rec)[table] as unknown[] | undefined) ?? [];
  },
  child(table) {
    if (table === 'flow') return FLOW_SCOPE;
    if (table === 'alert') return ALERT_SCOPE;
    return childScope(table);
  },
  base: (r) => r,
};

/** The scope of `FROM alert`: bare alert fields, `flow.*` for the parent flow. */
export const ALERT_SCOPE: Scope = {
  table: 'alert',
  getter(path) {
    if (path === 'flow') return (r) => (r as AlertRow).f;
    if (path.startsWith('flow.')) {
      const g = flowGetter(path.slice(5));
      return g === undefined ? undefined : (r) => g((r as AlertRow).f);
    }
    const dot = path.indexOf('.');
    if (!ALERT_HEADS.has(dot < 0 ? path : path.slice(0, dot))) return undefined;
    const g = pathGetter(path);
    return (r) => g((r as AlertRow).a);
  },
  typeOf: (path) => (path.startsWith('flow.') ? catalogueType('flow', path.slice(5)) : catalogueType('alert', path)),
  childRows(table) {
    if (table === 'flow') return (r) => [(r as AlertRow).f];
    if (table === 'alert') return (r) => [r];
    return undefined;
  },
  child(table) {
    return table === 'flow' ? FLOW_SCOPE : ALERT_SCOPE;
  },
  base: (r) => (r as AlertRow).a,
};

/** The scope of a child table (`http`, `files`, ...): paths walk the child object; no further children. */
export function childScope(table: string): Scope {
  let scope = childScopes.get(table);
  if (scope === undefined) {
    const own: Scope = {
      table,
      getter: (path) => pathGetter(path),
      typeOf: (path) => catalogueType(table, path),
      childRows: (t) => (t === table ? (r) => [r] : undefined),
      child: () => own,
      base: (r) => r,
    };
    scope = own;
    childScopes.set(table, scope);
  }
  return scope;
}

/** The scope of a top-level table, or undefined when the table cannot be queried at the top level. */
export function topScope(table: string): Scope | undefined {
  if (table === 'flow') return FLOW_SCOPE;
  if (table === 'alert') return ALERT_SCOPE;
  return undefined;
}

/** The rows of a top-level table over a set of flows. */
export function topRows(table: 'flow' | 'alert', flows: readonly FlowRecord[]): readonly unknown[] {
  if (table === 'flow') return flows;
  const rows: AlertRow[] = [];
  for (const f of flows) for (const a of f.alert) rows.push({ a, f });
  return rows;
}
