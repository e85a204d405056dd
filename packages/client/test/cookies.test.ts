import { describe, expect, it } from 'vitest';
import { CookieJar } from '../src/internal/cookies.js';
import { backoffDelay, parseRetryAfter } from '../src/internal/retry.js';

describe('cookie jar', () => {
  it('stores, renders, replaces and deletes cookies like a browser would for one host', () => {
    const jar = new CookieJar();
    const now = Date.parse('2025-06-01T00:00:00Z');
    jar.update(['sessionid=abc; Path=/; HttpOnly; Secure', 'csrftoken="tok"; Max-Age=3600; Path=/'], now);
    expect(jar.header('/api/v2/', now)).toBe('sessionid=abc; csrftoken=tok');
    expect(jar.get('csrftoken', now)).toBe('tok');
    jar.update(['csrftoken=tok2; Path=/'], now);
    expect(jar.get('csrftoken', now)).toBe('tok2');
    jar.update(['sessionid=; Max-Age=0; Path=/'], now);
    expect(jar.get('sessionid', now)).toBeUndefined();
    jar.update(['old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], now);
    expect(jar.get('old', now)).toBeUndefined();
  });

  it('expires cookies by Max-Age (which wins over Expires) and honours Path', () => {
    const jar = new CookieJar();
    const now = 1_000_000;
    jar.update(['a=1; Max-Age=10; Expires=Fri, 01 Jan 2100 00:00:00 GMT', 'b=2; Path=/other'], now);
    expect(jar.header('/api/v2/x', now)).toBe('a=1');
    expect(jar.header('/other/y', now)).toBe('a=1; b=2');
    expect(jar.header('/otherwise', now)).toBe('a=1');
    expect(jar.get('a', now + 11_000)).toBeUndefined();
    jar.update(['garbage', '=novalue'], now);
    expect(jar.values()).toEqual(['2']);
  });
});

describe('retry timing', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 01 Jun 2025 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });

  it('backs off exponentially with jitter in [d/2, d], capped', () => {
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(0, () => 1)).toBe(250);
    expect(backoffDelay(2, () => 0)).toBe(2000);
    expect(backoffDelay(10, () => 0)).toBe(8000);
  });
});
