/**
 * What `field == literal` means, as a key the engine can put in a set. `==` and `in [...]` share it: a
 * comparison builds one test from its key, a list groups its keys by kind and answers each value with one set
 * lookup (or a binary search over merged CIDR ranges) instead of comparing it with every literal, so
 * `src.ip in [10,000 addresses]` costs one parse of the row's address and one lookup.
 */
import { ipv4ToInt, ipv6ToBigInt, isNumericText } from './literals.js';

/** The meaning of one `== literal`, decided once at compile time from the literal and the field's type. */
export type EqualityKey =
  /** Numbers compare, numeric strings convert, booleans are 1/0 (number fields, times, numeric literals). */
  | { kind: 'number'; n: number }
  /** Exact string; numbers and booleans compare as their text. */
  | { kind: 'string'; s: string }
  /** A boolean field: the boolean or its 1/0. */
  | { kind: 'bool'; b: boolean }
  /** One IPv4 address (any textual form of the row's value that parses to it). */
  | { kind: 'ip4'; n: number }
  /** An IPv4 CIDR range [base, base + size). */
  | { kind: 'cidr4'; base: number; size: number }
  /** One IPv6 address. */
  | { kind: 'ip6'; n: bigint }
  /** An IPv6 prefix: the address shifted right by `128 - bits`. */
  | { kind: 'prefix6'; net: bigint; bits: number };

/** A test of one raw value. */
export type ValueTest = (v: unknown) => boolean;

/** The test of a single key (what `field == literal` checks on each value). */
export function keyTest(key: EqualityKey): ValueTest {
  return keysTest([key]);
}

function numberSetTest(set: Set<number>): ValueTest {
  return (v) => {
    if (typeof v === 'number') return set.has(v);
    if (typeof v === 'string') return v !== '' && isNumericText(v) && set.has(Number(v));
    if (typeof v === 'boolean') return set.has(v ? 1 : 0);
    return false;
  };
}

function stringSetTest(set: Set<string>): ValueTest {
  return (v) =>
    typeof v === 'string' ? set.has(v) : (typeof v === 'number' || typeof v === 'boolean') && set.has(String(v));
}

/** Sorted, merged [start, end) ranges of IPv4 numbers, searched by bisection. */
function rangesTest(ranges: Array<[number, number]>, exact: Set<number>): ValueTest {
  ranges.sort((a, b) => a[0] - b[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [s, e] of ranges) {
    const lastEnd = ends[ends.length - 1];
    if (lastEnd !== undefined && s <= lastEnd) ends[ends.length - 1] = Math.max(lastEnd, e);
    else {
      starts.push(s);
      ends.push(e);
    }
  }
  return (v) => {
    if (typeof v !== 'string') return false;
    const n = ipv4ToInt(v);
    if (n === undefined) return false;
    if (exact.has(n)) return true;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] as number) <= n) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && n < (ends[lo - 1] as number);
  };
}

function ip6Test(exact: Set<bigint>, prefixes: Map<number, Set<bigint>>): ValueTest {
  const byBits = [...prefixes].map(([bits, nets]) => ({ shift: BigInt(128 - bits), nets }));
  return (v) => {
    if (typeof v !== 'string' || !v.includes(':')) return false;
    const n = ipv6ToBigInt(v);
    if (n === undefined) return false;
    if (exact.has(n)) return true;
    for (const p of byBits) if (p.nets.has(n >> p.shift)) return true;
    return false;
  };
}

/** One test for a list of keys: true when the value equals any of them. */
export function keysTest(keys: readonly EqualityKey[]): ValueTest {
  const numbers = new Set<number>();
  const strings = new Set<string>();
  const bools = new Set<boolean>();
  const ip4 = new Set<number>();
  const cidr4: Array<[number, number]> = [];
  const ip6 = new Set<bigint>();
  const prefix6 = new Map<number, Set<bigint>>();
  for (const k of keys) {
    switch (k.kind) {
      case 'number':
        numbers.add(k.n);
        break;
      case 'string':
        strings.add(k.s);
        break;
      case 'bool':
        bools.add(k.b);
        break;
      case 'ip4':
        ip4.add(k.n);
        break;
      case 'cidr4':
        cidr4.push([k.base, k.base + k.size]);
        break;
      case 'ip6':
        ip6.add(k.n);
        break;
      case 'prefix6': {
        const nets = prefix6.get(k.bits) ?? new Set<bigint>();
        nets.add(k.net);
        prefix6.set(k.bits, nets);
        break;
      }
      default:
        assertNeverKey(k);
    }
  }
  const tests: ValueTest[] = [];
  if (numbers.size > 0) tests.push(numberSetTest(numbers));
  if (strings.size > 0) tests.push(stringSetTest(strings));
  for (const b of bools) tests.push((v) => v === b || v === (b ? 1 : 0));
  if (cidr4.length > 0) tests.push(rangesTest(cidr4, ip4));
  else if (ip4.size > 0)
    tests.push((v) => {
      if (typeof v !== 'string') return false;
      const n = ipv4ToInt(v);
      return n !== undefined && ip4.has(n);
    });
  if (ip6.size > 0 || prefix6.size > 0) tests.push(ip6Test(ip6, prefix6));
  if (tests.length === 0) return () => false;
  if (tests.length === 1) return tests[0] as ValueTest;
  return (v) => {
    for (let i = 0; i < tests.length; i++) if ((tests[i] as ValueTest)(v)) return true;
    return false;
  };
}

function assertNeverKey(k: never): never {
  throw new Error(`unknown equality key ${JSON.stringify(k)}`);
}
