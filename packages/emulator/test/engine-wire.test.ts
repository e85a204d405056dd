// The BQL answer written straight to JSON bytes (issue 15, export throughput): byte for byte what
// JSON.stringify({ result, took, total }) gives for the same answer, over random queries (flow and alert, full scan
// and time index, every kind of cell), and the time and value writers equal naiveIso and JSON.stringify.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeBql, executeBqlJsonAsync, FlowTable } from '../src/engine/index.js';
import { dayCache, WireWriter } from '../src/engine/wire.js';
import { naiveIsoRenderer } from '../src/engine/wire-time.js';
import { generateDataset } from '../src/store/dataset.js';
import { naiveIso } from '../src/store/gen/time.js';
import type { FlowRecord } from '../src/store/types.js';

const NOW = new Date('2025-06-01T12:00:00Z');
let flows: FlowRecord[];
let odd: FlowRecord[];

beforeAll(() => {
  flows = generateDataset({ seed: 11, flows: 1500, now: NOW }).flows;
  // Values a generated flow never holds but a wire writer must still get right.
  odd = flows.slice(0, 300).map((f, i) => ({
    ...f,
    id: i % 7 === 0 ? `quote"back\\slash\u0001é\u2028\ud800-${i}` : f.id,
    app_proto: i % 5 === 0 ? 'dns\nnewline' : i % 5 === 1 ? 'Привет' : f.app_proto,
    start: i % 11 === 0 ? f.start + 0.5 : i % 13 === 0 ? -62_200_000_000_000 + i : f.start,
    end: i % 17 === 0 ? 253_402_300_800_000 + i : f.end,
    start_us: i % 9 === 0 ? 1500 : i % 10 === 0 ? 2.5 : f.start_us,
    bytes: { ...f.bytes, total: i % 3 === 0 ? -0 : i % 3 === 1 ? 1.5e300 : 2 ** 40 + i },
  }));
});

const COLUMNS = [
  'id',
  'start',
  'end',
  'duration',
  'src.ip',
  'src.port',
  'dst.port',
  'proto',
  'app_proto',
  'src.groups',
  'dst.dns',
  'bytes.total',
  'src.geo.country',
  'http.rqs.url',
  'files.filename',
  'alert.msg',
  'alert.ts',
  'http.tx_time',
  'host.ip',
  'stag',
  'false_positive',
  "extract_raw_object('false_positive')",
  "extract_raw_object('http')",
  '(SELECT tx_id, rqs.method, tx_time FROM http LIMIT 3)',
  '*',
];
const ALERT_COLUMNS = ['id', 'ts', 'msg', 'sid', 'flow.end', 'flow.src.ip', 'att_ck', 'parent', '*'];
const FILTERS = ['', 'WHERE dst.port == 443', 'WHERE end >= ', 'WHERE app_proto in [dns, http, tls]', 'WHERE alert'];
const ORDERS = ['', 'ORDER BY end asc, id asc', 'ORDER BY start desc', 'ORDER BY bytes.total desc'];

const parts = fc.record({
  alert: fc.boolean(),
  columns: fc.array(fc.nat(100), { minLength: 1, maxLength: 6 }),
  filter: fc.nat(FILTERS.length - 1),
  row: fc.nat(),
  order: fc.nat(ORDERS.length - 1),
  limit: fc.option(fc.constantFrom(0, 1, 5, 100, 5000), { nil: undefined }),
});

function queryOf(rows: readonly FlowRecord[], p: typeof parts extends fc.Arbitrary<infer T> ? T : never): string {
  if (p.alert) {
    const cols = p.columns.map((c) => ALERT_COLUMNS[c % ALERT_COLUMNS.length]);
    return `SELECT ${cols.join(', ')} FROM alert${p.limit === undefined ? '' : ` LIMIT ${p.limit}`}`;
  }
  const cols = p.columns.map((c) => COLUMNS[c % COLUMNS.length]);
  const f = rows[p.row % rows.length] as FlowRecord;
  let filter = FILTERS[p.filter] as string;
  if (filter.endsWith('>= ')) filter += String(f.end);
  const limit = p.limit === undefined ? '' : `LIMIT ${p.limit}`;
  return `SELECT ${cols.join(', ')} FROM flow ${filter} ${ORDERS[p.order]} ${limit}`;
}

