/**
 * The dataset's seeded randomness. Everything the generator draws goes through one {@link Rng}, so the same
 * seed gives the same dataset byte for byte; `hashString` derives independent seeds (file bytes, ids).
 */

/** 32-bit FNV-1a of a string: a stable seed derived from a name or id. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A small, fast seeded PRNG (sfc32) with the helpers the generators need. The state is kept as signed 32-bit
 * integers (`| 0`): V8 stores those untagged, so a draw allocates nothing, where unsigned values above 2^31 would
 * be boxed as heap numbers on every step (millions of short-lived objects in a large dataset). Every helper turns
 * the raw step into the same float (`(step >>> 0) / 2^32`) the unsigned version gave, so the streams are unchanged.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9 | 0;
    this.b = 0x243f6a88 | 0;
    this.c = 0xb7e15162 | 0;
    this.d = seed | 0;
    // Warm up so that nearby seeds diverge quickly.
    for (let i = 0; i < 15; i++) this.step();
  }

  /** One sfc32 step: the next output as a signed 32-bit integer. */
  private step(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t;
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    return this.step() >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return (this.step() >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(((this.step() >>> 0) / 4294967296) * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return (this.step() >>> 0) / 4294967296 < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(((this.step() >>> 0) / 4294967296) * items.length)];
    if (item === undefined) throw new Error('Rng.pick: empty array');
    return item;
  }

  /** One element chosen by weight: `[[value, weight], ...]`. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (let i = 0; i < items.length; i++) total += (items[i] as readonly [T, number])[1];
    let r = ((this.step() >>> 0) / 4294967296) * total;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as readonly [T, number];
      r -= item[1];
      if (r < 0) return item[0];
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('Rng.weighted: empty array');
    return last[0];
  }

  /**
   * One value of a {@link WeightedTable}: the same choice (and the same one step of the stream) as `weighted` over
   * the table's items, found by binary search over the running sums instead of a walk that re-adds every weight.
   */
  draw<T>(table: WeightedTable<T>): T {
    const r = ((this.step() >>> 0) / 4294967296) * table.total;
    const ends = table.ends;
    // The first item whose running sum exceeds r: `weighted` subtracts the integer weights from r one by one,
    // which is exact, so `r - sum < 0` there is `r < sum` here.
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r < (ends[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return table.values[lo] as T;
  }

  /** A log-uniform integer in [min, max]: many small values, a few large ones (bytes, packets). */
  logInt(min: number, max: number): number {
    const lo = Math.log(min);
    const hi = Math.log(max);
    return Math.round(Math.exp(lo + ((this.step() >>> 0) / 4294967296) * (hi - lo)));
  }

  /**
   * `prefix` followed by `length` characters drawn from `alphabet`, as one flat string: concatenating a prefix
   * afterwards would keep a two-part rope (more memory per id, a million times over).
   */
  chars(alphabet: string, length: number, prefix = ''): string {
    const n = prefix.length + length;
    // One scratch array per length, reused: ids are drawn millions of times and the array never escapes.
    let codes = SCRATCH[n];
    if (codes === undefined) {
      codes = new Array<number>(n).fill(0);
      SCRATCH[n] = codes;
    }
    for (let i = 0; i < prefix.length; i++) codes[i] = prefix.charCodeAt(i);
    const size = alphabet.length;
    for (let i = prefix.length; i < n; i++) {
      codes[i] = alphabet.charCodeAt(Math.floor(((this.step() >>> 0) / 4294967296) * size));
    }
    return String.fromCharCode.apply(null, codes);
  }
}

const SCRATCH: number[][] = [];

/** Items with integer weights prepared for {@link Rng.draw}: their running sums, computed once. */
export class WeightedTable<T> {
  readonly values: readonly T[];
  /** Running sums of the weights (`ends[i]` = weight of items 0..i). */
  readonly ends: Float64Array;
  readonly total: number;

  constructor(items: ReadonlyArray<readonly [T, number]>) {
    if (items.length === 0) throw new Error('WeightedTable: empty');
    this.values = items.map((item) => item[0]);
    this.ends = new Float64Array(items.length);
    let total = 0;
    items.forEach(([, w], i) => {
      // Integer weights keep the running sums exact, which makes `draw` agree with `weighted`.
      if (!Number.isSafeInteger(w) || w < 0) throw new Error(`WeightedTable: weight ${w} is not a whole number >= 0`);
      total += w;
      this.ends[i] = total;
    });
    this.total = total;
  }
}

const FLOW_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~';
const ES_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A 22-char flow id shaped like `P86qC9cOOElv1RPc~lYyC2` (§10.5). */
export function flowId(rng: Rng): string {
  return rng.chars(FLOW_ID_ALPHABET, 21, 'P');
}

/** A 20-char Elasticsearch-style id shaped like `vRwB4Z4BaLX3hldUvkZ1` (alerts, files, transactions). */
export function esId(rng: Rng): string {
  return rng.chars(ES_ID_ALPHABET, 20);
}
