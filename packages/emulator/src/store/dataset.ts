/**
 * The emulator's deterministic dataset: `generateDataset({ seed, flows, now })` builds every collection the
 * emulator serves. Same (seed, flows, now) gives a byte-identical dataset; nothing reads the clock or
 * `Math.random`. Flows span the 7 days before `now`.
 */
import { generateClasses } from './gen/classes.js';
import { fileBytes } from './gen/files.js';
import { generateFlows, SCENARIOS } from './gen/flows.js';
import { HostInventory } from './gen/hosts.js';
import { generateSensors, generateStorages, generateTriggers, generateVariables } from './gen/infra.js';
import { buildNetwork } from './gen/network.js';
import { Rng } from './gen/random.js';
import { generateReplists } from './gen/replists.js';
import { generateRules } from './gen/rules.js';
import type { Dataset, DatasetOptions } from './types.js';

export type { ScenarioDef } from './gen/scenario-kit.js';
export type * from './types.js';
export { fileBytes, SCENARIOS };

/** Default number of flows of the emulator's dataset. */
export const DEFAULT_FLOW_COUNT = 20_000;

/**
 * Generates the whole dataset from a seed. Throws a RangeError for a negative or non-integer flow count or an
 * invalid date.
 * @example const ds = generateDataset({ seed: 1, flows: 20_000, now: new Date('2025-06-01T00:00:00Z') });
 */
export function generateDataset(opts: DatasetOptions): Dataset {
  const { seed, flows: flowCount } = opts;
  const now = opts.now.getTime();
  if (!Number.isInteger(flowCount) || flowCount < 0) {
    throw new RangeError(`flows must be a non-negative integer, got ${flowCount}`);
  }
  if (!Number.isFinite(now)) throw new RangeError('now must be a valid date');
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  // Independent streams per collection: adding a rule template does not reshuffle every flow.
  const stream = (name: string): Rng => new Rng((Math.imul(seed | 0, 0x9e3779b1) ^ hashName(name)) >>> 0);

  const classes = generateClasses();
  const ruleSet = generateRules(stream('rules'), classes, now);
  const rules = ruleSet.rules;
  const replists = generateReplists(stream('replists'), now);
  const network = buildNetwork(stream('network'), replists);
  const variables = generateVariables(now);
  const inventory = new HostInventory(network);
  const generated = generateFlows(
    stream('flows'),
    { count: flowCount, now, network, rules: ruleSet, replists, hosts: inventory },
    opts.onFlow,
  );
  const flows = generated.flows;
  const storages = generateStorages(stream('storages'), generated, now);
  const sensors = generateSensors(stream('sensors'), rules, now);
  const triggers = generateTriggers(stream('triggers'), now);
  const hosts = inventory.records();
  return { seed, now, flows, classes, rules, replists, variables, sensors, storages, triggers, hosts };
}

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
