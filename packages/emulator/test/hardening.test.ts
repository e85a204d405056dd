// Issue 19, items 7 and 9: prototype keys in `ordering`, and session expiry that never scans the live sessions.
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clock, CredentialStore } from '../src/auth/credentials.js';
import { ExpiryQueue } from '../src/auth/expiry-queue.js';
import { isLoopbackHost } from '../src/cli-args.js';
import { bearer, startSmall } from './helpers.js';

let emu: Emulator;
let call: ReturnType<typeof bearer>;

beforeAll(async () => {
  emu = await startSmall({ flows: 300 });
  call = bearer(emu.url, emu.credentials.apiKey);
});
afterAll(() => emu.close());

const LIST_ROUTES = [
  '/api/v2/replists',
  '/api/v2/replists/dynamic/tor-relays',
  '/api/v2/hosts',
  '/api/v2/signatures/classes',
  '/api/v2/signatures/rules',
  '/api/v2/sources',
  '/api/v2/variables',
];

describe('ordering by a key of Object.prototype', () => {
  for (const path of LIST_ROUTES) {
    for (const key of ['__proto__', 'hasOwnProperty', 'valueOf', '-constructor', 'toString,id']) {
      it(`GET ${path}?ordering=${key} is 400 naming the field`, async () => {
        const r = await call('GET', `${path}?ordering=${encodeURIComponent(key)}`);
        expect(r.status).toBe(400);
        expect(JSON.stringify(r.body)).toContain('Unknown ordering field');
      });
    }
  }
});

const account = { username: 'u', password: 'p', role: 'admin', source: 'local' } as const;

describe('session expiry', () => {
  it('drops expired sessions at the next login, whatever the number live', () => {
    const clock = new Clock();
    const store = new CredentialStore(clock, 60);
    for (let i = 0; i < 100; i++) store.createSession(account);
    store.createToken(account);
    clock.advance(61_000);
    const { sessionId } = store.createSession(account);
    // The old store kept expired sessions until 10,000 had piled up, then scanned them all on every login.
    expect(store.size).toEqual({ sessions: 1, tokens: 0 });
    expect(store.session(sessionId)).not.toBeNull();
  });

  it('keeps 10,000 live sessions and expires them in order as time passes', () => {
    const clock = new Clock();
    const store = new CredentialStore(clock, 100);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      ids.push(store.createSession(account).sessionId);
      if (i % 1000 === 999) clock.advance(10_000);
    }
    expect(store.size.sessions).toBe(10_000);
    clock.advance(1_000);
    store.createToken(account);
    // A thousand sessions were created every 10 s; those of t=0 expired at 100 s and now is 101 s.
    expect(store.size.sessions).toBe(9_000);
    expect(store.session(ids[999] ?? '')).toBeNull();
    expect(store.session(ids[1000] ?? '')).not.toBeNull();
  });

  it('a revoked session leaves at once and its heap entry is skipped later', () => {
    const clock = new Clock();
    const store = new CredentialStore(clock, 10);
    const a = store.createSession(account).sessionId;
    const b = store.createSession(account).sessionId;
    store.revoke(a);
    expect(store.size.sessions).toBe(1);
    clock.advance(11_000);
    store.createSession(account);
    expect(store.session(b)).toBeNull();
    expect(store.size.sessions).toBe(1);
  });

  it('the expiry heap pops in time order', () => {
    const q = new ExpiryQueue();
    const times = [50, 10, 40, 30, 20, 60, 10];
    for (const [i, t] of times.entries()) q.push(t, `k${i}`);
    expect([...q.popExpired(45)].map((e) => e.expiresAt)).toEqual([10, 10, 20, 30, 40]);
    expect(q.size).toBe(2);
    expect([...q.popExpired(100)].map((e) => e.key)).toEqual(['k0', 'k5']);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['nad.example', false],
  ])('%s -> %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
