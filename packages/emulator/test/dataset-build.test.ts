// The fast paths of the dataset build give what the plain code gave: prepared weighted draws, flat timestamps, and the
// packed-key sort with its same-millisecond ties (the default dataset of seed 1 has none, so a larger one is built).
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../src/store/dataset.js';
import { Rng, WeightedTable } from '../src/store/gen/random.js';
import { isoZ, naiveIso } from '../src/store/gen/time.js';

describe('dataset build fast paths', () => {
  it('Rng.draw over a WeightedTable makes the choices Rng.weighted makes, step for step', () => {
    const tables: Array<Array<readonly [string, number]>> = [
      [['a', 1]],
      [
        ['a', 0],
        ['b', 3],
        ['c', 0],
        ['d', 5],
        ['e', 0],
      ],
      Array.from({ length: 60 }, (_, i) => [`s${i}`, (i * 37) % 11] as const),
      Array.from({ length: 24 }, (_, i) => [`h${i}`, i < 6 ? 2 : 10] as const),
    ];
    for (const items of tables) {
      const table = new WeightedTable(items);
      const plain = new Rng(42);
      const fast = new Rng(42);
      for (let i = 0; i < 20_000; i++) {
        expect(fast.draw(table)).toBe(plain.weighted(items));
      }
      // Both consumed the same number of steps.
      expect(fast.u32()).toBe(plain.u32());
    }
    expect(() => new WeightedTable([['a', 1.5]])).toThrow(/not a whole number/);
    expect(() => new WeightedTable([])).toThrow(/empty/);
  });

  it('naiveIso and isoZ write the text the padded template wrote, for any time and microseconds', () => {
    const pad = (n: number, width: number) => `${n}`.padStart(width, '0');
    const template = (ms: number, us: number) => {
      const d = new Date(ms);
      return (
        `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
        `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}` +
        `.${pad(d.getUTCMilliseconds(), 3)}${pad(us, 3)}`
      );
    };
    const rng = new Rng(7);
    const cases: Array<[number, number]> = [
      [0, 0],
      [1_748_736_000_000, 999],
      [253_402_300_799_999, 5],
      [253_402_300_800_000, 5],
      [-62_167_219_200_000, 1],
      [-62_167_219_200_001, 1],
      [1_700_000_000_000, 1000],
      [1_700_000_000_000, 12.5],
    ];
    for (let i = 0; i < 5000; i++) cases.push([rng.int(-1e12, 3e12), rng.int(0, 999)]);
    for (const [ms, us] of cases) {
      expect(naiveIso(ms, us)).toBe(template(ms, us));
      expect(isoZ(ms, us)).toBe(`${template(ms, us)}Z`);
    }
  });

  it('flows come sorted by start, then id, also where several start in the same millisecond', () => {
    const { flows } = generateDataset({ seed: 2, flows: 50_000, now: new Date('2025-06-01T00:00:00Z') });
    let ties = 0;
    for (let i = 1; i < flows.length; i++) {
      const a = flows[i - 1];
      const b = flows[i];
      if (a === undefined || b === undefined) throw new Error('hole in flows');
      expect(a.start <= b.start).toBe(true);
      if (a.start === b.start) {
        ties++;
        expect(a.id < b.id).toBe(true);
      }
    }
    expect(ties).toBeGreaterThan(0);
  });
});
