import { createHash } from 'node:crypto';
import { isIpOrNetwork } from '../lib/indicators.js';
import type { VariableRecord } from '../store/types.js';
import type { RuleStore } from './rules.js';
import type { VariableStore } from './variables.js';

/** What `POST signatures/commit` answers. */
export type CommitOutcome =
  | { ok: true; hashsum: string }
  | { ok: false; fatal_error: string | null; other_errors: string[] };

/** Splits a Snort variable value (`[a, !b, $C]`) into its entries, without brackets and negations. */
export function variableEntries(value: string): string[] {
  return value
    .replace(/[[\]]/g, ',')
    .split(',')
    .map((e) => e.trim().replace(/^!+/, ''))
    .filter((e) => e !== '');
}

function portEntryOk(entry: string): boolean {
  const m = /^(\d*):(\d*)$/.exec(entry);
  const ports = m ? [m[1], m[2]].filter((p) => p !== '') : [entry];
  if (ports.length === 0) return false;
  return ports.every((p) => p !== undefined && /^\d+$/.test(p) && Number(p) <= 65535);
}

/** Problems of one variable's value: bad entries and references to unknown or wrongly typed variables. */
export function variableProblems(v: VariableRecord, byName: (name: string) => VariableRecord | undefined): string[] {
  const problems: string[] = [];
  const entries = variableEntries(v.value);
  if (entries.length === 0) problems.push(`Variable ${v.name}: the value is empty.`);
  for (const entry of entries) {
    if (entry === 'any') continue;
    if (entry.startsWith('$')) {
      const ref = byName(entry.slice(1));
      if (!ref) problems.push(`Variable ${v.name}: it references the unknown variable ${entry}.`);
      else if (ref.type !== v.type)
        problems.push(`Variable ${v.name}: ${entry} is a ${ref.type} group, not ${v.type}.`);
      continue;
    }
    const ok = v.type === 'ip' ? isIpOrNetwork(entry) : portEntryOk(entry);
    if (!ok) {
      const what = v.type === 'ip' ? 'an IP address or network' : 'a port or port range (0-65535)';
      problems.push(`Variable ${v.name}: "${entry}" is not ${what}.`);
    }
  }
  return problems;
}

/** The package hash: changes whenever the committed rule overrides or variables change. */
export function packageHash(seed: number, rules: RuleStore, variables: VariableStore): string {
  const h = createHash('sha256');
  h.update(`seed:${seed}\n`);
  for (const [sid, patch] of rules.committedOverrides()) {
    const { enabled, action, msg, priority } = patch;
    h.update(`rule:${sid}:${JSON.stringify({ enabled, action, msg, priority })}\n`);
  }
  const vars = variables.committedRecords().sort((a, b) => a.name.localeCompare(b.name));
  for (const v of vars) h.update(`var:${v.name}:${v.type}:${v.value}\n`);
  return h.digest('hex');
}

/**
 * Validates the pending state and commits it. The first problem is the `fatal_error`, the rest `other_errors`;
 * nothing is committed when any problem exists.
 */
export function commitChanges(seed: number, rules: RuleStore, variables: VariableStore): CommitOutcome {
  const problems = variables.all().flatMap((v) => variableProblems(v, (n) => variables.byName(n)));
  if (problems.length > 0) {
    return { ok: false, fatal_error: problems[0] ?? null, other_errors: problems.slice(1) };
  }
  rules.commit();
  variables.commit();
  return { ok: true, hashsum: packageHash(seed, rules, variables) };
}
