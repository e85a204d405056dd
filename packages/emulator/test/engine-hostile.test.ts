// Hostile queries (issue 19, item 2): wildcards with many stars, huge IN lists and deep nesting finish inside the
// default time budget with the right answers; a query past its budget ends with a BQL error naming it.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BqlBudgetError, executeBql } from '../src/engine/index.js';
import { compileWildcard } from '../src/engine/wildcard.js';
import { generateDataset } from '../src/store/dataset.js';
import type { FlowRecord } from '../src/store/types.js';

const NOW = new Date('2025-06-01T12:00:00Z');
let flows: FlowRecord[];

beforeAll(() => {
  flows = generateDataset({ seed: 1, flows: 20_000, now: NOW }).flows;
});

/** The engine's old `~`: a regular expression (exponential with many stars: only for few-star patterns here). */
function regexReference(pattern: string): (v: string) => boolean {
  let re = '^';
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  const compiled = new RegExp(`${re}$`, 'is');
  return (v) => compiled.test(v);
}

/** Case folding of one code unit as a non-Unicode `i` regular expression does it (slow: for small inputs). */
const regexFold = (a: string, b: string) => new RegExp(`^${b.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}$`, 'i').test(a);
/** ASCII-only case folding (dataset values are ASCII URLs). */
const asciiFold = (a: string, b: string) => a === b || a.toUpperCase() === b.toUpperCase();

/** A plain dynamic-programming glob matcher (any number of stars). */
function dpReference(pattern: string, value: string, same = asciiFold): boolean {
  let prev = new Array<boolean>(value.length + 1).fill(false);
  prev[0] = true;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const cur = new Array<boolean>(value.length + 1).fill(false);
    if (p === '*') cur[0] = prev[0] as boolean;
    for (let j = 1; j <= value.length; j++) {
      if (p === '*') cur[j] = (prev[j] as boolean) || (cur[j - 1] as boolean);
      else cur[j] = (prev[j - 1] as boolean) && (p === '?' || same(value[j - 1] as string, p));
    }
    prev = cur;
  }
  return prev[value.length] as boolean;
}

// Characters that exercise case folding (ASCII, Latin-1, Greek, the Kelvin sign, dotless i, sharp s, long s),
// regex metacharacters, a backslash, newlines and a surrogate pair.
const ALPHABET = [
  'a',
  'A',
  'b',
  'B',
  '!',
  '.',
  '\\',
  '/',
  '\n',
  'é',
  'É',
  'σ',
  'Σ',
  'ς',
  'K',
  'k',
  'K',
  'ı',
  'I',
  'i',
  'İ',
  'ß',
  'ſ',
  's',
  'S',
  '😀',
];
const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((a) => a.join(''));
const pattern = (maxStars: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(...ALPHABET), fc.constant('?'), fc.constant('*')), { maxLength: 10 })
    .filter((a) => a.filter((c) => c === '*').length <= maxStars)
    .map((a) => a.join(''));

