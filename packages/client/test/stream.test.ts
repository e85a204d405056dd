import { describe, expect, it } from 'vitest';
import { format, parseFilter, parseQuery } from '../src/bql/index.js';
import { bql, PTNADClient, ValidationError } from '../src/index.js';
import { adminClient, emulator } from './helpers/emulator.js';
import { fakeFetch, json, never } from './helpers/fake-fetch.js';

/** Rows [src.ip, end, id] of a fake flow table, already in (end, id) order. */
const TABLE = Array.from({ length: 10 }, (_, i) => [
  `10.0.0.${i}`,
  `2025-05-30T00:00:0${Math.floor(i / 3)}.000000`,
  `f${String(i).padStart(2, '0')}`,
]);

describe('bql.stream keyset paging (request shapes)', () => {
  it('asks for rows from the last time seen, drops the ones already yielded, hides the helper columns, and stops on a short page', async () => {
    const fake = fakeFetch((req) => {
      const text = req.body ?? '';
      const limit = parseQuery(text).limit ?? 100;
      // A server that applies `end >= T`: rows from T on, in (end, id) order.
      const from = /end >= "([^"]+)"/.exec(text)?.[1] ?? '';
      return json({ result: TABLE.filter((r) => (r[1] as string) >= from).slice(0, limit), total: TABLE.length });
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
    const expected = parseFilter(`app_proto == 'dns' AND end >= '2025-05-30T00:00:01.000000'`);
    if (!second.where) throw new Error('the second page has no WHERE');
    expect(format({ kind: 'filter', expr: second.where })).toBe(format(expected));
    // One row (f03) was yielded in that millisecond: the page asks for one more, and drops it.
    expect(second.limit).toBe(5);
  });

  it('does not skip a row whose microseconds sort it after a smaller id in the same millisecond', async () => {
    // The emulator (like a server that compares literals at millisecond precision) orders by microseconds:
    // within 00:00:01.000, "b" (µs 100) sorts before "a" (µs 900). A strict (end, id) > ("…01.000100", "b")
    // keyset would then lose "a", whose millisecond equals T and whose id is smaller.
    const rows: Array<[string, string]> = [
      ['2025-05-30T00:00:00.000000', 'x'],
      ['2025-05-30T00:00:01.000100', 'b'],
      ['2025-05-30T00:00:01.000900', 'a'],
      ['2025-05-30T00:00:02.000000', 'c'],
    ];
    const ms = (t: string) => t.slice(0, 23);
    const fake = fakeFetch((req) => {
      const text = req.body ?? '';
      const limit = parseQuery(text).limit ?? 100;
      const from = /end >= "([^"]+)"/.exec(text)?.[1];
      const strict = /end > "([^"]+)" OR \(?end == "[^"]+" AND id > "([^"]+)"/.exec(text);
      const kept = rows.filter(([t, id]) => {
        if (from !== undefined) return ms(t) >= ms(from);
        if (strict)
          return ms(t) > ms(strict[1] as string) || (ms(t) === ms(strict[1] as string) && id > (strict[2] as string));
        return true;
      });
      return json({ result: kept.slice(0, limit), total: rows.length });
    });
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch });
    const seen: string[] = [];
    for await (const [, id] of c.bql.stream('SELECT end, id FROM flow', { pageSize: 2 })) seen.push(String(id));
    expect(seen).toEqual(['x', 'b', 'a', 'c']);
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
      const from = /end >= "([^"]+)"/.exec(text)?.[1] ?? '';
      const rows = [...table].sort((a, b) => key(a).localeCompare(key(b))).filter((r) => r[0] >= from);
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
    // The second page asks for the 2 rows still wanted plus the 3 already yielded in the last millisecond.
    expect(fake.requests.map((r) => parseQuery(r.body ?? '').limit)).toEqual([3, 5]);
  });

  it('refuses what it cannot page safely', async () => {
    const c = new PTNADClient('https://nad.test', { fetch: fakeFetch(() => json({ result: [] })).fetch });
    await expect(c.bql.stream('SELECT * FROM flow').next()).rejects.toThrow(/SELECT \*/);
    await expect(c.bql.stream('SELECT id FROM flow ORDER BY start desc').next()).rejects.toThrow(/remove ORDER BY/);
    await expect(c.bql.stream('SELECT id FROM flow', { pageSize: 0 }).next()).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('bql.stream reads one page ahead', () => {
  /** A server over TABLE that applies `end >= T` and LIMIT, and keeps the signal of every request. */
  function tableServer(hold?: (index: number) => boolean) {
    const signals: AbortSignal[] = [];
    const fake = fakeFetch((req, index) => {
      const text = req.body ?? '';
      const limit = parseQuery(text).limit ?? 100;
      const from = /end >= "([^"]+)"/.exec(text)?.[1] ?? '';
      const answer = json({ result: TABLE.filter((r) => (r[1] as string) >= from).slice(0, limit), total: 10 });
      return hold?.(index) ? never() : answer;
    });
    const fetch: typeof fake.fetch = (url, init) => {
      if (init.signal) signals.push(init.signal);
      return fake.fetch(url, init);
    };
    return { fake, signals, client: new PTNADClient('https://nad.test', { fetch, maxRetries: 0 }) };
  }

  it('asks for the next page before it hands out the rows of the current one, and never for two ahead', async () => {
    const { fake, client } = tableServer();
    const it = client.bql.stream('SELECT src.ip FROM flow', { pageSize: 4 })[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual([TABLE[0]?.[0]]);
    // Page 2 is on its way while the consumer holds the first row of page 1.
    expect(fake.requests).toHaveLength(2);
    for (let i = 1; i < 4; i++) await it.next();
    // The whole of page 1 read: page 2 may be here, but page 3 waits until a row of page 2 is asked for.
    expect(fake.requests).toHaveLength(2);
    const rest: unknown[][] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest).toEqual(TABLE.slice(4).map((r) => [r[0]]));
    // As many requests as without reading ahead: the last page is short, so nothing follows it.
    expect(fake.requests).toHaveLength(3);
  });

  it('a consumer that stops early cancels the page asked for ahead', async () => {
    // Page 2 never answers: only the stream's own cancellation can end that request.
    const { fake, signals, client } = tableServer((index) => index === 1);
    let seen = 0;
    for await (const _ of client.bql.stream('SELECT src.ip FROM flow', { pageSize: 4 })) {
      seen++;
      if (seen === 2) break;
    }
    expect(fake.requests).toHaveLength(2);
    expect(signals[1]?.aborted).toBe(true);
  });

  it("the caller's signal still cancels the stream while a page is on its way", async () => {
    const { client } = tableServer((index) => index === 1);
    const controller = new AbortController();
    const rows: unknown[][] = [];
    const run = (async () => {
      for await (const row of client.bql.stream('SELECT src.ip FROM flow', {
        pageSize: 4,
        signal: controller.signal,
      })) {
        rows.push(row);
        if (rows.length === 4) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(rows).toHaveLength(4);
  });

  it('a failed page ahead fails the stream only after the rows before it', async () => {
    const fake = fakeFetch((req, index) => {
      if (index === 1) return json({ detail: 'boom' }, 500);
      const limit = parseQuery(req.body ?? '').limit ?? 100;
      return json({ result: TABLE.slice(0, limit), total: 10 });
    });
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch, maxRetries: 0 });
    const rows: unknown[][] = [];
    await expect(
      (async () => {
        for await (const row of c.bql.stream('SELECT src.ip FROM flow', { pageSize: 4 })) rows.push(row);
      })(),
    ).rejects.toMatchObject({ code: 'server_error' });
    expect(rows).toEqual(TABLE.slice(0, 4).map((r) => [r[0]]));
  });
});

describe('bql.stream against the emulator', () => {
  it('streams rows of one millisecond whose microsecond order runs against their id order, none lost', async () => {
    const emu = await emulator({ flows: 200 });
    try {
      const flows = emu.state.dataset.flows;
      const template = flows[flows.length - 1];
      if (!template) throw new Error('empty dataset');
      const end = emu.state.dataset.now + 60_000;
      // Ids ascend while microseconds descend: the emulator orders these by microseconds, ids the other way.
      const added = Array.from({ length: 9 }, (_, i) => ({
        ...template,
        id: `Pusec${String(i).padStart(2, '0')}${'y'.repeat(15)}`,
        end,
        end_us: 900 - i * 100,
        alert: [],
      }));
      emu.state.appendFlows(added);
      const c = adminClient(emu);
      const ids: string[] = [];
      const query = bql`SELECT id FROM flow WHERE end > ${new Date(end - 1).toISOString().slice(0, 23)}`;
      for await (const [id] of c.bql.stream(query, { pageSize: 2 })) ids.push(String(id));
      expect([...ids].sort()).toEqual(added.map((f) => f.id).sort());
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await emu.close();
    }
  });
});
