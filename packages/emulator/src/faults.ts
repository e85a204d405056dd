import { type FaultAction, type FaultRule, parseFaultSpec } from './faults-spec.js';
import { mulberry32 } from './lib/prng.js';

export { FAULT_SPEC_HELP, type FaultAction, type FaultRule, FaultSpecError, parseFaultSpec } from './faults-spec.js';

interface ActiveRule {
  id: number;
  rule: FaultRule;
  pathRegex: RegExp | null;
  matched: number;
  random: () => number;
}

/** The faults chosen for one request phase: total extra latency plus at most one terminal action. */
export interface FaultDecision {
  latencyMs: number;
  terminal: Exclude<FaultAction, { kind: 'latency' }> | null;
}

/** A registered rule as `list()` reports it. */
export interface FaultInfo {
  id: number;
  rule: FaultRule;
  /** How many requests matched the rule's target so far. */
  matched: number;
}

/** Fault injection rules, evaluated per request; reproducible (counters and seeded PRNGs, never wall time). */
export class FaultController {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  /** Adds rules from a SPEC string or a rule object; returns the new rule ids. Throws FaultSpecError on bad specs. */
  add(spec: string | FaultRule): number[] {
    const rules = typeof spec === 'string' ? parseFaultSpec(spec) : [spec];
    return rules.map((rule) => {
      const id = this.nextId++;
      this.rules.push({
        id,
        rule,
        pathRegex: rule.path === undefined ? null : globToRegex(rule.path),
        matched: 0,
        random: mulberry32(rule.seed ?? 1),
      });
      return id;
    });
  }

  /** Removes one rule by id; returns whether it existed. */
  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** The active rules with their match counters. */
  list(): FaultInfo[] {
    return this.rules.map((r) => ({ id: r.id, rule: r.rule, matched: r.matched }));
  }

  /** Decides the faults for a request in one phase (`before` the handler or `after` it). */
  decide(method: string, path: string, phase: 'before' | 'after'): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, terminal: null };
    for (const active of this.rules) {
      if ((active.rule.after === true) !== (phase === 'after')) continue;
      if (!targets(active, method, path)) continue;
      active.matched += 1;
      if (!fires(active)) continue;
      const action = active.rule.action;
      if (action.kind === 'latency') decision.latencyMs += action.ms;
      else if (decision.terminal === null) decision.terminal = action;
    }
    return decision;
  }
}

function targets(active: ActiveRule, method: string, path: string): boolean {
  if (active.rule.method !== undefined && active.rule.method !== method) return false;
  return active.pathRegex === null || active.pathRegex.test(path);
}

function fires(active: ActiveRule): boolean {
  const { every, first, probability } = active.rule;
  if (every !== undefined && active.matched % every !== 0) return false;
  if (first !== undefined && active.matched > first) return false;
  // Draw only for rules that use a probability, so adding one rule does not shift another rule's sequence.
  if (probability !== undefined && active.random() >= probability) return false;
  return true;
}

function globToRegex(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Counts requests that reached the server, per route (`GET /api/v2/replists/:id`), so tests can assert on them. */
export class RequestCounters {
  private readonly counts = new Map<string, number>();
  private totalCount = 0;

  /** Records one request for a route key (use `routeKey`). */
  hit(key: string): void {
    this.totalCount += 1;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Requests for one route, e.g. `get('GET', '/api/v2/monitoring/status')`. */
  get(method: string, pathPattern: string): number {
    return this.counts.get(routeKey(method, pathPattern)) ?? 0;
  }

  /** Every request since start (or the last reset), including 404s. */
  get total(): number {
    return this.totalCount;
  }

  /** A copy of all counters keyed `METHOD pattern` (unmatched paths count as `METHOD <unmatched>`). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.counts.clear();
    this.totalCount = 0;
  }
}

/** The counter key of a route. */
export function routeKey(method: string, pathPattern: string): string {
  return `${method} ${pathPattern}`;
}
