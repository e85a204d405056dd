import { describe, expect, it } from 'vitest';
import { AuthenticationError, PermissionDeniedError, PTNADClient, ValidationError } from '../src/index.js';
import { fakeFetch, json, type SeenRequest } from './helpers/fake-fetch.js';

const BASE = 'https://nad.test';

/** A tiny Django-like session server: login sets cookies, unsafe methods need CSRF + Referer. */
function sessionServer(options: { csrfOn?: boolean } = {}) {
  let sessions = 0;
  let csrfEpoch = 0;
  const live = new Set<string>();
  const logins: SeenRequest[] = [];
  const cookies = (req: SeenRequest) =>
    new Map(
      (req.headers.get('cookie') ?? '')
        .split(';')
        .map((p) => p.trim().split('='))
        .filter((kv): kv is [string, string] => kv.length === 2),
    );
  const fake = fakeFetch((req) => {
    const path = req.url.pathname;
    if (path === '/api/v2/auth/login') {
      logins.push(req);
      const body = JSON.parse(req.body ?? '{}') as { username?: string; password?: string };
      if (body.password !== 'S3cret!pass') return json({ detail: 'Invalid username/password.' }, 401);
      const sid = `sid-${++sessions}-abcdef`;
      live.add(sid);
      return new Response('{}', {
        status: 200,
        headers: [
          ['set-cookie', `sessionid=${sid}; Path=/; HttpOnly`],
          ['set-cookie', `csrftoken=csrf-${sessions}-xyz-e${csrfEpoch}; Path=/`],
        ],
      });
    }
    const jar = cookies(req);
    const sid = jar.get('sessionid');
    if (!sid || !live.has(sid)) return json({ detail: 'Session is invalid or has expired; log in again.' }, 401);
    if (req.method !== 'GET' && options.csrfOn !== false) {
      const token = req.headers.get('x-csrftoken');
      if (token !== jar.get('csrftoken') || !token?.endsWith(`-e${csrfEpoch}`))
        return json({ detail: 'CSRF Failed: CSRF token incorrect.' }, 403);
      if (req.headers.get('referer') !== 'https://nad.test/api/v2/')
        return json({ detail: 'CSRF Failed: Referer checking failed - no Referer.' }, 403);
    }
    if (path === '/api/v2/auth/logout') {
      live.delete(sid);
      return new Response(null, { status: 204 });
    }
    if (path === '/api/v2/monitoring/status') return json({ status: 'green', problems: [] });
    if (path === '/api/v2/replists' && req.method === 'POST')
      return json({ id: 9, name: 'x', type: 'ip', color: '1' }, 201);
    if (path === '/api/v2/variables/1' && req.method === 'DELETE') {
      return json({ detail: 'You do not have permission to perform this action.' }, 403);
    }
    return json({ results: [], count: 0, next: null });
  });
  return {
    fake,
    logins,
    live,
    expireAll: () => live.clear(),
    rotateCsrf: () => {
      csrfEpoch++;
    },
  };
}

const local = { type: 'local' as const, username: 'administrator', password: 'S3cret!pass' };

