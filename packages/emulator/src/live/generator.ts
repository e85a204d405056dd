/**
 * Makes the flows of live mode with the dataset generator's own scenarios, so that live traffic looks like the
 * stored traffic: the same network, rules and scenario mix. Each event draws from its own seeded stream (seed,
 * event number), so the same seed gives the same flows whatever the tick sizes were.
 */
import type { FlowRecord } from '../store/dataset.js';
import { generateClasses } from '../store/gen/classes.js';
import { finishFlow, type GenCtx } from '../store/gen/flow-base.js';
import { buildNetwork } from '../store/gen/network.js';
import { hashString, Rng } from '../store/gen/random.js';
import { generateReplists } from '../store/gen/replists.js';
import { generateRules } from '../store/gen/rules.js';
import type { Scenario, ScenarioDef } from '../store/gen/scenario-kit.js';
import { HYGIENE_SCENARIOS } from '../store/gen/scenarios-hygiene.js';
import { INTERNAL_SCENARIOS } from '../store/gen/scenarios-internal.js';
import { THREAT_SCENARIOS } from '../store/gen/scenarios-threats.js';
import { WEB_SCENARIOS } from '../store/gen/scenarios-web.js';

/** Longest live flow: live flows end when they are emitted, so this bounds how far back their alerts lie. */
export const LIVE_MAX_FLOW_MS = 30_000;

const weighted = (defs: readonly ScenarioDef[]): ReadonlyArray<readonly [Scenario, number]> =>
  defs.map((d) => [d.make, d.weight] as const);
const ALL = weighted([...WEB_SCENARIOS, ...INTERNAL_SCENARIOS, ...THREAT_SCENARIOS, ...HYGIENE_SCENARIOS]);
// Flows drawn from here carry alerts far more often: `attackShare` of the events use them.
const ATTACKS = weighted(THREAT_SCENARIOS);

/** What the generator needs from the running emulator's dataset. */
export interface LiveGeneratorSource {
  seed: number;
  /** The dataset's `now` (epoch ms): the rules and lists were generated for it. */
  now: number;
}

/** Builds live flows for one emulator. */
export class LiveGenerator {
  private readonly base: Omit<GenCtx, 'rng' | 'now' | 'fileNo'>;

  constructor(
    src: LiveGeneratorSource,
    private readonly liveSeed: number,
    private readonly attackShare: number,
  ) {
    // The same streams generateDataset draws from, so live flows use the dataset's hosts, rules and lists.
    const stream = (name: string): Rng => new Rng((Math.imul(src.seed | 0, 0x9e3779b1) ^ hashString(name)) >>> 0);
    const rules = generateRules(stream('rules'), generateClasses(), src.now);
    const network = buildNetwork(stream('network'), generateReplists(stream('replists'), src.now));
    // No malware list: planted downloads would add their hashes to a list the emulator's stores do not see.
    this.base = { net: network, rules, malwareList: undefined, pcaps: new Map() };
  }

  /**
   * Event number `n`: a flow that ends at `end` (epoch ms). The scenario is drawn twice from the same stream: once
   * to learn its duration, once placed so that it ends at `end` (durations capped at {@link LIVE_MAX_FLOW_MS}).
   */
  flow(n: number, end: number): FlowRecord {
    const seed = hashString(`live:${n}`, this.liveSeed >>> 0);
    const pickRng = new Rng(seed ^ 0x5bd1e995);
    const scenario = pickRng.chance(this.attackShare) ? pickRng.weighted(ATTACKS) : pickRng.weighted(ALL);
    const probe = scenario(this.ctx(seed, Number.POSITIVE_INFINITY), end);
    const duration = Math.min(Math.max(0, probe.end - probe.start), LIVE_MAX_FLOW_MS);
    // `now` caps every end at now - 1: the flow ends exactly at `end`, and its transactions and alerts fall inside.
    return finishFlow(this.ctx(seed, end + 1), scenario(this.ctx(seed, end + 1), end - duration));
  }

  private ctx(seed: number, now: number): GenCtx {
    // File numbers only need to differ between flows: derive them from the event's seed.
    return { ...this.base, rng: new Rng(seed), now, fileNo: (seed % 1_000_000) * 8 };
  }
}
