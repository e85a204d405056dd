import { isIP } from 'node:net';

/** Reputation list types (§4.7). */
export type ReplistType = 'ip' | 'dn' | 'uri' | 'md5';

/** True for an IPv4/IPv6 address or a CIDR network of either. */
export function isIpOrNetwork(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return isIP(value) !== 0;
  const family = isIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

const DOMAIN = /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i;

/**
 * Checks one indicator against a list type; returns null when valid, else why not.
 * Domains may start with `*.`; URIs are any non-empty text without whitespace.
 */
export function indicatorProblem(type: ReplistType, value: string): string | null {
  if (value === '') return 'the value is empty';
  switch (type) {
    case 'ip':
      return isIpOrNetwork(value) ? null : `"${value}" is not an IP address or CIDR network`;
    case 'dn':
      return value.length <= 253 && DOMAIN.test(value) ? null : `"${value}" is not a domain name`;
    case 'md5':
      return /^[0-9a-f]{32}$/i.test(value) ? null : `"${value}" is not an MD5 hash (32 hex digits)`;
    case 'uri':
      return hasSpaceOrControl(value) ? `"${value}" contains whitespace or control characters` : null;
  }
}

function hasSpaceOrControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) <= 0x20 || value.charCodeAt(i) === 0x7f) return true;
  return /\s/.test(value);
}

/** Parses an IPv4 address to a 32-bit number, or null. */
function ipv4ToInt(ip: string): number | null {
  if (isIP(ip) !== 4) return null;
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** True when `ip` equals `entry` or lies inside the CIDR `entry` (IPv4 CIDRs; IPv6 compares exactly). */
export function ipMatches(ip: string, entry: string): boolean {
  if (ip === entry) return true;
  const slash = entry.indexOf('/');
  if (slash < 0) return false;
  const base = ipv4ToInt(entry.slice(0, slash));
  const addr = ipv4ToInt(ip);
  if (base === null || addr === null) return false;
  const bits = Number(entry.slice(slash + 1));
  const size = 2 ** (32 - bits);
  return Math.floor(addr / size) === Math.floor(base / size);
}

/** A string key that sorts IPv4 addresses numerically (`10.0.0.2` before `10.0.0.10`); IPv6 sorts after IPv4. */
export function ipSortKey(ip: string | null | undefined): string | null {
  if (!ip) return null;
  if (isIP(ip) !== 4) return `~${ip}`;
  return ip
    .split('.')
    .map((o) => o.padStart(3, '0'))
    .join('.');
}
