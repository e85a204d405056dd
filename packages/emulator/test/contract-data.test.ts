// Read routes over the dataset: monitoring, BQL, filters/compile, flow and alert detail, sources, sensors, hosts.
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, body, startSmall, walk } from './helpers.js';

let emu: Emulator;
let call: ReturnType<typeof bearer>;

beforeAll(async () => {
  emu = await startSmall();
  call = bearer(emu.url, emu.credentials.apiKey);
});
afterAll(() => emu.close());

function bql(text: string, source?: string, contentType = 'text/plain') {
  const q = source === undefined ? '' : `?source=${source}`;
  return fetch(`${emu.url}/api/v2/bql${q}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emu.credentials.apiKey}`, 'Content-Type': contentType },
    body: text,
  }).then(async (res) => ({ status: res.status, body: (await body(res)) as Record<string, unknown> }));
}

describe('monitoring', () => {
  it('renders the status from the triggers (worst colour; non-green problems)', async () => {
    const triggers = (await call('GET', '/api/v2/monitoring/triggers')).body as {
      results: Array<{ id: string; status: string; template: string }>;
    };
    expect(triggers.results.length).toBeGreaterThan(10);
    const status = (await call('GET', '/api/v2/monitoring/status')).body as {
      status: string;
      problems: Array<{ template: string }>;
    };
    const nonGreen = triggers.results.filter((t) => t.status !== 'green');
    expect(status.problems.map((p) => p.template)).toEqual(nonGreen.map((t) => t.template));
    const rank = ['green', 'unknown', 'yellow', 'red'];
    const worst = triggers.results.reduce((w, t) => (rank.indexOf(t.status) > rank.indexOf(w) ? t.status : w), 'green');
    expect(status.status).toBe(worst);
  });
});

describe('bql', () => {
  it('runs a query on the live source by default and reports total beyond the page', async () => {
    const r = await bql('SELECT id, src.ip, dst.port FROM flow LIMIT 5');
    expect(r.status).toBe(200);
    const result = r.body.result as unknown[][];
    expect(result.length).toBe(5);
    expect(result[0]?.length).toBe(3);
    expect(r.body.total).toBe(3000);
    expect(typeof r.body.took).toBe('number');
  });
  it('queries a saved storage only over its flows', async () => {
    const sources = (await call('GET', '/api/v2/sources')).body as { results: Array<{ id: number; is_live: boolean }> };
    const saved = sources.results.find((s) => !s.is_live);
    expect(saved).toBeDefined();
    const r = await bql('SELECT id FROM flow', String(saved?.id));
    expect(r.status).toBe(200);
    expect(r.body.total as number).toBeLessThan(3000);
  });
  it('answers {"error"} with a position for a malformed query (200 by default, see behaviour variants)', async () => {
    const r = await bql('SELECT id FROM flow WHERE (dst.port == ');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['error']);
    expect(String(r.body.error)).toMatch(/\d/);
  });
  it('rejects an unknown source (404), a bad source and an empty body ({"error"}, 200 by default) and JSON (415)', async () => {
    expect((await bql('SELECT id FROM flow', '999')).status).toBe(404);
    expect(await bql('SELECT id FROM flow', 'abc')).toMatchObject({ status: 200, body: { error: expect.any(String) } });
    expect(await bql('   ')).toMatchObject({ status: 200, body: { error: expect.any(String) } });
    expect((await bql('{}', undefined, 'application/json')).status).toBe(415);
  });
});

describe('filters/compile', () => {
  it('returns the canonical fragment and 400 for a bad filter', async () => {
    const ok = await call('POST', '/api/v2/filters/compile', { user_filter: "app_proto == 'dns' && dst.port != 53" });
    expect(ok.status).toBe(200);
    expect(typeof (ok.body as { compiled_filter: string }).compiled_filter).toBe('string');
    const bad = await call('POST', '/api/v2/filters/compile', { user_filter: 'app_proto ==' });
    expect(bad.status).toBe(400);
    const missing = await call('POST', '/api/v2/filters/compile', {});
    expect(missing.body).toEqual({ user_filter: ['This field is required.'] });
  });
});

describe('flow and alert detail', () => {
  it('returns a flow by id and 404 outside the window or storage', async () => {
    const r = await bql('SELECT id, start FROM flow WHERE alert LIMIT 1');
    const [id] = (r.body.result as string[][])[0] ?? [];
    const flow = (await call('GET', `/api/v2/flow/${id}?source=2`)).body as {
      id: string;
      alert: Array<{ id: string }>;
    };
    expect(flow.id).toBe(id);
    expect((await call('GET', `/api/v2/flow/${id}?start=0&end=1`)).status).toBe(404);
    expect((await call('GET', '/api/v2/flow/NoSuchFlowIdNoSuchFlow')).status).toBe(404);
    expect((await call('GET', `/api/v2/flow/${id}?start=yesterday`)).status).toBe(400);
    const alertId = flow.alert[0]?.id;
    const alert = (await call('GET', `/api/v2/flow/${id}/alert/${alertId}?source=2`)).body as {
      id: string;
      parent: string;
      signature: { rule: string };
    };
    expect(alert).toMatchObject({ id: alertId, parent: id });
    expect(alert.signature.rule).toMatch(/sid:\s*\d+/);
    expect((await call('GET', `/api/v2/flow/${id}/alert/nope`)).status).toBe(404);
  });
});

