// Reputation lists: CRUD, validation, search/ordering/pagination, dynamic items by external_key.
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

interface Replist {
  id: number;
  name: string;
  type: string;
  color: string;
  content?: string;
  items_count: number;
  external_key: string | null;
}

describe('replists CRUD', () => {
  it('creates (201), reads with content, patches and deletes (204)', async () => {
    const created = await call('POST', '/api/v2/replists', {
      name: 'crud_test',
      type: 'ip',
      color: '7',
      description: 'made by a test',
      content: '1.1.1.1\n10.0.0.0/8\n\n1.1.1.1',
    });
    expect(created.status).toBe(201);
    const list = created.body as Replist;
    expect(list).toMatchObject({
      name: 'crud_test',
      type: 'ip',
      color: '7',
      items_count: 2,
      content: '1.1.1.1\n10.0.0.0/8',
    });
    const got = await call('GET', `/api/v2/replists/${list.id}`);
    expect(got.body).toMatchObject({ id: list.id, content: '1.1.1.1\n10.0.0.0/8', items_count: 2 });
    const patched = await call('PATCH', `/api/v2/replists/${list.id}`, { description: 'changed', content: '8.8.8.8' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ description: 'changed', content: '8.8.8.8', items_count: 1 });
    expect((await call('DELETE', `/api/v2/replists/${list.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v2/replists/${list.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/v2/replists/${list.id}`)).status).toBe(404);
  });

  it('answers DRF field errors for invalid bodies', async () => {
    const r = await call('POST', '/api/v2/replists', { type: 'ipv9', color: '9' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      name: ['This field is required.'],
      type: ['"ipv9" is not a valid choice.'],
      color: ['"9" is not a valid choice.'],
    });
    const lines = await call('POST', '/api/v2/replists', {
      name: 'bad_lines',
      type: 'md5',
      content: 'abc\nd41d8cd98f00b204e9800998ecf8427e',
    });
    expect(lines.status).toBe(400);
    expect((lines.body as { content: string[] }).content[0]).toMatch(/^line 1: "abc" is not an MD5 hash/);
    const dup = await call('POST', '/api/v2/replists', { name: 'crud_dup', type: 'dn' });
    expect(dup.status).toBe(201);
    const again = await call('POST', '/api/v2/replists', { name: 'crud_dup', type: 'dn' });
    expect(again.body).toEqual({ name: ['replist with this name already exists.'] });
  });

  it('rejects malformed JSON with the position and a wrong content type with 415', async () => {
    const res = await fetch(`${emu.url}/api/v2/replists`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.credentials.apiKey}`, 'Content-Type': 'application/json' },
      body: '{"name": "x",\n "type": }',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(
      /^JSON parse error - line 2 column 10: Unexpected token/,
    );
    const text = await fetch(`${emu.url}/api/v2/replists`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.credentials.apiKey}`, 'Content-Type': 'text/plain' },
      body: 'name=x',
    });
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
  });

  it('returns 404 for unknown ids and 405 for unsupported methods', async () => {
    expect((await call('GET', '/api/v2/replists/999999')).body).toEqual({ detail: 'Not found.' });
    expect((await call('GET', '/api/v2/replists/abc')).status).toBe(404);
    const put = await call('PUT', '/api/v2/replists/1', {});
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('DELETE, GET, PATCH');
    expect((await call('GET', '/api/v2/nothing-here')).status).toBe(404);
  });
});

