/**
 * Rows typed from the query text (issue 17). The `expectTypeOf` assertions are checked by `tsc -p
 * tsconfig.test.json` (part of `npm test`); the run-time half runs the same queries on the emulator and checks
 * that the answers have exactly the typed keys and that every cell fits the catalogue type the row type claims.
 */

import { bql, columnsOf, type FieldCell, lookupField, parseQuery, type RowOf } from 'ptnad-client/bql';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { PTNADClient } from '../src/index.js';
import { adminClient, emulator } from './helpers/emulator.js';

let emu: Emulator;
let c: PTNADClient;

beforeAll(async () => {
  emu = await emulator();
  c = adminClient(emu);
});
afterAll(async () => {
  await c.close();
  await emu.close();
});

// The two statements of fixtures/bql-examples.json, verbatim.
const README_USAGE = 'SELECT src.ip, dst.ip, proto FROM flow WHERE end > 2025.02.25 and end < 2025.02.26 LIMIT 10';
const STORAGE_WINDOW =
  "SELECT id, start, end FROM flow WHERE (end >= 1748600000000 AND end <= 1748618000000) and (rpt.type == 'ms') LIMIT 1";

/** The SB/RV attack query shape: an alert with its parent flow as a subquery and the false-positive flag. */
const ATTACKS = `SELECT "attacker.ip", "victim.ip", cls, extract_raw_object('false_positive'), id, msg, pr, sid, ts,
  (SELECT "app_proto", "dst.ip", "dst.port", "end", flags, has_files, "src.ip", "src.port" FROM "flow" LIMIT 1)
FROM "alert" WHERE pr <= 2 ORDER BY "ts" desc LIMIT 20`;

/** The SB HTTP page shape: a flow with its HTTP transactions. */
const HTTP_PAGE = `select id, start, (SELECT id, tx_id, rqs.method, rqs.url, rsp.code, "rsp.content-type" FROM http LIMIT 100) txs
from flow where app_proto == 'http' limit 5`;

const SERVICE_MAP =
  'SELECT dst.ip server, dst.port port, app_proto, bytes.total, duration, src.groups, has_files FROM flow WHERE dst.groups == HOME_NET LIMIT 50';

