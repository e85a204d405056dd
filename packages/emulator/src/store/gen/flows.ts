/**
 * The flow generator: draws a start time in the 7 days before `now` (busier in working hours), a scenario by
 * weight, builds the flow and finishes it (reputation hits, criticality). The first flows cycle through every
 * planted scenario twice, so even a small dataset has a hit for each example filter.
 */
import type { FlowRecord, ReplistRecord } from '../types.js';
import { finishFlow, type GenCtx } from './flow-base.js';
import type { HostInventory } from './hosts.js';
import type { Network } from './network.js';
import { type Rng, WeightedTable } from './random.js';
import type { RuleSet } from './rules.js';
import type { Scenario, ScenarioDef } from './scenario-kit.js';
import { HYGIENE_SCENARIOS } from './scenarios-hygiene.js';
import { INTERNAL_SCENARIOS } from './scenarios-internal.js';
import { REAL_RULE_SCENARIOS } from './scenarios-real.js';
import { THREAT_SCENARIOS } from './scenarios-threats.js';
import { WEB_SCENARIOS } from './scenarios-web.js';
import { DAY, HOUR, MINUTE } from './time.js';

/** Inputs of {@link generateFlows}. */
export interface FlowGenOptions {
  count: number;
  now: number;
  network: Network;
  rules: RuleSet;
  replists: ReplistRecord[];
  /** Fed every finished flow (hosts are derived while each flow is still in cache). */
  hosts?: HostInventory;
}

/**
 * The flows, sorted by start, with what the storages need to know about all of them, gathered while each flow was
 * made: a pass over a million finished flows touches a gigabyte of scattered objects, these facts do not.
 */
export interface GeneratedFlows {
  flows: FlowRecord[];
  /** 1 where the flow (by sorted position) has extracted files. */
  withFiles: Uint8Array;
  /** Extracted files in all flows. */
  fileCount: number;
  /** Sum of every flow's `bytes.total`. */
  volume: number;
}

const PLANTED_SCENARIOS: readonly ScenarioDef[] = [...THREAT_SCENARIOS, ...HYGIENE_SCENARIOS, ...REAL_RULE_SCENARIOS];

/** Every scenario, with the example filters each exists for. */
export const SCENARIOS: readonly ScenarioDef[] = [...WEB_SCENARIOS, ...INTERNAL_SCENARIOS, ...PLANTED_SCENARIOS];
const WEIGHTED = new WeightedTable(SCENARIOS.map((s) => [s, s.weight] as const));

// Relative traffic per UTC hour: quiet nights, busy office hours (a Moscow-time office, UTC+3).
const HOURLY = new WeightedTable(
  [2, 2, 2, 2, 3, 5, 9, 10, 10, 10, 9, 10, 10, 9, 8, 6, 4, 3, 3, 2, 2, 2, 2, 2].map((w, h) => [h, w] as const),
);

/**
 * Generates `count` flows, sorted by start time. `onFlow` (tests) learns which scenario made each flow.
 */
export function generateFlows(
  rng: Rng,
  opts: FlowGenOptions,
  onFlow?: (flow: FlowRecord, scenario: ScenarioDef) => void,
): GeneratedFlows {
  const c: GenCtx = {
    rng,
    net: opts.network,
    rules: opts.rules,
    now: opts.now,
    malwareList: opts.replists.find((l) => l.name === 'malware'),
    fileNo: 0,
    pcaps: new Map(),
  };
  // Leave room for the longest flow (30 min) before `now`.
  const windowStart = opts.now - 7 * DAY;
  const flows: FlowRecord[] = new Array(opts.count);
  const plantedFirst = PLANTED_SCENARIOS.length * 2;
  const withFiles = new Uint8Array(opts.count);
  const starts = new Float64Array(opts.count);
  let fileCount = 0;
  let volume = 0;
  for (let i = 0; i < opts.count; i++) {
    const scenario = i < plantedFirst ? planted(i) : rng.draw(WEIGHTED);
    const start = drawStart(rng, windowStart, opts.now - 31 * MINUTE);
    const flow = finishFlow(c, scenario.make(c, start));
    flows[i] = flow;
    starts[i] = flow.start;
    const files = flow.files.length;
    if (files > 0) withFiles[i] = 1;
    fileCount += files;
    // Integers far below 2^53: the sum is exact in any order.
    volume += flow.bytes.total;
    opts.hosts?.add(flow, i);
    onFlow?.(flow, scenario);
  }
  const order = sortOrder(flows, starts);
  const sorted: FlowRecord[] = new Array(opts.count);
  const sortedWithFiles = new Uint8Array(opts.count);
  for (let i = 0; i < opts.count; i++) {
    const from = order[i] as number;
    sorted[i] = flows[from] as FlowRecord;
    sortedWithFiles[i] = withFiles[from] as number;
  }
  return { flows: sorted, withFiles: sortedWithFiles, fileCount, volume };
}

/**
 * Positions of the flows by (start, id) (`starts` holds each flow's start), as a stable sort with that comparator
 * orders them. Each flow becomes one
 * number, (start - earliest) * n + position, and a typed array of those sorts natively (no comparator call per
 * comparison, about 6x faster at a million flows); runs of flows that start in the same millisecond are then
 * ordered by id. Fractional starts, or spans too wide for exact keys, fall back to a comparator sort.
 */
function sortOrder(flows: FlowRecord[], starts: Float64Array): Uint32Array {
  const n = flows.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const t = starts[i] as number;
    if (t < min) min = t;
    if (t > max) max = t;
    if (t !== Math.floor(t)) integral = false;
  }
  const order = new Uint32Array(n);
  const byStartThenId = (a: number, b: number): number => {
    const d = (starts[a] as number) - (starts[b] as number);
    if (d !== 0) return d;
    const ia = (flows[a] as FlowRecord).id;
    const ib = (flows[b] as FlowRecord).id;
    return ia < ib ? -1 : ia > ib ? 1 : a - b;
  };
  if (n === 0) return order;
  if (!integral || !((max - min + 1) * n < Number.MAX_SAFE_INTEGER)) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort(byStartThenId);
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = ((starts[i] as number) - min) * n + i;
  keys.sort();
  // Back from keys to positions, and the runs of equal starts (sitting together, by position), which the
  // comparator then orders by id. Integer arithmetic on exact doubles: a quotient rounded up is corrected.
  let runFrom = 0;
  let runRel = -1;
  for (let k = 0; k < n; k++) {
    const key = keys[k] as number;
    let rel = Math.floor(key / n);
    let i = key - rel * n;
    if (i < 0) {
      i += n;
      rel -= 1;
    } else if (i >= n) {
      i -= n;
      rel += 1;
    }
    order[k] = i;
    if (rel !== runRel) {
      if (k - runFrom > 1) order.subarray(runFrom, k).sort(byStartThenId);
      runFrom = k;
      runRel = rel;
    }
  }
  if (n - runFrom > 1) order.subarray(runFrom, n).sort(byStartThenId);
  return order;
}

/** A start time in [from, to), weighted by UTC hour of day; redrawn when it lands after `to`. */
function drawStart(rng: Rng, from: number, to: number): number {
  const dayStart = from - (from % DAY);
  for (;;) {
    const t = dayStart + rng.int(0, 7) * DAY + rng.draw(HOURLY) * HOUR + Math.floor(rng.next() * HOUR);
    if (t >= from && t < to) return t;
  }
}

function planted(i: number): ScenarioDef {
  const entry = PLANTED_SCENARIOS[i % PLANTED_SCENARIOS.length];
  if (entry === undefined) throw new Error('no planted scenarios');
  return entry;
}

export type { Scenario };
