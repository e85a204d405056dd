/**
 * Indicator checks for `replists sync`, by list type, so that malformed lines of a feed are reported with
 * their line numbers and never sent.
 */

import { isIP } from 'node:net';

/** Reputation list types. */
export type IndicatorType = 'ip' | 'dn' | 'uri' | 'md5';

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const DOMAIN = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)*${LABEL}\\.?$`, 'i');

/** Why `value` is not a valid indicator of `type`, or null when it is. */
export function indicatorError(type: IndicatorType, value: string): string | null {
  switch (type) {
    case 'ip': {
      const [addr = '', bits, extra] = value.split('/');
      const family = isIP(addr);
      if (family === 0 || extra !== undefined) return 'not an IP address or CIDR network';
      if (bits === undefined) return null;
      const max = family === 4 ? 32 : 128;
      return /^\d{1,3}$/.test(bits) && Number(bits) <= max ? null : `bad prefix length (0-${max})`;
    }
    case 'dn':
      return value.length <= 253 && DOMAIN.test(value) ? null : 'not a domain name';
    case 'md5':
      return /^[0-9a-f]{32}$/i.test(value) ? null : 'not an MD5 hash (32 hex digits)';
    case 'uri':
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject.
      return /[\s\u0000-\u001f\u007f]/.test(value) ? 'contains whitespace or control characters' : null;
  }
}

/** One indicator line of a feed, or the reason it was rejected. */
export interface FeedLine {
  line: number;
  value: string;
  error: string | null;
}

/**
 * Splits a feed into indicator lines: blank lines and `#` comments are skipped, a trailing comment after
 * whitespace (`1.2.3.4  # c2`) is dropped (a `#` without whitespace before it stays: URI fragments), and each
 * line is trimmed.
 */
export function parseFeed(text: string, type: IndicatorType): FeedLine[] {
  const out: FeedLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const value = (lines[i] ?? '').replace(/\s+#.*$/, '').trim();
    if (value === '' || value.startsWith('#')) continue;
    out.push({ line: i + 1, value, error: indicatorError(type, value) });
  }
  return out;
}
