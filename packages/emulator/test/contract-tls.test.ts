// --tls: the shipped self-signed certificate, CA pinning with undici, Secure cookies and Django's Referer check.
import { type Emulator, TEST_CERT_PATH } from 'ptnad-emulator';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmall } from './helpers.js';

let emu: Emulator;
let agent: Agent;

beforeAll(async () => {
  emu = await startSmall({ flows: 200, tls: true });
  agent = new Agent({ connect: { ca: emu.caPem } });
});
afterAll(async () => {
  await agent.close();
  await emu.close();
});

function tlsFetch(path: string, init: Parameters<typeof undiciFetch>[1] = {}) {
  return undiciFetch(`${emu.url}${path}`, { ...init, dispatcher: agent });
}

describe('TLS', () => {
  it('serves https with the test-only certificate and exposes its PEM and path', () => {
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(emu.certPath).toBe(TEST_CERT_PATH);
  });

  it('is rejected by the default fetch and accepted with the CA pinned', async () => {
    await expect(fetch(`${emu.url}/api/v2/monitoring/status`)).rejects.toThrow();
    const res = await tlsFetch('/api/v2/monitoring/status', {
      headers: { Authorization: `Bearer ${emu.credentials.apiKey}` },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('marks cookies Secure and enforces a same-origin Referer on unsafe session requests', async () => {
    const login = await tlsFetch('/api/v2/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'administrator', password: 'Administr@t0r' }),
    });
    expect(login.status).toBe(200);
    const setCookies = login.headers.getSetCookie();
    expect(setCookies.every((c) => c.includes('; Secure'))).toBe(true);
    const jar = Object.fromEntries(setCookies.map((c) => (c.split(';')[0] ?? '').split('=') as [string, string]));
    const headers = {
      Cookie: `sessionid=${jar.sessionid}; csrftoken=${jar.csrftoken}`,
      'X-CSRFToken': jar.csrftoken ?? '',
    };
    const post = (extra: Record<string, string>) =>
      tlsFetch('/api/v2/signatures/rollback', { method: 'POST', headers: { ...headers, ...extra } }).then(
        async (r) => ({
          status: r.status,
          body: (await r.json()) as { detail?: string },
        }),
      );
    expect(await post({})).toEqual({
      status: 403,
      body: { detail: 'CSRF Failed: Referer checking failed - no Referer.' },
    });
    const evil = await post({ Referer: 'https://evil.example/' });
    expect(evil.body.detail).toMatch(/https:\/\/evil\.example does not match any trusted origins/);
    const insecure = await post({ Referer: `${emu.url.replace('https', 'http')}/api/v2/` });
    expect(insecure.body.detail).toMatch(/Referer is insecure/);
    expect((await post({ Referer: `${emu.url}/api/v2/` })).status).toBe(200);
    expect((await post({ Referer: `${emu.url}/` })).status).toBe(200);
  });
});
