import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, type FetchLike, PermissionDeniedError, PTNADClient } from '../src/index.js';
import { account, adminClient, emulator, hits } from './helpers/emulator.js';

let emu: Emulator;
const clients: PTNADClient[] = [];
const track = (c: PTNADClient) => {
  clients.push(c);
  return c;
};

beforeAll(async () => {
  emu = await emulator({ sessionTtl: 600 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emu.close();
});

describe('auth modes against the emulator', () => {
  it('local: login sets the session; reads and CSRF-protected writes work', async () => {
    const c = track(adminClient(emu));
    await c.login();
    expect(c.isLoggedIn).toBe(true);
    const list = await c.replists.createList({ name: 'auth-local', type: 'ip', color: '2' });
    expect(list.name).toBe('auth-local');
    await c.replists.deleteList(list.id);
  });

  it('sso: password grant against IAM, then bearer', async () => {
    const admin = account(emu, 'admin');
    const { clientId, clientSecret } = emu.credentials.iamClient;
    const c = track(
      new PTNADClient(emu.url, {
        auth: {
          type: 'sso',
          ssoUrl: emu.url,
          clientId,
          clientSecret,
          username: admin.username,
          password: admin.password,
        },
      }),
    );
    const status = await c.monitoring.getStatus();
    expect(['green', 'yellow', 'red', 'unknown']).toContain(status.status);
    const list = await c.replists.createList({ name: 'auth-sso', type: 'dn', color: '3' });
    await c.replists.deleteList(list.id);
  });

  it('sso with ssoType ldap: directory users log in with amr=ldap (and fail without it)', async () => {
    const ldap = account(emu, 'admin', 'directory');
    const { clientId, clientSecret } = emu.credentials.iamClient;
    const base = {
      type: 'sso' as const,
      ssoUrl: emu.url,
      clientId,
      clientSecret,
      username: ldap.username,
      password: ldap.password,
    };
    const ok = track(new PTNADClient(emu.url, { auth: { ...base, ssoType: 'ldap' } }));
    await ok.login();
    expect(ok.isLoggedIn).toBe(true);
    const wrong = track(new PTNADClient(emu.url, { auth: base }));
    await expect(wrong.login()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('apikey: bearer key verified with monitoring/status', async () => {
    const c = track(new PTNADClient(emu.url, { auth: { type: 'apikey', apikey: emu.credentials.apiKey } }));
    const before = hits(emu, 'GET', '/api/v2/monitoring/status');
    await c.login();
    expect(hits(emu, 'GET', '/api/v2/monitoring/status')).toBe(before + 1);
    const bad = track(new PTNADClient(emu.url, { auth: { type: 'apikey', apikey: 'not-the-key-000' } }));
    const err = await bad.login().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toMatch(/^Failed to verify login: 401 Unauthorized: /);
  });

  it('a first getStatus() takes the login verification as its answer: one status request, not two', async () => {
    const STATUS = '/api/v2/monitoring/status';
    const c = track(adminClient(emu));
    const before = hits(emu, 'GET', STATUS);
    const first = await c.monitoring.getStatus().withResponse();
    expect(['green', 'yellow', 'red', 'unknown']).toContain(first.data.status);
    expect(first.response).toMatchObject({ status: 200, url: `${emu.url}/api/v2/monitoring/status` });
    expect(hits(emu, 'GET', STATUS)).toBe(before + 1);
    // Once logged in, every call asks the server again.
    await c.monitoring.getStatus();
    expect(hits(emu, 'GET', STATUS)).toBe(before + 2);
    // A call that joins a login started by another one sends its own request; so does one with a query.
    const fresh = track(adminClient(emu));
    const mid = hits(emu, 'GET', STATUS);
    await Promise.all([fresh.monitoring.getStatus(), fresh.monitoring.getStatus()]);
    expect(hits(emu, 'GET', STATUS)).toBe(mid + 2);
    const other = track(adminClient(emu));
    const last = hits(emu, 'GET', STATUS);
    await other.request({
      method: 'GET',
      path: 'monitoring/status',
      query: { x: '1' },
      operation: 'status with a query',
    });
    expect(hits(emu, 'GET', STATUS)).toBe(last + 2);
  });

  it('a wrong password is an AuthenticationError', async () => {
    const admin = account(emu, 'admin');
    const c = track(
      new PTNADClient(emu.url, { auth: { type: 'local', username: admin.username, password: 'nope-nope' } }),
    );
    const err = await c.login().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toMatch(/^Failed to log in as "administrator": 401 /);
  });

  it('the read-only user gets a PermissionDeniedError on writes, without a re-login', async () => {
    const analyst = account(emu, 'readonly');
    const c = track(
      new PTNADClient(emu.url, { auth: { type: 'local', username: analyst.username, password: analyst.password } }),
    );
    expect((await c.replists.getLists()).results.length).toBeGreaterThan(0);
    const logins = hits(emu, 'POST', '/api/v2/auth/login');
    const err = await c.replists.createList({ name: 'nope', type: 'ip', color: '1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect((err as PermissionDeniedError).status).toBe(403);
    expect((err as Error).message).toMatch(/^Failed to create reputation list "nope": 403 Forbidden: /);
    expect(hits(emu, 'POST', '/api/v2/auth/login')).toBe(logins);
  });

  it('a session expiring mid-run under concurrent requests is renewed by ONE shared re-login', async () => {
    const c = track(adminClient(emu));
    await c.login();
    const logins = hits(emu, 'POST', '/api/v2/auth/login');
    emu.advanceClock(601_000);
    const results = await Promise.all([
      c.replists.getLists({ limit: 5 }),
      c.sources.getSources(),
      c.monitoring.getTriggers(),
      c.variables.getGroups(),
      c.signatures.getClasses(),
      c.bql.execute('SELECT id FROM flow LIMIT 3'),
      c.replists.createList({ name: 'after-expiry', type: 'md5', color: '4' }),
    ]);
    expect(results).toHaveLength(7);
    expect(hits(emu, 'POST', '/api/v2/auth/login')).toBe(logins + 1);
    const created = results[6] as { id: number };
    await c.replists.deleteList(created.id);
  });

  it('CSRF: the token goes with every write; a CSRF failure (403) is healed by one re-login', async () => {
    const admin = account(emu, 'admin');
    let corruptNext = false;
    const seen: Array<string | null> = [];
    // Real requests to the real emulator; the wrapper only spoils one CSRF header, as a rotated token would.
    const spoiling: FetchLike = (url, init) => {
      const headers = new Headers(init.headers);
      if (corruptNext && headers.has('x-csrftoken')) {
        headers.set('x-csrftoken', 'stale-token-0000');
        corruptNext = false;
      }
      if (init.method === 'POST') seen.push(headers.get('x-csrftoken'));
      return fetch(url, { ...init, headers });
    };
    const c = track(
      new PTNADClient(emu.url, {
        fetch: spoiling,
        auth: { type: 'local', username: admin.username, password: admin.password },
      }),
    );
    await c.login();
    const logins = hits(emu, 'POST', '/api/v2/auth/login');
    corruptNext = true;
    const list = await c.replists.createList({ name: 'csrf-healed', type: 'ip', color: '6' });
    expect(list.name).toBe('csrf-healed');
    expect(hits(emu, 'POST', '/api/v2/auth/login')).toBe(logins + 1);
    expect(seen.at(-1)).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(seen).toContain('stale-token-0000');
    await c.replists.deleteList(list.id);
  });

  it('logout ends the session on the server', async () => {
    const c = track(adminClient(emu));
    await c.login();
    await c.logout();
    expect(c.isLoggedIn).toBe(false);
    expect(hits(emu, 'POST', '/api/v2/auth/logout')).toBeGreaterThan(0);
    await expect(c.replists.getLists()).rejects.toBeInstanceOf(AuthenticationError);
  });
});
