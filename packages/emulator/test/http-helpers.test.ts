// Unit tests of the server's small building blocks (no dataset needed).
import { inflateRawSync, crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { paginate } from '../src/http/envelope.js';
import { Router } from '../src/http/router.js';
import { indicatorProblem, ipMatches } from '../src/lib/indicators.js';
import { buildZip, crc32, uniqueZipNames } from '../src/lib/zip.js';

describe('router', () => {
  const router = new Router([
    { method: 'GET', path: '/api/v2/replists/:id' },
    { method: 'GET', path: '/api/v2/replists/stats' },
    { method: 'POST', path: '/api/v2/replists/dynamic/:key/:value' },
    { method: 'POST', path: '/api/v2/replists/dynamic/:key/_bulk' },
  ]);
  it('prefers literal segments and decodes one segment per parameter', () => {
    expect(router.match('GET', '/api/v2/replists/stats').route.path).toBe('/api/v2/replists/stats');
    expect(router.match('GET', '/api/v2/replists/7/').params).toEqual({ id: '7' });
    expect(router.match('POST', '/api/v2/replists/dynamic/k/_bulk').route.path).toBe(
      '/api/v2/replists/dynamic/:key/_bulk',
    );
    const m = router.match('POST', `/api/v2/replists/dynamic/k/${encodeURIComponent('http://x/a?b#c:d')}`);
    expect(m.params).toEqual({ key: 'k', value: 'http://x/a?b#c:d' });
  });
  it('answers 404, 405 with Allow, and 400 for broken percent-encoding', () => {
    expect(() => router.match('GET', '/api/v2/nope')).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => router.match('DELETE', '/api/v2/replists/1')).toThrow(
      expect.objectContaining({ status: 405, headers: { Allow: 'GET' } }),
    );
    expect(() => router.match('GET', '/api/v2/replists/%E0%A4%A')).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('DRF envelope', () => {
  it('builds absolute next/previous links and keeps other parameters', () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    const page = paginate(items, new URL('http://h:1/api/v2/x?search=a&limit=10&offset=10'));
    expect(page).toEqual({
      count: 25,
      next: 'http://h:1/api/v2/x?search=a&limit=10&offset=20',
      previous: 'http://h:1/api/v2/x?search=a&limit=10',
      results: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
    });
    expect(() => paginate(items, new URL('http://h/x?limit=0'))).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('indicators', () => {
  it('validates values per list type', () => {
    expect(indicatorProblem('ip', '10.0.0.0/8')).toBeNull();
    expect(indicatorProblem('ip', '2001:db8::/32')).toBeNull();
    expect(indicatorProblem('ip', '10.0.0.0/33')).toMatch(/not an IP/);
    expect(indicatorProblem('dn', '*.evil.example')).toBeNull();
    expect(indicatorProblem('dn', 'bad domain')).toMatch(/not a domain/);
    expect(indicatorProblem('uri', 'http://a/b?c')).toBeNull();
    expect(indicatorProblem('uri', 'a b')).toMatch(/whitespace/);
    expect(indicatorProblem('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toBeNull();
  });
  it('matches IPv4 addresses against CIDR networks', () => {
    expect(ipMatches('192.168.5.4', '192.168.0.0/16')).toBe(true);
    expect(ipMatches('192.169.5.4', '192.168.0.0/16')).toBe(false);
    expect(ipMatches('1.2.3.4', '0.0.0.0/0')).toBe(true);
  });
});

describe('zip writer', () => {
  it('computes the standard CRC-32', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32(data)).toBe(0x414fa339);
    expect(crc32(data)).toBe(zlibCrc32(data));
  });
  it('writes stored and deflated entries that read back byte for byte', () => {
    const text = Buffer.from('a'.repeat(5000));
    const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 73) % 256));
    const zip = buildZip([
      { name: 'big.txt', data: text, modified: new Date('2025-01-02T03:04:06Z') },
      { name: 'small.bin', data: random, modified: new Date('2025-01-02T03:04:06Z') },
    ]);
    // First entry: deflated (method 8); its compressed bytes inflate back to the input.
    expect(zip.readUInt16LE(8)).toBe(8);
    const size = zip.readUInt32LE(18);
    expect(inflateRawSync(zip.subarray(30 + 7, 30 + 7 + size)).equals(text)).toBe(true);
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
    expect(zip.readUInt16LE(zip.length - 12)).toBe(2);
  });
  it('makes entry names unique and strips directories', () => {
    expect(uniqueZipNames(['a.exe', '../x/a.exe', 'b', 'b', '...'])).toEqual([
      'a.exe',
      'a (2).exe',
      'b',
      'b (2)',
      'file',
    ]);
  });
});

describe('JSON error position', () => {
  it('points at the first invalid character', async () => {
    const { jsonErrorOffset, lineColumn } = await import('../src/http/json-position.js');
    const text = '{"name": "x",\n "type": }';
    const offset = jsonErrorOffset(text);
    expect(lineColumn(text, offset)).toEqual({ line: 2, column: 10 });
    expect(jsonErrorOffset('{"a": [1, 2.5e3, true, null, "\\u00e9"]}')).toBe(-1);
    expect(jsonErrorOffset('[1,]')).toBe(3);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('')).toBe(0);
  });
});
