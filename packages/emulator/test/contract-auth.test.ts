// Auth, CSRF and permissions, generated from the declarative route table, plus login/IAM/API-key/Basic flows.
import { type Emulator, ROUTES } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, body, SessionClient, samplePath, startSmall } from './helpers.js';

let emu: Emulator;
let admin: SessionClient;
let analyst: SessionClient;

beforeAll(async () => {
  emu = await startSmall({ sessionTtl: 600 });
  admin = await SessionClient.login(emu.url, 'administrator', 'Administr@t0r');
  analyst = await SessionClient.login(emu.url, 'analyst', 'Analyst@123');
});
afterAll(() => emu.close());

const protectedRoutes = ROUTES.filter((r) => r.auth === 'required');
const unsafeRoutes = protectedRoutes.filter((r) => r.unsafe);
const writeRoutes = protectedRoutes.filter((r) => r.write);

describe('route table', () => {
  it('covers every endpoint of the reference catalogue', () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(43);
    const keys = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    for (const k of [
      'POST /api/v2/bql',
      'GET /api/v2/hosts',
      'POST /connect/token',
      'POST /api/v2/replists/dynamic/:key/_delete',
    ]) {
      expect(keys.has(k)).toBe(true);
    }
    expect(keys.size).toBe(ROUTES.length);
  });
});

describe.each(protectedRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
  it('is 401 without credentials', async () => {
    const res = await fetch(`${emu.url}${samplePath(route.path)}`, { method: route.method });
    expect(res.status).toBe(401);
    expect(await body(res)).toEqual({ detail: 'Authentication credentials were not provided.' });
  });
  it('is 401 with a wrong bearer token', async () => {
    const res = await fetch(`${emu.url}${samplePath(route.path)}`, {
      method: route.method,
      headers: { Authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });
});

describe.each(unsafeRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s (unsafe)', (_name, route) => {
  it('is 403 for a session without X-CSRFToken', async () => {
    const { status, body: b } = await admin.json(route.method, samplePath(route.path), { csrf: false });
    expect(status).toBe(403);
    expect((b as { detail: string }).detail).toMatch(/^CSRF Failed: CSRF token missing/);
  });
  it('is 403 for a session with a wrong X-CSRFToken', async () => {
    const { status, body: b } = await admin.json(route.method, samplePath(route.path), {
      csrf: false,
      headers: { 'X-CSRFToken': 'wrong' },
    });
    expect(status).toBe(403);
    expect((b as { detail: string }).detail).toMatch(/CSRF token incorrect/);
  });
});

describe.each(writeRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s (write)', (_name, route) => {
  it('is 403 for the read-only analyst', async () => {
    const { status, body: b } = await analyst.json(route.method, samplePath(route.path), { json: {} });
    expect(status).toBe(403);
    expect(b).toEqual({ detail: 'You do not have permission to perform this action.' });
  });
});

