/** What a fault does to a request. */
export type FaultAction =
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'latency'; ms: number }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'expire' };

/** One fault rule: an action, an optional target and when it triggers. */
export interface FaultRule {
  action: FaultAction;
  /** HTTP method to match (upper case); absent = every method. */
  method?: string;
  /** Path glob (`*` = any run of characters, `?` = one); absent = every path. */
  path?: string;
  /** Trigger on every Nth matching request (the Nth, 2Nth, ...). */
  every?: number;
  /** Trigger on the first N matching requests only. */
  first?: number;
  /** Trigger with this probability (0..1), drawn from a PRNG seeded with `seed`. */
  probability?: number;
  /** Seed for `probability` (default 1). */
  seed?: number;
  /** Apply after the handler ran (the request changed state, then the reply is faulted). */
  after?: boolean;
}

/** A `--faults` SPEC that could not be parsed; the message names the rule and what was wrong. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

/** The SPEC grammar, shown by `--help` and in errors. */
export const FAULT_SPEC_HELP = `SPEC    = RULE *(";" RULE)
RULE    = ACTION ["@" TARGET] *(":" OPTION)
ACTION  = <status 400-599> | latency=<ms> | reset | truncate | expire
TARGET  = METHOD | [METHOD ":"] <path glob, starts with "/", * and ? wildcards>
OPTION  = every=<N> | first=<N> | p=<0..1> | seed=<N> | retry-after=<s> | after
Example: 503@GET:/api/v2/monitoring/*:every=3;reset:p=0.02:seed=7;latency=200@/api/v2/bql`;

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Parses a SPEC such as `503@GET:/api/v2/monitoring/*:every=3;reset:p=0.02:seed=7` into rules. */
export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .map((text, i) => {
      try {
        return parseRule(text);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new FaultSpecError(`fault rule ${i + 1} ("${text}"): ${why}`);
      }
    });
}

function parseRule(text: string): FaultRule {
  const tokens = text.split(':');
  const head = tokens.shift() ?? '';
  const at = head.indexOf('@');
  const rule: FaultRule = { action: parseAction(at < 0 ? head : head.slice(0, at)) };
  if (at >= 0) {
    const target = head.slice(at + 1);
    if (target.startsWith('/')) {
      rule.path = target;
    } else {
      const method = target.toUpperCase();
      if (!METHODS.has(method)) throw new Error(`unknown method "${target}" in target`);
      rule.method = method;
      if (tokens[0]?.startsWith('/')) rule.path = tokens.shift();
    }
  }
  for (const option of tokens) applyOption(rule, option.trim());
  return rule;
}

function parseAction(text: string): FaultAction {
  const t = text.trim().toLowerCase();
  if (/^\d{3}$/.test(t)) {
    const status = Number(t);
    if (status < 400 || status > 599) throw new Error(`status ${status} is not an error status (400-599)`);
    return { kind: 'status', status };
  }
  if (t.startsWith('latency=')) return { kind: 'latency', ms: positiveInt(t.slice(8), 'latency') };
  if (t === 'reset' || t === 'truncate' || t === 'expire') return { kind: t };
  throw new Error(`unknown action "${text}"; expected a status 400-599, latency=MS, reset, truncate or expire`);
}

function applyOption(rule: FaultRule, option: string): void {
  if (option === 'after') {
    rule.after = true;
    return;
  }
  const eq = option.indexOf('=');
  const key = eq < 0 ? option : option.slice(0, eq);
  const value = eq < 0 ? '' : option.slice(eq + 1);
  switch (key) {
    case 'every':
      rule.every = positiveInt(value, key);
      return;
    case 'first':
      rule.first = positiveInt(value, key);
      return;
    case 'seed':
      rule.seed = positiveInt(value, key, 0);
      return;
    case 'p': {
      const p = Number(value);
      if (value === '' || !Number.isFinite(p) || p < 0 || p > 1)
        throw new Error(`p must be a number in 0..1, got "${value}"`);
      rule.probability = p;
      return;
    }
    case 'retry-after':
      if (rule.action.kind !== 'status') throw new Error('retry-after only applies to a status action');
      rule.action.retryAfter = positiveInt(value, key, 0);
      return;
    default:
      throw new Error(`unknown option "${option}"; expected every=, first=, p=, seed=, retry-after= or after`);
  }
}

function positiveInt(value: string, name: string, min = 1): number {
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${value}"`);
  return Number(value);
}