describe('the linear wildcard matcher', () => {
  it('agrees with the old regular expression on random patterns and values', () => {
    fc.assert(
      fc.property(pattern(3), fc.array(text, { minLength: 1, maxLength: 8 }), (p, values) => {
        const fast = compileWildcard(p);
        const slow = regexReference(p);
        for (const v of values) expect(fast(v)).toBe(slow(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with a dynamic-programming matcher for any number of stars', () => {
    fc.assert(
      fc.property(pattern(10), fc.array(text, { minLength: 1, maxLength: 8 }), (p, values) => {
        const fast = compileWildcard(p);
        for (const v of values) expect(fast(v)).toBe(dpReference(p, v, regexFold));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers a many-star pattern on long values at once (the old regex backtracked for minutes)', () => {
    const match = compileWildcard(`${'*'.repeat(40)}!`);
    const long = 'a'.repeat(20_000);
    expect(match(long)).toBe(false);
    expect(match(`${long}!`)).toBe(true);
    expect(compileWildcard('*a*a*a*a*a*a*a*a*a*b')(long)).toBe(false);
  });
});

describe('pathological queries finish inside the default budget with the right answers', () => {
  const total = (where: string) => executeBql(`SELECT id FROM flow WHERE ${where} LIMIT 0`, { flows, now: NOW }).total;
  const count = (pred: (f: FlowRecord) => boolean) => flows.filter(pred).length;
  const urls = (f: FlowRecord) => (f.http ?? []).map((h) => h.rqs.url);

  it("http.rqs.url ~ '******!' and friends (issue 19: over 60 s with 8 stars)", () => {
    for (const p of ['******!', '********!', `${'*'.repeat(64)}!`, '*?*?*?*?*?*?*?*?/', '*/*/*/*/*/*/*/*/*/*.php']) {
      expect(total(`http.rqs.url ~ '${p}'`)).toBe(count((f) => urls(f).some((u) => dpReference(p, u))));
    }
  });

  it('src.ip in [10,000 addresses and ranges] (issue 19: 17.8 s)', () => {
    const seen = [...new Set(flows.map((f) => f.src.ip))];
    const picked = seen.filter((_, i) => i % 7 === 0);
    const filler = Array.from({ length: 10_000 - picked.length - 2 }, (_, i) => `203.0.${(i >> 8) & 255}.${i & 255}`);
    const list = [...picked, ...filler, '10.1.0.0/16', 'fe80::/10'];
    const inRange = (ip: string) => ip.startsWith('10.1.');
    const want = new Set(picked);
    const n = count((f) => want.has(f.src.ip) || inRange(f.src.ip) || f.src.ip.toLowerCase().startsWith('fe8'));
    expect(n).toBeGreaterThan(100);
    expect(total(`src.ip in [${list.join(', ')}]`)).toBe(n);
    expect(total(`not src.ip in [${list.join(', ')}]`)).toBe(flows.length - n);
  });

  it('in-lists of numbers and strings match as == does, value by value', () => {
    const ports = Array.from({ length: 5000 }, (_, i) => i);
    expect(total(`dst.port in [${ports.join(', ')}]`)).toBe(count((f) => f.dst.port < 5000));
    expect(total(`dst.port in ['443', 80]`)).toBe(count((f) => f.dst.port === 443 || f.dst.port === 80));
    expect(total('app_proto in [http, dns, "tls"]')).toBe(count((f) => ['http', 'dns', 'tls'].includes(f.app_proto)));
  });

  it('deep nesting and long chains', () => {
    const n = count((f) => f.dst.port === 443);
    expect(total(`${'('.repeat(250)}dst.port == 443${')'.repeat(250)}`)).toBe(n);
    expect(total(`${'not '.repeat(250)}dst.port == 443`)).toBe(n);
    const chain = Array.from({ length: 2000 }, (_, i) => `dst.port == ${i + 60000}`).join(' OR ');
    expect(total(`${chain} OR dst.port == 443`)).toBe(n);
    const patterns = Array.from({ length: 50 }, (_, i) => `*${'*?'.repeat(4)}*${i}*`);
    const wild = patterns.map((p) => `http.rqs.url ~ '${p}'`).join(' OR ');
    const n2 = count((f) => urls(f).some((u) => patterns.some((p) => dpReference(p, u))));
    expect(n2).toBeGreaterThan(0);
    expect(total(wild)).toBe(n2);
  });
});

describe('the time budget', () => {
  it('ends a query past its budget with a BQL error that names the budget', () => {
    // Thousands of wildcard terms over every flow: far more than one millisecond of work.
    const heavy = Array.from({ length: 2000 }, (_, i) => `http.rqs.url ~ '*q${i}*z*'`).join(' OR ');
    let caught: unknown;
    try {
      executeBql(`SELECT id FROM flow WHERE ${heavy} ORDER BY bytes.total LIMIT 5`, { flows, now: NOW, budgetMs: 1 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BqlBudgetError);
    expect((caught as Error).message).toContain('time budget of 1 ms');
  });

  it('rejects a budget that is not a positive number', () => {
    expect(() => executeBql('SELECT id FROM flow', { flows, now: NOW, budgetMs: 0 })).toThrow(/budgetMs/);
  });
});
