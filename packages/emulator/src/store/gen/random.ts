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

/** A small, fast seeded PRNG (sfc32) with the helpers the generators need. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Warm up so that nearby seeds diverge quickly.
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Rng.pick: empty array');
    return item;
  }

  /** One element chosen by weight: `[[value, weight], ...]`. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [value, w] of items) {
      r -= w;
      if (r < 0) return value;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('Rng.weighted: empty array');
    return last[0];
  }

  /** A log-uniform integer in [min, max]: many small values, a few large ones (bytes, packets). */
  logInt(min: number, max: number): number {
    const lo = Math.log(min);
    const hi = Math.log(max);
    return Math.round(Math.exp(lo + this.next() * (hi - lo)));
  }

  /**
   * `prefix` followed by `length` characters drawn from `alphabet`, as one flat string: concatenating a prefix
   * afterwards would keep a two-part rope (more memory per id, a million times over).
   */
  chars(alphabet: string, length: number, prefix = ''): string {
    const codes = new Array<number>(prefix.length + length);
    for (let i = 0; i < prefix.length; i++) codes[i] = prefix.charCodeAt(i);
    for (let i = prefix.length; i < codes.length; i++) {
      codes[i] = alphabet.charCodeAt(Math.floor(this.next() * alphabet.length));
    }
    return String.fromCharCode(...codes);
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