/** The wire bytes and JSON.stringify of the cell answer, with `took` (a measured time) set to 0 in both. */
async function bothForms(text: string, source: readonly FlowRecord[] | FlowTable): Promise<[string, string]> {
  const ctx = { flows: source, now: NOW, budgetMs: 60_000 };
  const wire = (await executeBqlJsonAsync(text, ctx)).toString('utf8');
  const cells = executeBql(text, ctx);
  const tookless = (s: string) => s.replace(/,"took":\d+,"total":/, ',"took":0,"total":');
  return [tookless(wire), tookless(JSON.stringify({ result: cells.result, took: cells.took, total: cells.total }))];
}

describe('the BQL answer as JSON bytes', () => {
  it('equals JSON.stringify of the cell answer, over random queries (full scan and time index)', async () => {
    const table = new FlowTable([...flows]);
    await fc.assert(
      fc.asyncProperty(parts, async (p) => {
        const text = queryOf(flows, p);
        for (const source of [flows, table]) {
          const [wire, cells] = await bothForms(text, source);
          expect({ text, wire }).toEqual({ text, wire: cells });
        }
      }),
      { numRuns: 120 },
    );
  });

  it('equals it for values no generated flow holds (escapes, non-ASCII, odd times and numbers)', async () => {
    await fc.assert(
      fc.asyncProperty(parts, async (p) => {
        const text = queryOf(odd, { ...p, alert: false });
        const [wire, cells] = await bothForms(text, odd);
        expect({ text, wire }).toEqual({ text, wire: cells });
      }),
      { numRuns: 80 },
    );
  });

  it('is valid UTF-8 JSON that parses to the cell answer', async () => {
    const text = 'SELECT id, app_proto, start, bytes.total FROM flow LIMIT 300';
    const ctx = { flows: odd, now: NOW };
    const parsed = JSON.parse((await executeBqlJsonAsync(text, ctx)).toString('utf8')) as { result: unknown[][] };
    expect(parsed.result).toEqual(JSON.parse(JSON.stringify(executeBql(text, ctx).result)));
  });
});

describe('the writers of single values', () => {
  const times = fc.oneof(
    fc.integer({ min: -70_000_000_000_000, max: 260_000_000_000_000 }),
    fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
    fc.double({ min: -1e15, max: 1e15, noNaN: true }),
    fc.constantFrom(0, -1, 86_399_999, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_000),
  );
  const micros = fc.oneof(fc.integer({ min: 0, max: 999 }), fc.constantFrom(-1, 1000, 0.5, 999.9));

  it('times: the quoted text of naiveIso, from the string renderer and the byte writer', () => {
    const render = naiveIsoRenderer();
    const cache = dayCache();
    fc.assert(
      fc.property(fc.array(fc.tuple(times, micros), { maxLength: 20 }), (list) => {
        const w = new WireWriter(16);
        const expected: string[] = [];
        list.forEach(([ms, us], i) => {
          if (i > 0) w.comma();
          w.time(ms, us, cache);
          expected.push(JSON.stringify(naiveIso(ms, us)));
          expect(render(ms, us)).toBe(naiveIso(ms, us));
        });
        expect(w.bytes().toString('utf8')).toBe(expected.join(','));
      }),
      { numRuns: 300 },
    );
  });

  it('any value: what JSON.stringify writes inside an array', () => {
    const values = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('\ud800', 'a\udfff', '\u007f\u0000\u001f', '"\\'),
      fc.integer(),
      fc.double(),
      fc.constantFrom(-0, 2 ** 31, -(2 ** 31), 2 ** 31 - 1, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.array(values, { maxLength: 30 }), (list) => {
        const w = new WireWriter(8);
        w.openRow();
        list.forEach((v, i) => {
          if (i > 0) w.comma();
          w.value(v);
        });
        w.closeRow();
        expect(w.bytes().toString('utf8')).toBe(JSON.stringify(list));
        expect(w.bytes().equals(Buffer.from(JSON.stringify(list)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
