/**
 * Literal forms the engine understands: the three time forms (epoch ms numbers, `YYYY.MM.DD` dates, quoted ISO
 * date-times read as UTC, as PT NAD shows UTC), IPv4/IPv6 addresses and CIDR ranges. `~` patterns: wildcard.ts.
 */
import type { EqualityKey } from './equality.js';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DOT_DATE_RE = /^(\d{4})\.(\d{2})\.(\d{2})$/;

/**
 * Epoch ms of a date-time text: `2025-04-06T15:49:19[.ffffff][Z|+03:00]`, `2025-04-06 15:49`, `2025-04-06`,
 * `2025.04.06`. Naive times are UTC. Undefined when the text is not such a time or names an impossible one.
 */
export function parseTimeText(text: string): number | undefined {
  const dot = DOT_DATE_RE.exec(text);
  const m = dot ?? ISO_RE.exec(text);
  if (m === null) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const s = Number(m[6] ?? 0);
  const ms = Number(`${m[7] ?? ''}000`.slice(0, 3));
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  const zone = dot ? undefined : m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return t;
}

/** An IPv4 address as an unsigned 32-bit number, or undefined. */
export function ipv4ToInt(text: string): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return n * 256 + part;
}

/** An IPv6 address as a bigint, or undefined (accepts `::` and an embedded IPv4 tail). */
export function ipv6ToBigInt(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  const halves = text.toLowerCase().split('::');
  if (halves.length > 2) return undefined;
  const parse = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? '';
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = ipv4ToInt(p);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else if (/^[0-9a-f]{1,4}$/.test(p)) {
        out.push(Number.parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/** An address or CIDR range as an equality key (v4 or v6), or undefined when the text is none of those. */
export function ipEqualityKey(text: string): EqualityKey | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? undefined : Number(text.slice(slash + 1));
  const v4 = ipv4ToInt(addr);
  if (v4 !== undefined) {
    if (prefix === undefined) return { kind: 'ip4', n: v4 };
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    return { kind: 'cidr4', base: v4 - (v4 % size), size };
  }
  const v6 = ipv6ToBigInt(addr);
  if (v6 === undefined) return undefined;
  if (prefix === undefined) return { kind: 'ip6', n: v6 };
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) return undefined;
  return { kind: 'prefix6', net: v6 >> BigInt(128 - prefix), bits: prefix };
}

/** True for `-?digits(.digits)?` text. */
export function isNumericText(text: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(text);
}
