// Each dataset scenario records the example filters it exists for; each of those filters must return flows that
// this very scenario made (not merely some flow of the dataset).
import { describe, expect, it } from 'vitest';
import { executeBql } from '../src/engine/index.js';
import { DEFAULT_FLOW_COUNT, generateDataset, SCENARIOS } from '../src/store/dataset.js';
import type { FlowRecord } from '../src/store/types.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const byScenario = new Map<string, FlowRecord[]>();
generateDataset({
  seed: 1,
  flows: DEFAULT_FLOW_COUNT,
  now: NOW,
  onFlow: (flow, scenario) => {
    const list = byScenario.get(scenario.name);
    if (list) list.push(flow);
    else byScenario.set(scenario.name, [flow]);
  },
});

const cases = SCENARIOS.flatMap((s) => s.examples.map((filter) => [s.name, filter] as const));

describe('scenario example filters', () => {
  it('scenario names are unique and most planted scenarios name their filters', () => {
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(cases)('%s: %s hits flows of that scenario', (name, filter) => {
    const flows = byScenario.get(name) ?? [];
    expect(flows.length).toBeGreaterThan(0);
    expect(executeBql(`SELECT id FROM flow WHERE ${filter} LIMIT 0`, { flows, now: NOW }).total).toBeGreaterThan(0);
  });
});