describe('local login', () => {
  it('sets csrftoken (readable) and sessionid (HttpOnly) cookies', async () => {
    const res = await fetch(`${emu.url}/api/v2/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'administrator', password: 'Administr@t0r' }),
    });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    const csrf = cookies.find((c) => c.startsWith('csrftoken='));
    const session = cookies.find((c) => c.startsWith('sessionid='));
    expect(csrf).toMatch(/Path=\/; SameSite=Lax/);
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(session).toMatch(/HttpOnly/);
    expect(session).not.toMatch(/Secure/);
  });
  it('rejects a wrong password with 401 and missing fields with 400', async () => {
    const bad = await fetch(`${emu.url}/api/v2/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'administrator', password: 'nope' }),
    });
    expect(bad.status).toBe(401);
    expect(JSON.stringify(await body(bad))).not.toContain('nope');
    const missing = await fetch(`${emu.url}/api/v2/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'administrator' }),
    });
    expect(missing.status).toBe(400);
    expect(await body(missing)).toEqual({ password: ['This field is required.'] });
  });
  it('refuses local login for the directory user', async () => {
    await expect(SessionClient.login(emu.url, 'ldap.user', 'Ld@pUser1')).rejects.toThrow(/403/);
  });
  it('lets the session read, write with CSRF, and ends it at logout', async () => {
    const s = await SessionClient.login(emu.url, 'administrator', 'Administr@t0r');
    expect((await s.json('GET', '/api/v2/monitoring/status')).status).toBe(200);
    const created = await s.json('POST', '/api/v2/replists', { json: { name: 'auth-test', type: 'ip', color: '1' } });
    expect(created.status).toBe(201);
    const out = await s.request('POST', '/api/v2/auth/logout');
    expect(out.status).toBe(204);
    expect(s.cookies.has('sessionid')).toBe(false);
    expect((await s.json('GET', '/api/v2/monitoring/status')).status).toBe(401);
  });
  it('expires sessions after sessionTtl (clock advanced, no sleeping)', async () => {
    const s = await SessionClient.login(emu.url, 'analyst', 'Analyst@123');
    expect((await s.json('GET', '/api/v2/sensors')).status).toBe(200);
    emu.advanceClock(601_000);
    const after = await s.json('GET', '/api/v2/sensors');
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ detail: 'Session is invalid or has expired; log in again.' });
  });
  it('checks Origin when the client sends one', async () => {
    const s = await SessionClient.login(emu.url, 'administrator', 'Administr@t0r');
    const res = await s.json('POST', '/api/v2/signatures/rollback', { headers: { Origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect((res.body as { detail: string }).detail).toMatch(/Origin checking failed/);
  });
});

function tokenRequest(url: string, fields: Record<string, string>) {
  return fetch(`${url}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

const IAM = {
  client_id: 'ptnad',
  client_secret: 'ptnad-emulator-iam-secret',
  grant_type: 'password',
  response_type: 'code id_token',
  scope: 'openid profile offline_access authorization ptnad.api',
};

describe('IAM /connect/token', () => {
  it('issues a bearer token that works without CSRF', async () => {
    const res = await tokenRequest(emu.url, { ...IAM, username: 'administrator', password: 'Administr@t0r' });
    expect(res.status).toBe(200);
    const token = (await res.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(token.token_type).toBe('Bearer');
    expect(token.expires_in).toBe(600);
    expect(token.scope).toContain('ptnad.api');
    const call = bearer(emu.url, token.access_token);
    expect((await call('GET', '/api/v2/monitoring/status')).status).toBe(200);
    expect((await call('POST', '/api/v2/signatures/rollback')).status).toBe(200);
  });
  it('accepts the directory user only with amr=ldap', async () => {
    const ok = await tokenRequest(emu.url, { ...IAM, username: 'ldap.user', password: 'Ld@pUser1', amr: 'ldap' });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const no = await tokenRequest(emu.url, { ...IAM, username: 'ldap.user', password: 'Ld@pUser1' });
    expect(no.status).toBe(400);
    expect(await body(no)).toEqual({ error: 'invalid_grant', error_description: 'Invalid username or password.' });
  });
  it('answers OAuth2 errors for a bad client, scope, grant type and content type', async () => {
    const badClient = await tokenRequest(emu.url, {
      ...IAM,
      client_secret: 'x',
      username: 'administrator',
      password: 'Administr@t0r',
    });
    expect(badClient.status).toBe(401);
    expect(((await body(badClient)) as { error: string }).error).toBe('invalid_client');
    const badScope = await tokenRequest(emu.url, {
      ...IAM,
      scope: 'openid',
      username: 'administrator',
      password: 'Administr@t0r',
    });
    expect(((await body(badScope)) as { error: string }).error).toBe('invalid_scope');
    const badGrant = await tokenRequest(emu.url, { ...IAM, grant_type: 'client_credentials' });
    expect(((await body(badGrant)) as { error: string }).error).toBe('unsupported_grant_type');
    const json = await fetch(`${emu.url}/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(((await body(json)) as { error: string }).error).toBe('invalid_request');
  });
  it('expires tokens after the TTL', async () => {
    const res = await tokenRequest(emu.url, { ...IAM, username: 'analyst', password: 'Analyst@123' });
    const { access_token } = (await res.json()) as { access_token: string };
    const call = bearer(emu.url, access_token);
    expect((await call('GET', '/api/v2/sensors')).status).toBe(200);
    expect((await call('POST', '/api/v2/replists', { name: 'x', type: 'ip' })).status).toBe(403);
    emu.advanceClock(601_000);
    expect((await call('GET', '/api/v2/sensors')).status).toBe(401);
  });
});

describe('API key and HTTP Basic', () => {
  it('accepts the API key as a bearer token', async () => {
    const call = bearer(emu.url, emu.credentials.apiKey);
    expect((await call('GET', '/api/v2/monitoring/triggers')).status).toBe(200);
  });
  it('accepts HTTP Basic for local accounts (GUESS) and rejects wrong passwords', async () => {
    const basic = (u: string, p: string) =>
      fetch(`${emu.url}/api/v2/monitoring/status`, {
        headers: { Authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` },
      });
    const ok = await basic('administrator', 'Administr@t0r');
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const bad = await basic('administrator', 'wrong');
    expect(bad.status).toBe(401);
    await bad.arrayBuffer();
  });
});
