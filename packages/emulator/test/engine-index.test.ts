// Time indexes (issue 15, "Paging that costs one page"): a FlowTable gives exactly the full scan's answer (rows,
// order, total) for random filters, ORDER BY and LIMIT, also after flows are appended; appended flows are seen
// over HTTP.
import fc from 'fast-check';
import { startEmulator } from 'ptnad-emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeBql, FlowTable } from '../src/engine/index.js';
import { hitCacheTuning } from '../src/engine/indexed.js';
import { generateDataset } from '../src/store/dataset.js';
import { naiveIso } from '../src/store/gen/time.js';
import type { FlowRecord } from '../src/store/types.js';

const NOW = new Date('2025-06-01T12:00:00Z');
let flows: FlowRecord[];
/** The same flows with times coarsened to 10 minutes and most microseconds zeroed: many ties in every key. */
let ties: FlowRecord[];

beforeAll(() => {
  flows = generateDataset({ seed: 3, flows: 3000, now: NOW }).flows;
  ties = flows.map((f, i) => ({
    ...f,
    start: Math.floor(f.start / 600_000) * 600_000,
    end: Math.floor(f.end / 600_000) * 600_000,
    start_us: i % 3 === 0 ? f.start_us % 2 : 0,
    end_us: i % 4 === 0 ? f.end_us % 3 : 0,
  }));
});

/** A query built from random parts; `pick` draws times and ids from the flows it runs on. */
interface QueryParts {
  terms: Array<{ kind: number; row: number; op: number; form: number; or: number | undefined }>;
  order: number;
  limit: number | undefined;
}

const TIME_OPS = ['>', '>=', '<', '<=', '==', '!='];
const ORDERS = [
  '',
  'ORDER BY end asc',
  'ORDER BY end desc',
  'ORDER BY end asc, id asc',
  'ORDER BY end, id',
  'ORDER BY end desc, id desc',
  'ORDER BY start asc',
  'ORDER BY start desc, id asc',
  'ORDER BY bytes.total desc',
  'ORDER BY id',
  'ORDER BY end asc, bytes.total desc',
];
const USER = [
  'dst.port == 443',
  'app_proto in [dns, http, tls]',
  'bytes.total > 5000',
  "http.rqs.url ~ '*a*'",
  'not src.groups == HOME_NET',
  'alert',
];

function timeLiteral(f: FlowRecord, field: 'start' | 'end', form: number): string {
  const t = f[field];
  if (form === 0) return String(t);
  if (form === 1) return JSON.stringify(naiveIso(t, f[`${field}_us`]));
  return new Date(t).toISOString().slice(0, 10).replaceAll('-', '.');
}

function term(rows: readonly FlowRecord[], t: QueryParts['terms'][number]): string {
  const f = rows[t.row % rows.length] as FlowRecord;
  const field = t.kind % 2 === 0 ? 'end' : 'start';
  switch (t.kind % 4) {
    case 0:
    case 1:
      return `${field} ${TIME_OPS[t.op % TIME_OPS.length]} ${timeLiteral(f, field, t.form % 3)}`;
    case 2: {
      // The keyset condition bql.stream sends after a page that ended at row f.
      const time = timeLiteral(f, 'end', t.form % 2);
      return `(end > ${time} OR (end == ${time} AND id > ${JSON.stringify(f.id)}))`;
    }
    default:
      return USER[t.op % USER.length] as string;
  }
}

function queryText(rows: readonly FlowRecord[], q: QueryParts): string {
  const where = q.terms.map((t) => {
    const one = term(rows, t);
    return t.or === undefined ? one : `(${one} OR ${term(rows, { ...t, kind: t.or, op: t.op + 1 })})`;
  });
  const parts = ['SELECT id, end, start FROM flow'];
  if (where.length > 0) parts.push(`WHERE ${where.join(' AND ')}`);
  if (ORDERS[q.order]) parts.push(ORDERS[q.order] as string);
  if (q.limit !== undefined) parts.push(`LIMIT ${q.limit}`);
  return parts.join(' ');
}

const queryParts: fc.Arbitrary<QueryParts> = fc.record({
  terms: fc.array(
    fc.record({
      kind: fc.nat(7),
      row: fc.nat(),
      op: fc.nat(20),
      form: fc.nat(5),
      or: fc.option(fc.nat(7), { nil: undefined, freq: 4 }),
    }),
    { maxLength: 3 },
  ),
  order: fc.nat(ORDERS.length - 1),
  limit: fc.option(fc.constantFrom(0, 1, 7, 100, 2500, 100_000), { nil: undefined }),
});

function same(rows: readonly FlowRecord[], table: FlowTable, text: string): void {
  const full = executeBql(text, { flows: rows, now: NOW });
  const indexed = executeBql(text, { flows: table, now: NOW });
  expect({ text, total: indexed.total, result: indexed.result }).toEqual({
    text,
    total: full.total,
    result: full.result,
  });
}