describe('sources', () => {
  it('lists storages in an envelope with the live storage 2 and shows details', async () => {
    const page = (await call('GET', '/api/v2/sources')).body as {
      count: number;
      results: Array<{ id: number; is_live: boolean }>;
    };
    expect(page.count).toBe(page.results.length);
    expect(page.results.find((s) => s.id === 2)?.is_live).toBe(true);
    const live = (await call('GET', '/api/v2/sources/2')).body as Record<string, unknown>;
    for (const k of [
      'id',
      'name',
      'description',
      'start',
      'end',
      'last_import',
      'created',
      'modified',
      'files_count',
      'volume',
      'is_live',
    ]) {
      expect(live).toHaveProperty(k);
    }
    expect(live).not.toHaveProperty('flowIds');
    expect((await call('GET', '/api/v2/sources/12345')).status).toBe(404);
  });
});

describe('sensors', () => {
  it('lists sensors and shows one', async () => {
    const page = (await call('GET', '/api/v2/sensors')).body as { results: Array<{ id: number }> };
    expect(page.results.length).toBeGreaterThan(0);
    const id = page.results[0]?.id;
    expect((await call('GET', `/api/v2/sensors/${id}`)).body).toMatchObject({ id });
    expect((await call('GET', '/api/v2/sensors/9999')).status).toBe(404);
  });
});

describe('hosts', () => {
  interface Host {
    id: number;
    ip: Array<{ ip: string }>;
    last_seen: string;
  }

  it('serves limit/offset first, then an opaque cursor, yielding each host exactly once', async () => {
    const first = (await call('GET', '/api/v2/hosts?limit=25')).body as {
      count: number;
      next: string;
      results: Host[];
    };
    expect(first.results.length).toBe(25);
    const nextUrl = new URL(first.next);
    expect(nextUrl.searchParams.get('cursor')).toBeTruthy();
    expect(nextUrl.searchParams.has('offset')).toBe(false);
    const all = await walk<Host>(`${emu.url}/api/v2/hosts?limit=25`, (u) => call('GET', u));
    expect(all.length).toBe(first.count);
    expect(new Set(all.map((h) => h.id)).size).toBe(all.length);
    const lastSeen = all.map((h) => h.last_seen);
    expect(lastSeen).toEqual([...lastSeen].sort().reverse());
    expect((await call('GET', '/api/v2/hosts?cursor=garbage')).body).toEqual({ detail: 'Invalid cursor' });
    // The cursor remembers its ordering, so a client that drops `ordering` on later pages still sees each host once.
    const byId = await walk<Host>(`${emu.url}/api/v2/hosts?limit=40&ordering=id`, (u) => {
      const next = new URL(u);
      if (next.searchParams.has('cursor')) next.searchParams.delete('ordering');
      return call('GET', next.href);
    });
    expect(byId.map((h) => h.id)).toEqual(all.map((h) => h.id).sort((a, b) => a - b));
  });

  it('filters by host, orders and trims history', async () => {
    const page = (await call('GET', '/api/v2/hosts?limit=1')).body as { results: Host[] };
    const host = page.results[0] as Host;
    const ip = host.ip[0]?.ip ?? '';
    const found = (await call('GET', `/api/v2/hosts?host=${ip}&limit=1000`)).body as { results: Host[] };
    expect(found.results.map((h) => h.id)).toContain(host.id);
    const byId = (await call('GET', '/api/v2/hosts?ordering=id&limit=1000')).body as { results: Host[] };
    const ids = byId.results.map((h) => h.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const byIp = (await call('GET', '/api/v2/hosts?ordering=ip&limit=1000')).body as { results: Host[] };
    const v4 = byIp.results.map((h) => h.ip[0]?.ip ?? '').filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip));
    const asNumber = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    expect(v4.map(asNumber)).toEqual(v4.map(asNumber).sort((a, b) => a - b));
    const one = (await call('GET', `/api/v2/hosts/${host.id}?history_depth=1`)).body as Host;
    expect(one.ip.length).toBeLessThanOrEqual(1);
    expect((await call('GET', '/api/v2/hosts/999999')).status).toBe(404);
    expect((await call('GET', '/api/v2/hosts?history_depth=x')).status).toBe(400);
  });
});
