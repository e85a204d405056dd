// Signature classes and rules (filters in query and JSON body), variables, commit and rollback.
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startSmall, walk } from './helpers.js';

let emu: Emulator;
let call: ReturnType<typeof bearer>;

beforeAll(async () => {
  emu = await startSmall();
  call = bearer(emu.url, emu.credentials.apiKey);
});
afterAll(() => emu.close());

interface Rule {
  sid: number;
  msg: string;
  vendor: string;
  enabled: boolean;
  cls: string;
  priority: number;
  diff: string;
}

/** A GET carrying a JSON body, as the Python client sends rule filters (fetch forbids it, so use node:http). */
async function getWithBody(path: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  const { request } = await import('node:http');
  const url = new URL(`${emu.url}${path}`);
  const data = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers: {
          Authorization: `Bearer ${emu.credentials.apiKey}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(data),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('signature classes', () => {
  it('lists the 49 real classes with titles and priorities', async () => {
    const page = (await call('GET', '/api/v2/signatures/classes?limit=100')).body as {
      count: number;
      results: Array<{ title: string; priority: number }>;
    };
    expect(page.count).toBe(49);
    expect(page.results).toContainEqual(expect.objectContaining({ title: 'Network scan', priority: 3 }));
    const filtered = (await call('GET', '/api/v2/signatures/classes?priority=1')).body as {
      results: Array<{ priority: number }>;
    };
    expect(filtered.results.length).toBeGreaterThan(0);
    expect(filtered.results.every((c) => c.priority === 1)).toBe(true);
  });
});

describe('signature rules', () => {
  it('pages through hundreds of rules of both vendors exactly once', async () => {
    const rules = await walk<Rule>(`${emu.url}/api/v2/signatures/rules?limit=100`, (u) => call('GET', u));
    expect(rules.length).toBeGreaterThanOrEqual(200);
    expect(new Set(rules.map((r) => r.sid)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.vendor))).toEqual(new Set(['ETOpen', 'PTSecurity']));
  });

  it('filters by query parameters and by a JSON body on GET', async () => {
    const q = (await call('GET', '/api/v2/signatures/rules?vendor=PTSecurity&enabled=true&limit=1000')).body as {
      results: Rule[];
    };
    expect(q.results.length).toBeGreaterThan(0);
    expect(q.results.every((r) => r.vendor === 'PTSecurity' && r.enabled)).toBe(true);
    const some = q.results.slice(0, 3).map((r) => r.sid);
    const b = await getWithBody('/api/v2/signatures/rules', { filter: { sid: some, vendor: ['PTSecurity'] } });
    expect(b.status).toBe(200);
    expect((b.body as { results: Rule[] }).results.map((r) => r.sid).sort()).toEqual([...some].sort());
    const range = await getWithBody('/api/v2/signatures/rules?limit=1000', {
      filter: { sid__gte: some[0], sid__lt: (some[0] ?? 0) + 1 },
    });
    expect((range.body as { results: Rule[] }).results.map((r) => r.sid)).toEqual([some[0]]);
    const cls = await getWithBody('/api/v2/signatures/rules?limit=1000', {
      filter: { priority: 2, cls: q.results[0]?.cls },
    });
    expect((cls.body as { results: Rule[] }).results.every((r) => r.priority >= 2 && r.cls === q.results[0]?.cls)).toBe(
      true,
    );
    const bad = await getWithBody('/api/v2/signatures/rules', { filter: { colour: 'red' } });
    expect(bad.status).toBe(400);
    expect((bad.body as { filter: string[] }).filter[0]).toMatch(/^colour: unknown filter key/);
  });
});

describe('rule changes, commit and rollback', () => {
  it('keeps a rule change pending until commit and changes the hashsum', async () => {
    const before = (await call('GET', '/api/v2/signatures/stats')).body as { hashsum: string; pending_changes: number };
    expect(before.pending_changes).toBe(0);
    const rules = (await call('GET', '/api/v2/signatures/rules?enabled=true&limit=1')).body as { results: Rule[] };
    const sid = rules.results[0]?.sid;
    const patched = await call('PATCH', `/api/v2/signatures/rules/${sid}`, { enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ sid, enabled: false, diff: '*' });
    expect(((await call('GET', '/api/v2/signatures/stats')).body as { pending_changes: number }).pending_changes).toBe(
      1,
    );
    const commit = await call('POST', '/api/v2/signatures/commit');
    expect(commit.status).toBe(200);
    const { hashsum } = commit.body as { hashsum: string };
    expect(hashsum).toMatch(/^[0-9a-f]{64}$/);
    expect(hashsum).not.toBe(before.hashsum);
    const after = (await call('GET', `/api/v2/signatures/rules/${sid}`)).body as Rule;
    expect(after.enabled).toBe(false);
    expect(after.diff).not.toBe('*');
    const sensors = (await call('GET', '/api/v2/sensors')).body as { results: Array<{ rules_hashsum: string }> };
    expect(sensors.results.every((s) => s.rules_hashsum === hashsum)).toBe(true);
  });

  it('discards pending changes on rollback', async () => {
    const rules = (await call('GET', '/api/v2/signatures/rules?enabled=true&limit=1')).body as { results: Rule[] };
    const rule = rules.results[0] as Rule;
    await call('PATCH', `/api/v2/signatures/rules/${rule.sid}`, { msg: 'renamed by a test', enabled: false });
    expect((await call('POST', '/api/v2/signatures/rollback')).status).toBe(200);
    expect((await call('GET', `/api/v2/signatures/rules/${rule.sid}`)).body).toMatchObject({
      msg: rule.msg,
      enabled: true,
    });
  });

  it('validates rule patches', async () => {
    const r = await call('PATCH', '/api/v2/signatures/rules/1', {});
    expect(r.status).toBe(404);
    const rules = (await call('GET', '/api/v2/signatures/rules?limit=1')).body as { results: Rule[] };
    const bad = await call('PATCH', `/api/v2/signatures/rules/${rules.results[0]?.sid}`, {
      enabled: 'yes',
      action: 'explode',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body as object).sort()).toEqual(['action', 'enabled']);
  });
});

describe('variables', () => {
  interface Variable {
    id: number;
    name: string;
    type: string;
    value: string;
  }

  it('lists HOME_NET and EXTERNAL_NET and searches by name', async () => {
    const all = (await call('GET', '/api/v2/variables?limit=1000')).body as { results: Variable[] };
    const names = all.results.map((v) => v.name);
    expect(names).toContain('HOME_NET');
    expect(names).toContain('EXTERNAL_NET');
    const found = (await call('GET', '/api/v2/variables?search=home_net')).body as { results: Variable[] };
    expect(found.results.map((v) => v.name)).toContain('HOME_NET');
  });

  it('creates, updates and deletes groups; an uncommitted group deletes with 204, a committed one needs a commit', async () => {
    const created = await call('POST', '/api/v2/variables', {
      name: 'TEST_NET',
      type: 'ip',
      value: '[10.1.0.0/16, 10.2.0.1]',
    });
    expect(created.status).toBe(201);
    const v = created.body as Variable;
    expect((await call('PATCH', `/api/v2/variables/${v.id}`, { comment: 'x' })).status).toBe(200);
    expect((await call('DELETE', `/api/v2/variables/${v.id}`)).status).toBe(204);
    const again = (
      await call('POST', '/api/v2/variables', { name: 'TEST_PORTS', type: 'port', value: '[80, 8000:8080]' })
    ).body as Variable;
    expect((await call('POST', '/api/v2/signatures/commit')).status).toBe(200);
    const del = await call('DELETE', `/api/v2/variables/${again.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ commit_required: true });
    expect((await call('POST', '/api/v2/signatures/rollback')).status).toBe(200);
    expect((await call('GET', `/api/v2/variables/${again.id}`)).body).toMatchObject({ name: 'TEST_PORTS' });
  });

  it('fails the commit with fatal_error/other_errors for an invalid value, and keeps it pending', async () => {
    const bad = (await call('POST', '/api/v2/variables', { name: 'BROKEN_NET', value: '[999.1.1.1, $NO_SUCH_VAR]' }))
      .body as Variable;
    const commit = await call('POST', '/api/v2/signatures/commit');
    expect(commit.status).toBe(400);
    expect(commit.body).toEqual({
      fatal_error: 'Variable BROKEN_NET: "999.1.1.1" is not an IP address or network.',
      other_errors: ['Variable BROKEN_NET: it references the unknown variable $NO_SUCH_VAR.'],
    });
    expect((await call('GET', `/api/v2/variables/${bad.id}`)).status).toBe(200);
    await call('POST', '/api/v2/signatures/rollback');
    expect((await call('GET', `/api/v2/variables/${bad.id}`)).status).toBe(404);
    expect((await call('POST', '/api/v2/signatures/commit')).status).toBe(200);
  });

  it('rejects bad names and types', async () => {
    const r = await call('POST', '/api/v2/variables', { name: 'HOME_NET', type: 'mac' });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body as object).sort()).toEqual(['name', 'type']);
    expect((await call('GET', '/api/v2/variables/stats')).body).toMatchObject({ commit_required: false });
  });
});
