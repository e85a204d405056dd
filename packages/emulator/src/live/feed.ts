/**
 * Live mode: new flows (and the alerts they carry) keep arriving as emulator time passes. Event n ends at a time
 * drawn from a Poisson process of `rate` events per second and becomes visible to queries a little later (the
 * indexing delay of a real sensor: mostly under 2 s, sometimes up to 10 s), so rows can appear with a time
 * earlier than rows already visible. Everything is drawn from the seed in event order, so the same seed gives
 * the same flows at the same times however the time was advanced (one tick of a minute or 600 of 100 ms).
 */
import type { FlowRecord } from '../store/dataset.js';
import { hashString, Rng } from '../store/gen/random.js';
import type { LiveGenerator } from './generator.js';

/** The longest indexing delay: a row is visible at most this long after its flow's `end`. */
export const LIVE_MAX_DELAY_MS = 10_000;

/** Options of live mode (`startEmulator({ live })`, `--live RATE`). */
export interface LiveOptions {
  /** New flows per second of emulator time (> 0). */
  rate: number;
  /** Seed of the live stream. Default: the dataset's seed. */
  seed?: number;
  /** Share of flows drawn from the attack scenarios (they carry alerts), 0..1. Default 0.2. */
  attackShare?: number;
  /**
   * `manual` (default for the API): time moves only with `live.tick(ms)`, for deterministic tests.
   * `wall`: a timer ticks with the wall clock (the `--live` flag; demos).
   */
  clock?: 'manual' | 'wall';
}

/** A flow that became visible, with the emulator time when it did. */
export interface LiveArrival {
  flow: FlowRecord;
  visibleAt: number;
}

interface Pending {
  n: number;
  visibleAt: number;
  flow: FlowRecord;
}

/** The live feed of one emulator; `emulator.live`. */
export class LiveFeed {
  readonly rate: number;
  readonly seed: number;
  private time: number;
  private nextN = 0;
  private nextEnd: number;
  private readonly schedule: Rng;
  // Min-heap on (visibleAt, n): flows generated but not yet visible.
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<(arrivals: readonly LiveArrival[]) => void>();
  private timer: NodeJS.Timeout | undefined;
  private visibleCount = 0;

  constructor(
    private readonly generator: LiveGenerator,
    private readonly append: (flows: readonly FlowRecord[]) => void,
    options: { rate: number; seed: number; start: number },
  ) {
    if (!Number.isFinite(options.rate) || options.rate <= 0) {
      throw new RangeError(`live rate must be a positive number of events per second, got ${options.rate}`);
    }
    this.rate = options.rate;
    this.seed = options.seed;
    this.time = options.start;
    this.schedule = new Rng(hashString('live-schedule', options.seed >>> 0));
    this.nextEnd = options.start + this.gap();
  }

  /** The emulator's live time (epoch ms): the dataset's `now` plus every tick so far. */
  now(): number {
    return this.time;
  }

  /** How many live flows are visible so far, and how many are generated but still being "indexed". */
  get counts(): { visible: number; pending: number } {
    return { visible: this.visibleCount, pending: this.pending.length };
  }

  /**
   * Moves live time forward by `ms` and appends every flow that became visible meanwhile (in order of
   * visibility). Returns them. Listeners (the webhook) see them before this returns.
   */
  tick(ms: number): LiveArrival[] {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`tick(ms) needs a non-negative number, got ${ms}`);
    const until = this.time + ms;
    while (this.nextEnd <= until) {
      const n = this.nextN++;
      const flow = this.generator.flow(n, Math.floor(this.nextEnd));
      this.push({ n, visibleAt: this.nextEnd + this.delay(), flow });
      this.nextEnd += this.gap();
    }
    this.time = until;
    const arrivals: LiveArrival[] = [];
    while (this.pending.length > 0 && (this.pending[0] as Pending).visibleAt <= until) {
      const p = this.pop();
      arrivals.push({ flow: p.flow, visibleAt: p.visibleAt });
    }
    if (arrivals.length > 0) {
      this.append(arrivals.map((a) => a.flow));
      this.visibleCount += arrivals.length;
      for (const listener of this.listeners) listener(arrivals);
    }
    return arrivals;
  }

  /** Calls `listener` with each batch of flows that became visible; returns a function that removes it. */
  onArrival(listener: (arrivals: readonly LiveArrival[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ticks with the wall clock every `intervalMs` (the CLI's `--live`). Idempotent. */
  startWallClock(intervalMs = 50): void {
    if (this.timer) return;
    let last = Date.now();
    this.timer = setInterval(() => {
      const t = Date.now();
      this.tick(t - last);
      last = t;
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the wall-clock timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Exponential gap between events (a Poisson process), at least 1 µs apart in ms terms. */
  private gap(): number {
    const u = this.schedule.next();
    return Math.max(0.001, (-Math.log(1 - u) * 1000) / this.rate);
  }

  private delay(): number {
    const r = this.schedule.next();
    if (r < 0.97) return 100 + Math.floor(this.schedule.next() * 1900);
    return 2000 + Math.floor(this.schedule.next() * (LIVE_MAX_DELAY_MS - 2000));
  }

  private push(p: Pending): void {
    const h = this.pending;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as Pending, h[parent] as Pending)) break;
      [h[i], h[parent]] = [h[parent] as Pending, h[i] as Pending];
      i = parent;
    }
  }

  private pop(): Pending {
    const h = this.pending;
    const top = h[0] as Pending;
    const last = h.pop() as Pending;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as Pending, h[m] as Pending)) m = l;
        if (r < h.length && before(h[r] as Pending, h[m] as Pending)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Pending, h[i] as Pending];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.visibleAt < b.visibleAt || (a.visibleAt === b.visibleAt && a.n < b.n);
}
