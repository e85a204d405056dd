import { HttpError } from '../http/errors.js';
import { ipMatches } from '../lib/indicators.js';
import { variableEntries } from '../state/commit.js';
import type { RuleWire } from '../state/rules.js';
import type { VariableStore } from '../state/variables.js';

/** The filter keys of `GET signatures/rules` (query parameters or the JSON body's `filter` object). */
export const RULE_FILTER_KEYS = [
  'sid',
  'sid__gte',
  'sid__lt',
  'vendor',
  'enabled',
  'has_redef',
  'has_exceptions',
  'priority',
  'cls',
  'diff',
  'has_error',
  'client',
  'server',
] as const;

type FilterValue = string | number | boolean | Array<string | number | boolean>;

function filterError(key: string, message: string): HttpError {
  return new HttpError(400, { filter: [`${key}: ${message}`] });
}

function asList(v: FilterValue): string[] {
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v];
  return items.map((x) => String(x).trim()).filter((x) => x !== '');
}

function asInt(key: string, v: FilterValue): number {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s === 'number' && Number.isInteger(s)) return s;
  if (typeof s === 'string' && /^-?\d+$/.test(s)) return Number(s);
  throw filterError(key, `expected an integer, got ${JSON.stringify(s)}.`);
}

function asBool(key: string, v: FilterValue): boolean {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s === 'boolean') return s;
  const t = String(s).toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw filterError(key, `expected true or false, got ${JSON.stringify(s)}.`);
}

/** Collects filters from the query string and from a `{"filter": {...}}` body (body keys win). */
export function collectRuleFilters(query: URLSearchParams, body: unknown): Map<string, FilterValue> {
  const filters = new Map<string, FilterValue>();
  for (const key of RULE_FILTER_KEYS) {
    const values = query.getAll(key);
    if (values.length === 1 && values[0] !== undefined) filters.set(key, values[0]);
    else if (values.length > 1) filters.set(key, values);
  }
  if (body === undefined) return filters;
  const filter =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>).filter
      : undefined;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new HttpError(400, { filter: ['Expected a body of the form {"filter": {<key>: <value>, ...}}.'] });
  }
  for (const [key, value] of Object.entries(filter)) {
    if (!(RULE_FILTER_KEYS as readonly string[]).includes(key)) {
      throw filterError(key, `unknown filter key; allowed: ${RULE_FILTER_KEYS.join(', ')}.`);
    }
    const ok =
      ['string', 'number', 'boolean'].includes(typeof value) ||
      (Array.isArray(value) && value.every((x) => ['string', 'number', 'boolean'].includes(typeof x)));
    if (!ok) throw filterError(key, 'expected a scalar or a list of scalars.');
    filters.set(key, value as FilterValue);
  }
  return filters;
}

/** True when a rule address (`any`, `$HOME_NET`, `[1.2.3.0/24, !$X]`) covers `ip`; variables are expanded. */
function addressCovers(address: string, ip: string, variables: VariableStore, depth = 0): boolean {
  if (depth > 8) return false;
  return variableEntries(address).some((entry) => {
    if (entry === 'any') return true;
    if (entry.startsWith('$')) {
      const v = variables.byName(entry.slice(1));
      return v !== undefined && v.type === 'ip' && addressCovers(v.value, ip, variables, depth + 1);
    }
    return ipMatches(ip, entry);
  });
}

/** Builds one predicate from the collected filters; invalid values are a 400 naming the key. */
export function rulePredicate(filters: Map<string, FilterValue>, variables: VariableStore): (r: RuleWire) => boolean {
  const tests: Array<(r: RuleWire) => boolean> = [];
  for (const [key, value] of filters) {
    switch (key) {
      case 'sid': {
        const sids = new Set(asList(value).map((s) => asInt(key, s)));
        tests.push((r) => sids.has(r.sid));
        break;
      }
      case 'sid__gte': {
        const n = asInt(key, value);
        tests.push((r) => r.sid >= n);
        break;
      }
      case 'sid__lt': {
        const n = asInt(key, value);
        tests.push((r) => r.sid < n);
        break;
      }
      case 'vendor': {
        const vendors = new Set(asList(value).map((v) => v.toLowerCase()));
        tests.push((r) => vendors.has(r.vendor.toLowerCase()));
        break;
      }
      case 'cls': {
        const classes = new Set(asList(value).map((v) => v.toLowerCase()));
        tests.push((r) => classes.has(r.cls.toLowerCase()) || classes.has(r.classtype.toLowerCase()));
        break;
      }
      case 'priority': {
        // The UP docstring: "priority N" selects rules with priority >= N.
        const n = asInt(key, value);
        tests.push((r) => r.priority >= n);
        break;
      }
      case 'diff': {
        const allowed = asList(value);
        const bad = allowed.find((d) => !['+', '*', '-', '='].includes(d));
        if (bad !== undefined) throw filterError(key, `"${bad}" is not one of + * - =.`);
        tests.push((r) => allowed.includes(r.diff));
        break;
      }
      case 'enabled':
      case 'has_redef':
      case 'has_exceptions':
      case 'has_error': {
        const want = asBool(key, value);
        tests.push((r) => r[key] === want);
        break;
      }
      case 'client':
      case 'server': {
        const ip = String(Array.isArray(value) ? value[0] : value);
        tests.push((r) => addressCovers(key === 'client' ? r.src_adr : r.dst_adr, ip, variables));
        break;
      }
    }
  }
  return (r) => tests.every((t) => t(r));
}