describe('row types of literal queries', () => {
  it('the issue example: catalogue types, and a column not in the query is a compile error', async () => {
    const rows = await c.bql.query('SELECT src.ip, dst.port, app_proto, start FROM flow LIMIT 10');
    const row = rows[0];
    if (row === undefined) throw new Error('no rows');
    expectTypeOf(row['dst.port']).toEqualTypeOf<number | null>();
    expectTypeOf(row['src.ip']).toEqualTypeOf<string | null>();
    expectTypeOf(row.start).toEqualTypeOf<string | null>();
    // @ts-expect-error: no such column in this query
    expect(row['dst.prot']).toBeUndefined();
    // @ts-expect-error: a real field, but not selected
    expect(row['dst.ip']).toBeUndefined();
    expect(typeof row['dst.port']).toBe('number');
    expect(typeof row['src.ip']).toBe('string');
  });

  it('the public example statements', () => {
    expectTypeOf<RowOf<typeof README_USAGE>>().toEqualTypeOf<{
      'src.ip': string | null;
      'dst.ip': string | null;
      proto: string | null;
    }>();
    expectTypeOf<RowOf<typeof STORAGE_WINDOW>>().toEqualTypeOf<{
      id: string | null;
      start: string | null;
      end: string | null;
    }>();
    expect(columnsOf(README_USAGE)).toEqual(['src.ip', 'dst.ip', 'proto']);
    expect(columnsOf(STORAGE_WINDOW)).toEqual(['id', 'start', 'end']);
  });

  it('quoted names, functions and a subquery of the parent flow', () => {
    type Row = RowOf<typeof ATTACKS>;
    expectTypeOf<keyof Row>().toEqualTypeOf<
      | 'attacker.ip'
      | 'victim.ip'
      | 'cls'
      | "extract_raw_object('false_positive')"
      | 'id'
      | 'msg'
      | 'pr'
      | 'sid'
      | 'ts'
      | 'flow'
    >();
    expectTypeOf<Row['pr']>().toEqualTypeOf<number | null>();
    expectTypeOf<Row["extract_raw_object('false_positive')"]>().toEqualTypeOf<unknown>();
    expectTypeOf<Row['flow']>().toEqualTypeOf<
      Array<{
        app_proto: string | null;
        'dst.ip': string | null;
        'dst.port': number | null;
        end: string | null;
        flags: string[] | null;
        has_files: boolean | null;
        'src.ip': string | null;
        'src.port': number | null;
      }>
    >();
  });

  it('lower-case keywords, line breaks, an aliased subquery of child rows', () => {
    type Row = RowOf<typeof HTTP_PAGE>;
    expectTypeOf<keyof Row>().toEqualTypeOf<'id' | 'start' | 'txs'>();
    expectTypeOf<Row['txs'][number]['rsp.code']>().toEqualTypeOf<number | null>();
    expectTypeOf<Row['txs'][number]['rsp.content-type']>().toEqualTypeOf<string | null>();
    expectTypeOf<Row['txs'][number]['rqs.method']>().toEqualTypeOf<string | null>();
  });

  it('aliases name their column; arrays, floats and booleans', () => {
    type Row = RowOf<typeof SERVICE_MAP>;
    expectTypeOf<Row>().toEqualTypeOf<{
      server: string | null;
      port: number | null;
      app_proto: string | null;
      'bytes.total': number | null;
      duration: number | null;
      'src.groups': string[] | null;
      has_files: boolean | null;
    }>();
  });

  it('repeated names get the run-time #2 suffix; prefixes, child paths, headers and unknown fields', () => {
    const q = "SELECT src.ip, src.ip, src.geo, alert.msg, dst.nosuch, extract_raw_object('x') FROM flow";
    expectTypeOf<keyof RowOf<typeof q>>().toEqualTypeOf<
      'src.ip' | 'src.ip#2' | 'src.geo' | 'alert.msg' | 'dst.nosuch' | "extract_raw_object('x')"
    >();
    expect(columnsOf(q)).toEqual(['src.ip', 'src.ip', 'src.geo', 'alert.msg', 'dst.nosuch', "extract_raw_object('x')"]);
    expectTypeOf<RowOf<typeof q>['src.geo']>().toEqualTypeOf<unknown>();
    expectTypeOf<FieldCell<'http', 'rqs.Referer'>>().toEqualTypeOf<string | null>();
    expectTypeOf<FieldCell<'flow', 'src.geo.location'>>().toEqualTypeOf<number[] | null>();
    expectTypeOf<FieldCell<'flow', '_ndx'>>().toEqualTypeOf<string | null>();
    expectTypeOf<FieldCell<'files', '_ndx'>>().toEqualTypeOf<string | null>();
    expectTypeOf<FieldCell<'flow', 'src.host_id'>>().toEqualTypeOf<string | null>();
    expectTypeOf<FieldCell<'nosuch', 'x'>>().toEqualTypeOf<unknown>();
  });

  it('what cannot be read from the text stays Record<string, unknown>', () => {
    type Untyped = Record<string, unknown>;
    expectTypeOf<RowOf<'SELECT * FROM flow'>>().toEqualTypeOf<Untyped>();
    expectTypeOf<RowOf<string>>().toEqualTypeOf<Untyped>();
    expectTypeOf<RowOf<"app_proto == 'dns'">>().toEqualTypeOf<Untyped>();
    expectTypeOf<RowOf<"SELECT extract_raw_object('a,b') FROM flow">>().toEqualTypeOf<Untyped>();
    expectTypeOf<RowOf<'SELECT src.ip FROM'>>().toEqualTypeOf<Untyped>();
  });

  it('a long select list is typed without hitting the instantiation depth limit', () => {
    type Long = `SELECT ${LongList} FROM flow`;
    expectTypeOf<RowOf<Long>['src.ip#300']>().toEqualTypeOf<string | null>();
    const text = `SELECT ${Array.from({ length: 300 }, () => 'src.ip').join(', ')} FROM flow`;
    expect(columnsOf(text)).toHaveLength(300);
  });
});

type Repeat<S extends string, N extends number, Acc extends string[] = []> = Acc['length'] extends N
  ? Acc
  : Repeat<S, N, [...Acc, S]>;
type JoinComma<A extends string[], Out extends string = ''> = A extends [
  infer H extends string,
  ...infer T extends string[],
]
  ? JoinComma<T, Out extends '' ? H : `${Out}, ${H}`>
  : Out;
type LongList = JoinComma<Repeat<'src.ip', 300>>;

