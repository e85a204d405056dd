import { describe, expect, it } from 'vitest';
import { format, parseFilter, parseQuery } from '../src/bql/index.js';
import { PTNADClient, ValidationError } from '../src/index.js';
import { fakeFetch, json } from './helpers/fake-fetch.js';

/** Rows [src.ip, end, id] of a fake flow table, already in (end, id) order. */
const TABLE = Array.from({ length: 10 }, (_, i) => [
  `10.0.0.${i}`,
  `2025-05-30T00:00:0${Math.floor(i / 3)}.000000`,
  `f${String(i).padStart(2, '0')}`,
]);

describe('bql.stream keyset paging (request shapes)', () => {
  it('asks for rows after the last (end, id) seen, hides the helper columns, and stops on a short page', async () => {
    const fake = fakeFetch((req) => {
      const q = parseQuery(req.body ?? '');
      const limit = q.limit ?? 100;
      // Page k serves rows [k*limit, (k+1)*limit) of the table: what a server applying the keyset would return.
      const k = fake.requests.length - 1;
      return json({ result: TABLE.slice(k * limit, (k + 1) * limit), total: TABLE.length });
    });
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch });
    const rows: unknown[][] = [];
    for await (const row of c.bql.stream("SELECT src.ip FROM flow WHERE app_proto == 'dns'", { pageSize: 4 })) {
      rows.push(row);
    }
    expect(rows).toEqual(TABLE.map((r) => [r[0]]));
    expect(fake.requests).toHaveLength(3);
    const first = parseQuery(fake.requests[0]?.body ?? '');
    expect(first.select.map((s) => (s.kind === 'column' && s.expr.kind === 'field' ? s.expr.name : '?'))).toEqual([
      'src.ip',
      'end',
      'id',
    ]);
    expect(first.orderBy.map((o) => `${o.field.name} ${o.direction}`)).toEqual(['end asc', 'id asc']);
    expect(first.limit).toBe(4);
    const second = parseQuery(fake.requests[1]?.body ?? '');
    const expected = parseFilter(
      `app_proto == 'dns' AND (end > '2025-05-30T00:00:01.000000' OR (end == '2025-05-30T00:00:01.000000' AND id > 'f03'))`,
    );
    if (!second.where) throw new Error('the second page has no WHERE');
    expect(format({ kind: 'filter', expr: second.where })).toBe(format(expected));
  });

  it('rows that arrive while streaming are picked up once; none is missed or repeated', async () => {
    // A server that really applies the keyset: rows are [end, id], compared as strings like the ISO times are.
    const table: Array<[string, string]> = Array.from({ length: 12 }, (_, i) => [
      `2025-05-30T00:00:${String(Math.floor(i / 2)).padStart(2, '0')}.000000`,
      `f${String(i).padStart(3, '0')}`,
    ]);
    const key = (r: [string, string]) => `${r[0]}|${r[1]}`;
    let pageNo = 0;
    const fake = fakeFetch((req) => {
      const text = req.body ?? '';
      const limit = parseQuery(text).limit ?? 100;
      const m = /end > "([^"]+)" OR \(?end == "[^"]+" AND id > "([^"]+)"/.exec(text);
      const after = m ? `${m[1]}|${m[2]}` : '';
      const rows = [...table].sort((a, b) => key(a).localeCompare(key(b))).filter((r) => key(r) > after);
      // After each page is served, new flows arrive: one later than everything, one tying the last time seen.
      const page = rows.slice(0, limit);
      pageNo++;
      const last = page.at(-1);
      if (last && pageNo < 4) {
        table.push([`2025-05-30T00:01:0${pageNo}.000000`, `n${pageNo}`]);
        table.push([last[0], `${last[1]}z`]);
      }
      return json({ result: page, total: rows.length });
    });
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch });
    const seen: string[] = [];
    for await (const [end, id] of c.bql.stream('SELECT end, id FROM flow', { pageSize: 5 })) {
      seen.push(`${String(end)}|${String(id)}`);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(table.map(key).sort());
    expect(seen).toEqual([...seen].sort());
  });

  it('a LIMIT caps the total across pages', async () => {
    const fake = fakeFetch((req) => {
      const limit = parseQuery(req.body ?? '').limit ?? 100;
      return json({ result: TABLE.slice(0, limit).map((r) => [r[1], r[2]]), total: 10 });
    });
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch });
    let n = 0;
    for await (const _ of c.bql.stream('SELECT end, id FROM flow LIMIT 5', { pageSize: 3 })) n++;
    expect(n).toBe(5);
    expect(fake.requests.map((r) => parseQuery(r.body ?? '').limit)).toEqual([3, 2]);
  });

  it('refuses what it cannot page safely', async () => {
    const c = new PTNADClient('https://nad.test', { fetch: fakeFetch(() => json({ result: [] })).fetch });
    await expect(c.bql.stream('SELECT * FROM flow').next()).rejects.toThrow(/SELECT \*/);
    await expect(c.bql.stream('SELECT id FROM flow ORDER BY start desc').next()).rejects.toThrow(/remove ORDER BY/);
    await expect(c.bql.stream('SELECT id FROM flow', { pageSize: 0 }).next()).rejects.toBeInstanceOf(ValidationError);
  });
});