describe('replists listing', () => {
  it('walks every list exactly once with limit/offset and absolute next links', async () => {
    const first = await call('GET', '/api/v2/replists?limit=7');
    const page = first.body as { count: number; next: string; previous: null };
    expect(page.next).toBe(`${emu.url}/api/v2/replists?limit=7&offset=7`);
    expect(page.previous).toBeNull();
    const all = await walk<Replist>(`${emu.url}/api/v2/replists?limit=7`, (u) => call('GET', u));
    expect(all.length).toBe(page.count);
    expect(new Set(all.map((l) => l.id)).size).toBe(all.length);
    expect(all.every((l) => l.content === undefined)).toBe(true);
    const second = await call('GET', page.next);
    expect((second.body as { previous: string }).previous).toBe(`${emu.url}/api/v2/replists?limit=7`);
  });

  it('searches case-insensitively and orders by an allowed field', async () => {
    const all = (await call('GET', '/api/v2/replists?limit=1000')).body as { results: Replist[] };
    const target = all.results[0];
    expect(target).toBeDefined();
    const found = (
      await call('GET', `/api/v2/replists?search=${encodeURIComponent((target?.name ?? '').toUpperCase())}`)
    ).body as { results: Replist[] };
    expect(found.results.map((l) => l.id)).toContain(target?.id);
    const ordered = (await call('GET', '/api/v2/replists?ordering=-items_count&limit=1000')).body as {
      results: Replist[];
    };
    const counts = ordered.results.map((l) => l.items_count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const bad = await call('GET', '/api/v2/replists?ordering=password');
    expect(bad.status).toBe(400);
    expect((bad.body as { ordering: string[] }).ordering[0]).toMatch(/Unknown ordering field "password"/);
  });

  it('reports stats', async () => {
    const stats = (await call('GET', '/api/v2/replists/stats')).body as {
      count: number;
      by_type: Record<string, number>;
    };
    expect(stats.count).toBeGreaterThan(0);
    expect(Object.keys(stats.by_type).sort()).toEqual(['dn', 'ip', 'md5', 'uri']);
  });
});

describe('dynamic lists', () => {
  const key = 'test-feed/1';
  const base = `/api/v2/replists/dynamic/${encodeURIComponent(key)}`;
  let listId = 0;

  beforeAll(async () => {
    const r = await call('POST', '/api/v2/replists', { name: 'dyn_uri', type: 'uri', color: '3', external_key: key });
    expect(r.status).toBe(201);
    listId = (r.body as Replist).id;
  });

  it('adds a single item whose value holds / ? # : (201, then 200 on update)', async () => {
    const value = 'http://evil.example/a?b=1#frag:2';
    const path = `${base}/${encodeURIComponent(value)}`;
    const first = await call('POST', path, { source: 'test', score: 5 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ value, attrs: { source: 'test', score: '5' } });
    const second = await call('POST', path, {});
    expect(second.status).toBe(200);
    const items = (await call('GET', base)).body as { count: number; results: Array<{ value: string }> };
    expect(items.results.map((i) => i.value)).toEqual([value]);
    const detail = (await call('GET', `/api/v2/replists/${listId}`)).body as Replist;
    expect(detail).toMatchObject({ items_count: 1, content: value });
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('DELETE', path)).status).toBe(404);
  });

  it('bulk-adds (200) and bulk-deletes with both body shapes (204)', async () => {
    const bulk = await call('POST', `${base}/_bulk`, [
      { value: 'a.example/x' },
      { value: 'b.example/y', attrs: { k: 'v' } },
      'c.example/z',
    ]);
    expect(bulk.status).toBe(200);
    expect(bulk.body).toEqual({ added: 3, updated: 0, items_count: 3 });
    expect((await call('POST', `${base}/_delete`, ['a.example/x'])).status).toBe(204);
    expect((await call('POST', `${base}/_delete`, [{ value: 'b.example/y' }, { value: 'not-there' }])).status).toBe(
      204,
    );
    const left = (await call('GET', base)).body as { results: Array<{ value: string }> };
    expect(left.results.map((i) => i.value)).toEqual(['c.example/z']);
  });

  it('validates item values against the list type and bulk bodies per index', async () => {
    await call('POST', '/api/v2/replists', { name: 'dyn_ip', type: 'ip', external_key: 'ip-feed' });
    const bad = await call('POST', `/api/v2/replists/dynamic/ip-feed/${encodeURIComponent('999.1.1.1')}`, {});
    expect(bad.status).toBe(400);
    expect((bad.body as { value: string[] }).value[0]).toMatch(/not an IP address/);
    const bulk = await call('POST', '/api/v2/replists/dynamic/ip-feed/_bulk', [{ value: '1.2.3.4' }, { value: 'x' }]);
    expect(bulk.status).toBe(400);
    expect(bulk.body).toEqual([{}, { value: ['"x" is not an IP address or CIDR network (list type "ip").'] }]);
    expect(((await call('GET', '/api/v2/replists/dynamic/ip-feed')).body as { count: number }).count).toBe(0);
    expect((await call('POST', '/api/v2/replists/dynamic/ip-feed/_delete', { value: 'x' })).status).toBe(400);
    expect((await call('GET', '/api/v2/replists/dynamic/no-such-key')).status).toBe(404);
  });

  it('refuses direct content edits of a dynamic list but accepts its current content back', async () => {
    const r = await call('PATCH', `/api/v2/replists/${listId}`, { content: 'x' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ content: ['The content of a dynamic list is managed through its items API.'] });
    const current = (await call('GET', `/api/v2/replists/${listId}`)).body as Replist;
    const same = await call('PATCH', `/api/v2/replists/${listId}`, { content: current.content, color: '5' });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ color: '5', content: current.content });
  });

  it('seeds a new dynamic list from content and refuses a type change its items do not fit', async () => {
    const r = await call('POST', '/api/v2/replists', {
      name: 'dyn_seeded',
      type: 'ip',
      external_key: 'seeded',
      content: '1.1.1.1\n2.2.2.2',
    });
    expect(r.body).toMatchObject({ items_count: 2, external_key: 'seeded' });
    const items = (await call('GET', '/api/v2/replists/dynamic/seeded')).body as { count: number };
    expect(items.count).toBe(2);
    const change = await call('PATCH', `/api/v2/replists/${(r.body as Replist).id}`, { type: 'md5' });
    expect(change.status).toBe(400);
    expect((change.body as { type: string[] }).type[0]).toBe('The list holds items that are not valid for "md5".');
  });
});

describe('body limits', () => {
  it('answers 413 above maxBodyBytes and pages dynamic items exactly once', async () => {
    const small = await startSmall({ flows: 50, maxBodyBytes: 2048 });
    try {
      const c = bearer(small.url, small.credentials.apiKey);
      expect((await c('POST', '/api/v2/replists', { name: 'limits', type: 'ip', external_key: 'limits' })).status).toBe(
        201,
      );
      const big = Array.from({ length: 200 }, (_, i) => ({ value: `10.0.${Math.floor(i / 250)}.${i % 250}` }));
      const tooBig = await c('POST', '/api/v2/replists/dynamic/limits/_bulk', big);
      expect(tooBig.status).toBe(413);
      expect(tooBig.body).toEqual({ detail: 'Request body is larger than 2048 bytes.' });
      for (let i = 0; i < 5; i++) {
        const chunk = big.slice(i * 40, i * 40 + 40);
        expect((await c('POST', '/api/v2/replists/dynamic/limits/_bulk', chunk)).status).toBe(200);
      }
      const items = await walk<{ value: string }>(
        `${small.url}/api/v2/replists/dynamic/limits?limit=30&ordering=-value`,
        (u) => c('GET', u),
      );
      expect(items.length).toBe(200);
      expect(new Set(items.map((i) => i.value)).size).toBe(200);
    } finally {
      await small.close();
    }
  });
});
