import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PTNADClient, UnexpectedResponseError, ValidationError } from '../src/index.js';
import { fakeFetch, json } from './helpers/fake-fetch.js';

const BASE = 'https://nad.test';

/** A DRF-like limit/offset endpoint over `total` numbered items. */
function offsetServer(total: number) {
  return fakeFetch((req) => {
    const limit = Number(req.url.searchParams.get('limit') ?? 100);
    const offset = Number(req.url.searchParams.get('offset') ?? 0);
    const results = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({
      id: offset + i,
      name: `l${offset + i}`,
    }));
    const nextOffset = offset + limit;
    const next = nextOffset < total ? `${BASE}/api/v2/replists?limit=${limit}&offset=${nextOffset}` : null;
    return json({ count: total, next, previous: null, results });
  });
}

describe('offset pagination', () => {
  it('await gives one page; for await walks every item exactly once', async () => {
    const fake = offsetServer(250);
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const page = await c.replists.getLists({ limit: 100 });
    expect(page.results).toHaveLength(100);
    expect(page.count).toBe(250);
    expect(page.hasNextPage()).toBe(true);
    const ids: number[] = [];
    for await (const list of c.replists.getLists({ limit: 100, search: 'apt' })) ids.push(list.id);
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const last = fake.requests.at(-1);
    expect(last?.url.searchParams.get('offset')).toBe('200');
    expect(last?.url.searchParams.get('search')).toBe('apt');
  });

  it('a page is an array of its items, like the lists of the Python client, with the envelope beside it', async () => {
    const fake = offsetServer(30);
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const page = await c.replists.getLists({ limit: 10 });
    expect(Array.isArray(page)).toBe(true);
    expect(page.length).toBe(10);
    expect(page[0]?.name).toBe('l0');
    expect(page.results).toBe(page);
    const names = page.map((l) => l.name);
    expect(names.constructor).toBe(Array);
    expect(names).toHaveLength(10);
    expect(JSON.parse(JSON.stringify(page))).toHaveLength(10);
    expect([page.count, page.next !== null, page.hasNextPage()]).toEqual([30, true, true]);
  });

  it('for any size and page size, iteration yields each item once and stops', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 25 }), async (total, limit) => {
        const fake = offsetServer(total);
        const c = new PTNADClient(BASE, { fetch: fake.fetch });
        const ids: number[] = [];
        for await (const list of c.replists.getLists({ limit })) ids.push(list.id);
        expect(ids).toEqual(Array.from({ length: total }, (_, i) => i));
        expect(fake.requests).toHaveLength(Math.max(1, Math.ceil(total / limit)));
      }),
      { numRuns: 60 },
    );
  });

  it('toArray needs a cap and stops fetching at it', async () => {
    const fake = offsetServer(1000);
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    await expect(c.replists.getLists().toArray({} as never)).rejects.toThrow(ValidationError);
    await expect(c.replists.getLists().toArray({ max: 0 })).rejects.toThrow(/positive integer/);
    const before = fake.requests.length;
    const some = await c.replists.getLists({ limit: 10 }).toArray({ max: 25 });
    expect(some.map((l) => l.id)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(fake.requests.length - before).toBe(3);
    expect(await c.replists.getAllLists({ limit: 400 })).toHaveLength(1000);
  });
});

describe('cursor pagination (hosts)', () => {
  it('follows the cursor from the next URL and sends the filters on every page', async () => {
    const fake = fakeFetch((req) => {
      const cursor = req.url.searchParams.get('cursor');
      const page = cursor === null ? 0 : Number(cursor.replace('c', ''));
      const results = [{ id: `h${page * 2}` }, { id: `h${page * 2 + 1}` }];
      const next = page < 2 ? `${BASE}/api/v2/hosts?cursor=c${page + 1}&limit=2` : null;
      return json({ results, next });
    });
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const ids: Array<string | number> = [];
    for await (const h of c.hosts.getHosts({ limit: 2, groups: ['HOME_NET', 'DMZ'], hasRedef: false })) ids.push(h.id);
    expect(ids).toEqual(['h0', 'h1', 'h2', 'h3', 'h4', 'h5']);
    expect(fake.requests.map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'c1', 'c2']);
    for (const r of fake.requests) {
      expect(r.url.searchParams.get('groups')).toBe('HOME_NET,DMZ');
      expect(r.url.searchParams.get('has_redef')).toBe('false');
      expect(r.url.searchParams.get('limit')).toBe('2');
    }
    expect(await c.hosts.getAllHosts({ limit: 2 })).toHaveLength(6);
  });

  it('a server that repeats the same cursor stops the walk with an UnexpectedResponseError', async () => {
    const fake = fakeFetch(() => json({ results: [{ id: 1 }], next: `${BASE}/api/v2/hosts?cursor=same` }));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const err = await c.hosts
      .getHosts()
      .toArray({ max: 100 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as UnexpectedResponseError).code).toBe('unexpected_response');
    expect(fake.requests).toHaveLength(2);
  });

  it('a server whose cursors alternate between two values stops `for await` on the cursor seen before', async () => {
    // Issue 19 item 10: this used to loop for ever (2,124 requests in 5 s).
    const fake = fakeFetch((req) => {
      const next = req.url.searchParams.get('cursor') === 'A' ? 'B' : 'A';
      return json({
        results: [{ id: req.url.searchParams.get('cursor') ?? 'first' }],
        next: `${BASE}/api/v2/hosts?cursor=${next}`,
      });
    });
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const seen: unknown[] = [];
    const walk = async () => {
      for await (const h of c.hosts.getHosts()) {
        seen.push(h.id);
        if (seen.length > 50) throw new Error('looping');
      }
    };
    await expect(walk()).rejects.toThrow(/already read in this walk/);
    await expect(walk()).rejects.toBeInstanceOf(UnexpectedResponseError);
    expect(seen.slice(0, 3)).toEqual(['first', 'A', 'B']);
    expect(fake.requests.map((r) => r.url.searchParams.get('cursor')).slice(0, 3)).toEqual([null, 'A', 'B']);
  });
});
