import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommitError, PTNADClient, renderTemplate, TaskFailedError, ValidationError } from '../src/index.js';
import { fakeFetch, json } from './helpers/fake-fetch.js';

const BASE = 'https://nad.test';

describe('path encoding on real requests', () => {
  it('any external key and IOC value reaches the server as exactly the two intended segments', async () => {
    const fake = fakeFetch(() => json({ value: 'x' }, 201));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const value = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((s) => s !== '.' && s !== '..' && !/[\uD800-\uDFFF]/.test(s));
    await fc.assert(
      fc.asyncProperty(value, value, async (key, ioc) => {
        await c.replists.addDynamicListItem(key, ioc);
        const seen = fake.requests.at(-1)?.url as URL;
        expect(seen.origin).toBe(BASE);
        const parts = seen.pathname.split('/');
        expect(parts.slice(0, 5)).toEqual(['', 'api', 'v2', 'replists', 'dynamic']);
        expect(parts).toHaveLength(7);
        expect(decodeURIComponent(parts[5] as string)).toBe(key);
        expect(decodeURIComponent(parts[6] as string)).toBe(ioc);
        expect(seen.search).toBe('');
        expect(seen.hash).toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('hostile values stay one segment; dot segments and empty ids are refused before sending', async () => {
    const fake = fakeFetch(() => new Response(null, { status: 204 }));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    await c.replists.removeItem('feed', 'http://x/a?b#c');
    expect(fake.requests[0]?.url.pathname).toBe('/api/v2/replists/dynamic/feed/http%3A%2F%2Fx%2Fa%3Fb%23c');
    await c.replists.removeItem('../..', '../../x');
    expect(fake.requests[1]?.url.pathname).toBe('/api/v2/replists/dynamic/..%2F../..%2F..%2Fx');
    await expect(c.replists.getDynamicListItems('..')).rejects.toThrow(/dot segment/);
    await expect(c.replists.removeItem('k', '')).rejects.toThrow(/must not be empty/);
    // Integer ids: `stats` would otherwise reach GET replists/stats, `_bulk` the bulk route.
    await expect(c.replists.getList('stats')).rejects.toThrow(/reputation list id must be a non-negative integer/);
    await expect(c.replists.deleteList('../../x')).rejects.toThrow(ValidationError);
    await expect(c.variables.getGroup('stats')).rejects.toThrow(/group id/);
    await expect(c.signatures.getRule('stats')).rejects.toThrow(/rule sid/);
    await expect(c.replists.addDynamicListItem('k', '_bulk')).rejects.toThrow(/bulkAddItems/);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('request shapes', () => {
  it('BQL goes as text/plain with the source; the builder result is accepted', async () => {
    const fake = fakeFetch(() => json({ result: [['a', 1]], took: 3, total: 7 }));
    const c = new PTNADClient(BASE, { fetch: fake.fetch, defaultSource: '5' });
    const raw = await c.bql.executeRaw('SELECT src.ip, dst.port FROM flow LIMIT 1');
    expect(raw).toEqual({ result: [['a', 1]], took: 3, total: 7 });
    expect(fake.requests[0]?.url.search).toBe('?source=5');
    expect(fake.requests[0]?.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(fake.requests[0]?.body).toBe('SELECT src.ip, dst.port FROM flow LIMIT 1');
    await c.bql.execute('SELECT id FROM flow', '19');
    expect(fake.requests[1]?.url.searchParams.get('source')).toBe('19');
    const objects = await c.bql.query('SELECT src.ip, dst.port FROM flow LIMIT 1', { source: 3 });
    expect(objects).toEqual([{ 'src.ip': 'a', 'dst.port': 1 }]);
    await expect(c.bql.execute(42 as never)).rejects.toThrow(/must be a string or a BQL builder result/);
  });

  it('a BQL {"error"} answer is a BqlQueryError with the server message', async () => {
    const fake = fakeFetch(() => json({ error: 'Unknown field "dst.prot"' }));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    await expect(c.bql.execute('SELECT dst.prot FROM flow')).rejects.toThrow(
      'Failed to execute BQL query: Unknown field "dst.prot"',
    );
  });

  it('signature rule filters go as a JSON body, search/ordering/limit/offset as query', async () => {
    const fake = fakeFetch(() => json({ count: 1, next: null, results: [{ sid: 2007802 }] }));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    await c.signatures.getRules({ search: 'ftp', cls: 'Network scan', enabled: true, limit: 10 });
    const r = fake.requests[0];
    expect(r?.method).toBe('GET');
    expect(Object.fromEntries(r?.url.searchParams ?? [])).toEqual({ search: 'ftp', limit: '10', offset: '0' });
    expect(JSON.parse(r?.body ?? '')).toEqual({ filter: { cls: 'Network scan', enabled: true } });
  });

  it('a failed commit is a CommitError with fatalError and otherErrors', async () => {
    const fake = fakeFetch(() => json({ fatal_error: 'rule 1: syntax', other_errors: ['sensor down'] }, 400));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const err = (await c.signatures.applyChanges().catch((e: unknown) => e)) as CommitError;
    expect(err).toBeInstanceOf(CommitError);
    expect(err.fatalError).toBe('rule 1: syntax');
    expect(err.otherErrors).toEqual(['sensor down']);
    expect(err.message).toBe('Failed to apply signature changes: 400 commit failed: rule 1: syntax; sensor down');
  });

  it('deleteGroup says whether a commit is needed (204 -> false)', async () => {
    let status = 204;
    const fake = fakeFetch(() => new Response(status === 204 ? null : '{}', { status }));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    expect(await c.variables.deleteGroup(1)).toBe(false);
    status = 200;
    expect(await c.variables.deleteGroup(1)).toBe(true);
  });

  it('createList validates name, type and color before sending (a rejection, never a synchronous throw)', async () => {
    const fake = fakeFetch(() => json({}, 201));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    await expect(c.replists.createList({ name: 'bad name', type: 'ip', color: '1' })).rejects.toThrow(
      /name must consist/,
    );
    await expect(c.replists.createList({ name: 'ok', type: 'email' as never, color: '1' })).rejects.toThrow(
      /type must be/,
    );
    await expect(c.replists.createList({ name: 'ok', type: 'ip', color: 8 as never })).rejects.toThrow(/color must be/);
    expect(fake.requests).toHaveLength(0);
  });

  it('tasks.wait polls until done and reports progress; a failed task throws TaskFailedError', async () => {
    const states = ['PENDING', 'PROGRESS', 'SUCCESS'];
    const fake = fakeFetch((_r, i) => json({ id: 't-1', state: states[Math.min(i, 2)] }));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const seen: string[] = [];
    const done = await c.tasks.wait('t-1', { pollMs: 0, onProgress: (t) => seen.push(String(t.state)) });
    expect(done.state).toBe('SUCCESS');
    expect(seen).toEqual(states);
    const failing = fakeFetch(() => json({ id: 't-2', state: 'FAILURE', result: { error: 'disk full' } }));
    const c2 = new PTNADClient(BASE, { fetch: failing.fetch });
    await expect(c2.tasks.wait('t-2', { pollMs: 0 })).rejects.toBeInstanceOf(TaskFailedError);
  });
});

describe('monitoring templates', () => {
  it('renders {name} placeholders from vars like str.format, and nothing else', () => {
    expect(renderTemplate('Sensor {sensor} has no traffic', { sensor: 's1' })).toBe('Sensor s1 has no traffic');
    expect(renderTemplate('{{literal}} {n}% {missing}', { n: 5 })).toBe('{literal} 5% {missing}');
    expect(renderTemplate('{0} {a.b} {x!r} {x:>5} {__proto__}', { x: 1, a: { b: 2 } })).toBe(
      '{0} {a.b} {x!r} {x:>5} {__proto__}',
    );
    expect(renderTemplate('{missing}} {{n}} {n}}', { n: 1 })).toBe('{missing}} {n} 1}');
  });

  it('renderTemplate follows its regular-expression definition on any template', () => {
    // The definition the scanner implements: each position tries `{{`, `}}`, then `{name}`, left to right.
    const reference = (template: string, vars: Record<string, unknown> | undefined) =>
      template.replace(/\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string | undefined) => {
        if (match === '{{') return '{';
        if (match === '}}') return '}';
        if (name === undefined || vars === undefined || !Object.hasOwn(vars, name)) return match;
        const value = vars[name];
        return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
      });
    const piece = fc.oneof(
      fc.constantFrom('{', '}', '{{', '}}', '{a}', '{b1}', '{_c}', '{9}', '{a.b}', '{}', 'x', ' ', '%', '\u00e9'),
      fc.string({ maxLength: 3 }),
    );
    const template = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.object());
    const vars = fc.option(fc.dictionary(fc.constantFrom('a', 'b1', '_c', 'd', 'length'), value), {
      nil: undefined,
    });
    fc.assert(
      fc.property(template, vars, (t, v) => {
        expect(renderTemplate(t, v)).toBe(reference(t, v));
      }),
      { numRuns: 2000 },
    );
  });

  it('getStatus adds a rendered message to every problem', async () => {
    const fake = fakeFetch(() =>
      json({
        status: 'yellow',
        problems: [{ status: 'yellow', template: 'Disk {disk} at {pct}%', vars: { disk: '/data', pct: 91 } }],
      }),
    );
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const status = await c.monitoring.getStatus();
    expect(status.problems[0]?.message).toBe('Disk /data at 91%');
  });
});