describe('local (session) auth', () => {
  it('logs in lazily, verifies with monitoring/status, and sends cookies + CSRF on every request', async () => {
    const srv = sessionServer();
    const c = new PTNADClient(BASE, { fetch: srv.fake.fetch, auth: local });
    await c.replists.getLists();
    await c.replists.createList({ name: 'x', type: 'ip', color: '1' });
    const paths = srv.fake.requests.map((r) => `${r.method} ${r.url.pathname}`);
    expect(paths).toEqual([
      'POST /api/v2/auth/login',
      'GET /api/v2/monitoring/status',
      'GET /api/v2/replists',
      'POST /api/v2/replists',
    ]);
    expect(JSON.parse(srv.logins[0]?.body ?? '')).toEqual({ username: 'administrator', password: 'S3cret!pass' });
    for (const r of srv.fake.requests.slice(1)) {
      expect(r.headers.get('cookie')).toMatch(/sessionid=sid-1-abcdef/);
      expect(r.headers.get('x-csrftoken')).toBe('csrf-1-xyz-e0');
    }
    expect(srv.fake.requests[3]?.headers.get('referer')).toBe('https://nad.test/api/v2/');
    expect(c.isLoggedIn).toBe(true);
  });

  it('bad credentials are an AuthenticationError that names the user, not the password', async () => {
    const srv = sessionServer();
    const c = new PTNADClient(BASE, { fetch: srv.fake.fetch, auth: { ...local, password: 'wrong-password-1' } });
    const err = (await c.login().catch((e: unknown) => e)) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toBe('Failed to log in as "administrator": 401 Unauthorized: Invalid username/password.');
    expect(JSON.stringify(err)).not.toContain('wrong-password-1');
  });

  it('an expired session is renewed once and the request replayed', async () => {
    const srv = sessionServer();
    const c = new PTNADClient(BASE, { fetch: srv.fake.fetch, auth: local });
    await c.login();
    srv.expireAll();
    await c.replists.createList({ name: 'x', type: 'ip', color: '1' });
    expect(srv.logins).toHaveLength(2);
  });

  it('concurrent requests that all see the expiry share ONE re-login', async () => {
    const srv = sessionServer();
    const c = new PTNADClient(BASE, { fetch: srv.fake.fetch, auth: local });
    await c.login();
    srv.expireAll();
    await Promise.all(Array.from({ length: 8 }, () => c.replists.getLists()));
    expect(srv.logins).toHaveLength(2);
  });

  it('a CSRF failure (403) on a session triggers one re-login; a permission 403 does not', async () => {
    const srv = sessionServer();
    const c = new PTNADClient(BASE, { fetch: srv.fake.fetch, auth: local });
    await c.login();
    const err = await c.variables.deleteGroup(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(srv.logins).toHaveLength(1);
    srv.rotateCsrf();
    const created = await c.replists.createList({ name: 'x', type: 'ip', color: '1' });
    expect(created.id).toBe(9);
    expect(srv.logins).toHaveLength(2);
    expect(srv.fake.requests.at(-1)?.headers.get('x-csrftoken')).toBe('csrf-2-xyz-e1');
  });

  it('logout ends the session on the server and forgets the credentials', async () => {
    const srv = sessionServer();
    const c = new PTNADClient(BASE, { fetch: srv.fake.fetch, auth: local });
    await c.login();
    await c.logout();
    expect(srv.live.size).toBe(0);
    expect(c.isLoggedIn).toBe(false);
    const last = srv.fake.requests.at(-1);
    expect(last?.url.pathname).toBe('/api/v2/auth/logout');
    expect(last?.headers.get('x-csrftoken')).toBe('csrf-1-xyz-e0');
    // No credentials any more: the next request goes out without a session and fails.
    await expect(c.replists.getLists()).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('auth edge cases', () => {
  it('logout after the session already expired resolves (nothing left to end)', async () => {
    const srv = sessionServer();
    const c = new PTNADClient(BASE, { fetch: srv.fake.fetch, auth: local });
    await c.login();
    srv.expireAll();
    await expect(c.logout()).resolves.toBeUndefined();
    expect(c.isLoggedIn).toBe(false);
  });

  it('setAuth during a login in flight: the old login does not count, the next call uses the new credentials', async () => {
    const srv = sessionServer();
    const c = new PTNADClient(BASE, { fetch: srv.fake.fetch, auth: { ...local, password: 'wrong-one-111' } });
    const first = c.login().catch((e: unknown) => e);
    c.setAuth(local);
    expect(await first).toBeInstanceOf(AuthenticationError);
    await c.replists.getLists();
    expect(c.isLoggedIn).toBe(true);
    expect(JSON.parse(srv.logins.at(-1)?.body ?? '{}').password).toBe('S3cret!pass');
  });

  it('without credentials a request goes out unauthenticated and the 401 says so', async () => {
    const srv = sessionServer();
    const c = new PTNADClient(BASE, { fetch: srv.fake.fetch });
    const err = await c.replists.getLists().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toMatch(/^Failed to get reputation lists: 401 Unauthorized: /);
    await expect(c.login()).rejects.toThrow(/no credentials configured/);
  });
});

describe('bearer auth', () => {
  it('SSO posts exactly the password-grant form, with amr=ldap for LDAP users', async () => {
    const fake = fakeFetch((req) => {
      if (req.url.pathname === '/connect/token') return json({ access_token: 'tok-123456', token_type: 'Bearer' });
      return json({ status: 'green', problems: [] });
    });
    const c = new PTNADClient(BASE, {
      fetch: fake.fetch,
      auth: {
        type: 'sso',
        ssoUrl: 'https://iam.test:3334/',
        clientId: 'ptnad',
        clientSecret: 'client-secret-1',
        username: 'ivan',
        password: 'p@ss word&=1',
        ssoType: 'ldap',
      },
    });
    await c.monitoring.getStatus();
    const token = fake.requests[0];
    expect(token?.url.toString()).toBe('https://iam.test:3334/connect/token');
    expect(token?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token?.body ?? ''))).toEqual({
      client_id: 'ptnad',
      client_secret: 'client-secret-1',
      grant_type: 'password',
      response_type: 'code id_token',
      scope: 'openid profile offline_access authorization ptnad.api',
      username: 'ivan',
      password: 'p@ss word&=1',
      amr: 'ldap',
    });
    expect(fake.requests[1]?.headers.get('authorization')).toBe('Bearer tok-123456');
    expect(fake.requests[1]?.url.pathname).toBe('/api/v2/monitoring/status');
  });

  it('API keys are bearer tokens, verified with monitoring/status', async () => {
    const fake = fakeFetch(() => json({ status: 'green', problems: [] }));
    const c = new PTNADClient(BASE, { fetch: fake.fetch, auth: { type: 'apikey', apikey: 'key-0123456789' } });
    await c.login();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers.get('authorization')).toBe('Bearer key-0123456789');
    expect(fake.requests[0]?.headers.get('cookie')).toBeNull();
  });

  it('rejects incomplete auth configs before sending anything', () => {
    const c = new PTNADClient(BASE);
    expect(() => c.setAuth({ type: 'local', username: 'a', password: '' })).toThrow(/auth.password is required/);
    expect(() =>
      c.setAuth({ type: 'sso', ssoUrl: 'iam', clientId: 'a', clientSecret: 'b', username: 'c', password: 'd' }),
    ).toThrow(/ssoUrl must be an http\(s\) URL/);
    expect(() => c.setAuth({ type: 'nope' } as never)).toThrow(ValidationError);
  });
});