describe('indexed answers equal full scans', () => {
  it('over the generated flows', () => {
    const table = new FlowTable([...flows]);
    fc.assert(
      fc.property(queryParts, (q) => same(flows, table, queryText(flows, q))),
      { numRuns: 150 },
    );
    expect(table.hasIndex('end')).toBe(true);
  });

  it('with the hits of the residual filter cached (every sure zone, whatever its size)', () => {
    const saved = hitCacheTuning.minZone;
    hitCacheTuning.minZone = -1_000_000;
    try {
      const table = new FlowTable([...ties]);
      fc.assert(
        fc.property(queryParts, (q) => {
          const text = queryText(ties, q);
          same(ties, table, text);
          // The second run of the same filter reads the cached hits.
          same(ties, table, text);
        }),
        { numRuns: 120 },
      );
    } finally {
      hitCacheTuning.minZone = saved;
    }
  });

  it('over flows with many equal times (ties at every keyset boundary)', () => {
    const table = new FlowTable([...ties]);
    fc.assert(
      fc.property(queryParts, (q) => same(ties, table, queryText(ties, q))),
      { numRuns: 150 },
    );
  });

  it('a keyset walk (what bql.stream sends) over the index returns every flow once, as the full scan does', () => {
    const walk = (source: readonly FlowRecord[] | FlowTable) => {
      const seen: string[] = [];
      let after: { end: string; id: string } | undefined;
      for (;;) {
        const keyset = after ? `WHERE end > ${after.end} OR (end == ${after.end} AND id > "${after.id}")` : '';
        const page = executeBql(`SELECT id, end FROM flow ${keyset} ORDER BY end asc, id asc LIMIT 97`, {
          flows: source,
          now: NOW,
        }).result;
        for (const row of page) seen.push(row[0] as string);
        const last = page.at(-1);
        if (page.length < 97 || last === undefined) return seen;
        after = { end: JSON.stringify(last[1]), id: last[0] as string };
      }
    };
    const indexed = walk(new FlowTable([...flows]));
    expect(indexed).toEqual(walk(flows));
    expect(new Set(indexed).size).toBe(flows.length);
  });
});

describe('index build', () => {
  it('sorts more rows than one native run (chunked merge) into (ms, key, id, position) order', () => {
    const many = generateDataset({ seed: 6, flows: 20_000, now: NOW }).flows;
    const rows = [...many, ...many.slice(0, 5000).map((f, i) => ({ ...f, id: `dup${String(i).padStart(19, '0')}` }))];
    const idx = new FlowTable(rows).index('end');
    expect(idx.order.length).toBe(rows.length);
    expect(new Set(idx.order).size).toBe(rows.length);
    for (let i = 1; i < idx.order.length; i++) {
      const a = rows[idx.order[i - 1] as number] as FlowRecord;
      const b = rows[idx.order[i] as number] as FlowRecord;
      const ka = a.end + a.end_us / 1000;
      const kb = b.end + b.end_us / 1000;
      expect(a.end < b.end || (a.end === b.end && (ka < kb || (ka === kb && a.id < b.id)))).toBe(true);
    }
    expect(idx.keySorted).toBe(true);
  });
});

describe('appendFlows', () => {
  it('keeps the indexes correct as batches arrive (in and out of time order)', () => {
    const half = Math.floor(flows.length / 2);
    const reference = flows.slice(0, half);
    const table = new FlowTable(flows.slice(0, half));
    // Build both indexes before appending, so the merge path is the one tested.
    table.index('end');
    table.index('start');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 20 }),
        fc.array(queryParts, { minLength: 1, maxLength: 3 }),
        (sizes, queries) => {
          for (const n of sizes) {
            const next = flows.slice(reference.length, reference.length + n);
            if (next.length === 0) break;
            const version = table.version;
            table.appendFlows(next);
            reference.push(...next);
            expect(table.version).toBeGreaterThan(version);
            expect(table.rows.length).toBe(reference.length);
          }
          for (const q of queries) same(reference, table, queryText(reference, q));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('rejects a flow id that is already stored, changing nothing', () => {
    const table = new FlowTable(flows.slice(0, 10));
    table.index('end');
    const again = flows[3] as FlowRecord;
    expect(() => table.appendFlows([flows[10] as FlowRecord, again])).toThrow(/already stored/);
    expect(table.rows.length).toBe(10);
    expect(() => table.appendFlows([flows[10] as FlowRecord, flows[10] as FlowRecord])).toThrow(RangeError);
    expect(table.rows.length).toBe(10);
  });

  it('App.appendFlows makes new flows visible to BQL over HTTP and to flow lookups', async () => {
    const ds = generateDataset({ seed: 4, flows: 500, now: NOW });
    const emu = await startEmulator({ dataset: ds });
    try {
      const query = async (text: string) => {
        const res = await fetch(`${emu.url}/api/v2/bql`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${emu.credentials.apiKey}`, 'Content-Type': 'text/plain' },
          body: text,
        });
        return (await res.json()) as { result: unknown[][]; total: number };
      };
      const last = ds.flows.reduce((a, f) => Math.max(a, f.end), 0);
      // Warm the index, then append one flow after every other and one in the middle of the time range.
      expect((await query('SELECT id FROM flow ORDER BY end desc LIMIT 1')).total).toBe(500);
      const base = ds.flows[0] as FlowRecord;
      const late = { ...base, id: 'appendedLate0000000001', end: last + 1000, start: last };
      const middle = { ...base, id: 'appendedMid00000000001', end: base.end + 1, start: base.start };
      emu.state.appendFlows([late, middle]);
      const newest = await query('SELECT id FROM flow ORDER BY end desc, id desc LIMIT 1');
      expect(newest.result[0]?.[0]).toBe('appendedLate0000000001');
      expect(newest.total).toBe(502);
      const after = await query(
        `SELECT id FROM flow WHERE end > ${base.end} OR (end == ${base.end} AND id > "${base.id}") ORDER BY end, id LIMIT 1000`,
      );
      expect(after.result.map((r) => r[0])).toContain('appendedMid00000000001');
      expect(emu.state.flowsById.get('appendedLate0000000001')).toBe(late);
      expect(() => emu.state.appendFlows([late])).toThrow(/already stored/);
    } finally {
      await emu.close();
    }
  });
});