describe('client.bql.query', () => {
  it('types rows of a string literal; a run-time string and a tagged template stay untyped; query<T>() wins', async () => {
    const typed = await c.bql.query(SERVICE_MAP);
    expectTypeOf(typed).toEqualTypeOf<RowOf<typeof SERVICE_MAP>[]>();
    const runtime: string = SERVICE_MAP;
    expectTypeOf(await c.bql.query(runtime)).toEqualTypeOf<Record<string, unknown>[]>();
    const tagged = bql`SELECT id, msg, pr FROM alert WHERE pr <= ${2} LIMIT 50`;
    expectTypeOf(await c.bql.query(tagged)).toEqualTypeOf<Record<string, unknown>[]>();
    const annotated = await c.bql.query<{ id: string }>('SELECT id, msg FROM alert LIMIT 1');
    expectTypeOf(annotated).toEqualTypeOf<{ id: string }[]>();
  });

  it('bql called with literal parts carries its text type, and its rows are typed', async () => {
    const q = bql(['SELECT id, msg, pr FROM alert WHERE pr <= ', ' LIMIT 50'], 2);
    expect(q.text).toBe('SELECT id, msg, pr FROM alert WHERE pr <= 2 LIMIT 50');
    const rows = await c.bql.query(q);
    expectTypeOf(rows).toEqualTypeOf<Array<{ id: string | null; msg: string | null; pr: number | null }>>();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.pr).toBeLessThanOrEqual(2);
    // A value in the select list cannot be named at compile time.
    const inList = bql(['SELECT id, ', ' FROM flow LIMIT 1'], bql`SELECT msg FROM alert LIMIT 1`);
    expectTypeOf(await c.bql.query(inList)).toEqualTypeOf<Record<string, unknown>[]>();
  });

  it('the parts must surround the values exactly', () => {
    expect(() => bql(['SELECT id FROM flow WHERE pr == ', ' AND x == ', ''], 1)).toThrow(/one more text part/);
  });
});

/** Whether a cell fits the catalogue type its row type claims for `path` in `table`. */
function fitsCatalogue(table: string, path: string, cell: unknown): boolean {
  const f = lookupField(table, path);
  if (f === undefined || f.type === 'object' || f.type === 'unknown' || f.table !== table) return true;
  if (cell === null) return true;
  const one = (v: unknown): boolean => {
    switch (f.type) {
      case 'port':
      case 'int':
      case 'float':
        return typeof v === 'number';
      case 'bool':
        return typeof v === 'boolean';
      default:
        return typeof v === 'string';
    }
  };
  return f.array ? Array.isArray(cell) && cell.every(one) : one(cell);
}

describe('the types agree with the emulator', () => {
  const statements = [
    README_USAGE.replace('2025.02.25', '2025.05.25').replace('2025.02.26', '2025.06.01'),
    STORAGE_WINDOW.replace(" and (rpt.type == 'ms')", ''),
    ATTACKS,
    HTTP_PAGE,
    SERVICE_MAP,
    'SELECT src.ip, dst.port, app_proto, start, end, bytes.recv, pkts.sent, flags, state, proto FROM flow LIMIT 200',
    'SELECT id, msg, cls, pr, sid, rev, ts, att_ck, attacker.ip, victim.ip, to_server FROM alert LIMIT 200',
  ];
  for (const text of statements) {
    it(text.slice(0, 60), async () => {
      const rows = await c.bql.query(text);
      expect(rows.length).toBeGreaterThan(0);
      const ast = parseQuery(text);
      const names = columnsOf(text).map((col) => (typeof col === 'string' ? col : col.name));
      for (const row of rows as Record<string, unknown>[]) {
        expect(Object.keys(row)).toEqual(names);
        ast.select.forEach((item, i) => {
          if (item.kind !== 'column') return;
          const cell = row[names[i] as string];
          if (item.expr.kind === 'field') {
            expect(
              fitsCatalogue(ast.from.name, item.expr.name, cell),
              `${item.expr.name} = ${JSON.stringify(cell)}`,
            ).toBe(true);
          } else if (item.expr.kind === 'subquery') {
            const sub = item.expr.query;
            expect(Array.isArray(cell)).toBe(true);
            for (const subRow of cell as Record<string, unknown>[]) {
              for (const s of sub.select) {
                if (s.kind !== 'column' || s.expr.kind !== 'field') continue;
                const name = s.alias ?? s.expr.name;
                expect(fitsCatalogue(sub.from.name, s.expr.name, subRow[name]), `${name}`).toBe(true);
              }
            }
          }
        });
      }
    });
  }
});
