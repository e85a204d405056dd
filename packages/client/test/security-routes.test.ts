/**
 * Security: generated from the emulator's declarative route table (`emu.routes`), so a route added there is
 * covered here without editing this file. Every API route without credentials is 401; every unsafe route of a
 * cookie session without the CSRF token is 403; the read-only user gets 403 on every write route, while the
 * administrator does not (so the 403 comes from the role, not from a broken route).
 */
import { type Emulator, ROUTES, type RouteSpec } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, emulator } from './helpers/emulator.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await emulator({ flows: 100 });
});
afterAll(async () => {
  await emu.close();
});

// Placeholder values for `:params`: authentication and permissions are decided before any handler reads them.
const SAMPLE: Record<string, string> = { id: '1', key: 'no-such-list', value: '192.0.2.1', name: 'NO_SUCH_VAR' };

function concretePath(route: RouteSpec): string {
  return route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(SAMPLE[name] ?? 'x'));
}

const label = (r: RouteSpec) => `${r.method} ${r.path}`;

/** Sends one request to a route with the given headers and a small JSON body on unsafe methods. */
async function send(route: RouteSpec, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(`${emu.url}${concretePath(route)}`, {
    method: route.method,
    headers: route.unsafe ? { 'content-type': 'application/json', ...headers } : headers,
    ...(route.unsafe ? { body: '{}' } : {}),
    redirect: 'manual',
  });
  return { status: res.status, body: await res.text() };
}

/** Logs in with a password and returns the cookie header and the CSRF token. */
async function session(role: 'admin' | 'readonly'): Promise<{ cookie: string; csrf: string }> {
  const user = account(emu, role);
  const res = await fetch(`${emu.url}/api/v2/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  expect(res.status).toBe(200);
  const jar = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  const csrf = jar.get('csrftoken') ?? '';
  expect(csrf).not.toBe('');
  expect(jar.get('sessionid') ?? '').not.toBe('');
  return { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), csrf };
}

describe('the route table', () => {
  it('is the real table: the running emulator serves it, and every group of the API is in it', () => {
    expect(emu.routes).toBe(ROUTES);
    const keys = new Set(emu.routes.map(label));
    expect(emu.routes.length).toBeGreaterThan(30);
    for (const key of [
      'POST /api/v2/bql',
      'GET /api/v2/monitoring/status',
      'POST /api/v2/replists/dynamic/:key/_bulk',
      'POST /api/v2/sources/save',
      'POST /connect/token',
    ]) {
      expect(keys.has(key)).toBe(true);
    }
  });
});

describe('no credentials: 401 on every non-public route', () => {
  it.each(routesWhere((r) => r.auth === 'required'))('$method $path', async (route) => {
    const res = await send(route, {});
    expect(res.status, `${label(route)} -> ${res.body}`).toBe(401);
  });
});

describe('cookie session without the CSRF token: 403 on every unsafe route', () => {
  let admin: { cookie: string; csrf: string };
  beforeAll(async () => {
    admin = await session('admin');
  });
  it.each(routesWhere((r) => r.auth === 'required' && r.unsafe))('$method $path', async (route) => {
    const res = await send(route, { cookie: admin.cookie });
    expect(res.status, `${label(route)} -> ${res.body}`).toBe(403);
    expect(res.body).toMatch(/CSRF Failed/);
  });
});

describe('read-only user: 403 on every write route (with a valid CSRF token)', () => {
  let analyst: { cookie: string; csrf: string };
  beforeAll(async () => {
    analyst = await session('readonly');
  });
  it.each(routesWhere((r) => r.write))('$method $path', async (route) => {
    const res = await send(route, { cookie: analyst.cookie, 'x-csrftoken': analyst.csrf });
    expect(res.status, `${label(route)} -> ${res.body}`).toBe(403);
    expect(res.body).not.toMatch(/CSRF/);
  });

  it('the same read-only session may read: every GET route answers something other than 401/403', async () => {
    for (const route of emu.routes.filter((r) => r.method === 'GET' && r.auth === 'required')) {
      const res = await send(route, { cookie: analyst.cookie });
      expect([401, 403], `${label(route)} -> ${res.status}`).not.toContain(res.status);
    }
  });
});

describe('control: the administrator is not refused on any write route', () => {
  // Runs last in the file: these requests change the emulator's state.
  it.each(routesWhere((r) => r.write))('$method $path', async (route) => {
    const res = await send(route, { authorization: `Bearer ${emu.credentials.apiKey}` });
    expect([401, 403], `${label(route)} -> ${res.status} ${res.body}`).not.toContain(res.status);
  });
});

/**
 * The routes matching `keep`, read from the package's exported table at collection time (the emulator instance
 * serves the same table: `emu.routes === ROUTES`, asserted below).
 */
function routesWhere(keep: (r: RouteSpec) => boolean): RouteSpec[] {
  return ROUTES.filter(keep);
}
