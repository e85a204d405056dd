import { ValidationError } from 'ptnad-client';
import {
  andFilter,
  BqlSyntaxError,
  bql,
  columnsOf,
  format,
  parse,
  parseFilter,
  parseQuery,
  rowsToObjects,
  toEpochMs,
  withLimit,
  withOrderBy,
  withTimeRange,
} from 'ptnad-client/bql';
import { describe, expect, it } from 'vitest';

// The SB attack query (§8.4): alert columns, a function call and the parent-flow subquery.
const ATTACK = `SELECT "attacker.ip", "id", extract_raw_object('false_positive'),
  (SELECT "app_proto", "dst.ip", "dst.port", "flags" FROM "flow" LIMIT 1), "ts"
FROM "alert" WHERE "ts" >= 1686171600000 ORDER BY "ts" desc LIMIT 50`;

describe('columnsOf', () => {
  it('names columns in select order: field, alias, call text, subquery', () => {
    expect(columnsOf(ATTACK)).toEqual([
      'attacker.ip',
      'id',
      "extract_raw_object('false_positive')",
      { name: 'flow', columns: ['app_proto', 'dst.ip', 'dst.port', 'flags'] },
      'ts',
    ]);
    expect(columnsOf('SELECT src.ip, dst.ip proto FROM flow')).toEqual(['src.ip', 'proto']);
    expect(columnsOf('SELECT (SELECT a FROM http) reqs, f("it\'s", 1, x) FROM flow')).toEqual([
      { name: 'reqs', columns: ['a'] },
      "f('it\\'s', 1, x)",
    ]);
    expect(columnsOf('SELECT * FROM flow')).toEqual(['*']);
  });

  it('accepts text, AST or builder result, and rejects filters', () => {
    const q = bql`SELECT id FROM flow WHERE dst.port == ${53}`;
    expect(columnsOf(q)).toEqual(['id']);
    expect(columnsOf(parseQuery('SELECT id FROM flow'))).toEqual(['id']);
    expect(() => columnsOf(bql`a == ${1}`)).toThrow(ValidationError);
    expect(() => columnsOf('a == 1')).toThrow(BqlSyntaxError);
  });
});

describe('rowsToObjects', () => {
  it('zips the SB attack row, nesting the subquery cell', () => {
    const rows = [
      [
        '192.168.25.202',
        'vRwB4Z4BaLX3hldUvkZ1',
        null,
        [['', '192.168.214.203', 2222, ['ESTABLISHED', 'FINISHED']]],
        '2023-06-08T11:02:08.718426',
      ],
    ];
    expect(rowsToObjects(ATTACK, rows)).toEqual([
      {
        'attacker.ip': '192.168.25.202',
        id: 'vRwB4Z4BaLX3hldUvkZ1',
        "extract_raw_object('false_positive')": null,
        flow: [{ app_proto: '', 'dst.ip': '192.168.214.203', 'dst.port': 2222, flags: ['ESTABLISHED', 'FINISHED'] }],
        ts: '2023-06-08T11:02:08.718426',
      },
    ]);
    // Same result from a column list computed earlier.
    expect(rowsToObjects(columnsOf(ATTACK), rows)).toEqual(rowsToObjects(ATTACK, rows));
  });

  it('handles duplicates, short and long rows, null subquery cells and hostile names', () => {
    const q = 'SELECT src.ip, src.ip, (SELECT a FROM http), "__proto__" FROM flow';
    const [obj] = rowsToObjects(q, [['1.1.1.1', '2.2.2.2', null, 'p', 'extra']]);
    expect(obj).toEqual({ 'src.ip': '1.1.1.1', 'src.ip#2': '2.2.2.2', http: null, ['__proto__']: 'p', '#4': 'extra' });
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(Object.keys(obj ?? {})).toContain('__proto__');
    expect(rowsToObjects('SELECT a, b FROM flow', [['x']])).toEqual([{ a: 'x', b: null }]);
    expect(rowsToObjects('SELECT a FROM flow', [])).toEqual([]);
  });

  it('rejects rows that are not arrays and SELECT *', () => {
    expect(() => rowsToObjects('SELECT a FROM flow', [{ a: 1 }])).toThrow(/row 0 to be an array/);
    expect(() => rowsToObjects('SELECT (SELECT a FROM http) FROM flow', [[[7]]])).toThrow(/http\[0\]/);
    expect(() => rowsToObjects('SELECT * FROM flow', [[1]])).toThrow(/SELECT \*/);
  });
});

describe('rewrites', () => {
  it('andFilter adds to WHERE or to a bare filter, without touching the input', () => {
    const q = parseQuery('SELECT id FROM flow WHERE a == 1 OR b LIMIT 5');
    const before = JSON.stringify(q);
    const r = andFilter(q, 'dst.port == 53');
    expect(format(r)).toBe('SELECT id FROM flow WHERE (a == 1 OR b) AND dst.port == 53 LIMIT 5');
    expect(JSON.stringify(q)).toBe(before);
    expect(JSON.stringify(r)).not.toContain('span');
    expect(format(andFilter('SELECT id FROM flow', bql`app_proto == ${'dns'}`))).toBe(
      'SELECT id FROM flow WHERE app_proto == "dns"',
    );
    expect(format(andFilter(parseFilter('a'), parseFilter('b or c')))).toBe('a AND (b OR c)');
    expect(() => andFilter('a', 'SELECT * FROM flow')).toThrow(BqlSyntaxError);
    expect(() => andFilter('a', parseQuery('SELECT * FROM flow') as never)).toThrow(/got a SELECT statement/);
  });

  it('withTimeRange adds [start, end) on the table time field', () => {
    const start = Date.UTC(2025, 1, 25);
    const end = Date.UTC(2025, 1, 26);
    expect(format(withTimeRange('SELECT id FROM flow', { start: '2025-02-25', end: new Date(end) }))).toBe(
      `SELECT id FROM flow WHERE end >= ${start} AND end < ${end}`,
    );
    expect(format(withTimeRange('SELECT id FROM alert WHERE pr == 1', { start }))).toBe(
      `SELECT id FROM alert WHERE pr == 1 AND ts >= ${start}`,
    );
    expect(format(withTimeRange('app_proto == "dns"', { end: '2025-02-26T00:00:00' }))).toBe(
      `app_proto == "dns" AND end < ${end}`,
    );
    expect(format(withTimeRange('SELECT id FROM flow', { start, field: 'start' }))).toBe(
      `SELECT id FROM flow WHERE start >= ${start}`,
    );
    expect(format(withTimeRange('SELECT id FROM http', { start }))).toBe(
      `SELECT id FROM http WHERE tx_time >= ${start}`,
    );
  });

  it('withTimeRange rejects bad ranges', () => {
    expect(() => withTimeRange('a', {})).toThrow(/needs a start or an end/);
    expect(() => withTimeRange('a', { start: 10, end: 10 })).toThrow(/must be after start/);
    expect(() => withTimeRange('a', { start: 'last tuesday' })).toThrow(/Invalid start/);
    expect(() => withTimeRange('a', { end: new Date('x') })).toThrow(/Invalid end/);
    expect(() => withTimeRange('SELECT a FROM mystery', { start: 1 })).toThrow(/No default time field/);
  });

  it('toEpochMs reads Dates, numbers and ISO strings (no zone = UTC)', () => {
    expect(toEpochMs('2025-04-06T15:49:19')).toBe(Date.UTC(2025, 3, 6, 15, 49, 19));
    expect(toEpochMs('2025-04-06 15:49:19.5')).toBe(Date.UTC(2025, 3, 6, 15, 49, 19, 500));
    expect(toEpochMs('2025-04-06T15:49:19+03:00')).toBe(Date.UTC(2025, 3, 6, 12, 49, 19));
    expect(toEpochMs('1748600000000')).toBe(1748600000000);
    expect(toEpochMs(new Date(7))).toBe(7);
    expect(() => toEpochMs(Number.NaN)).toThrow(ValidationError);
  });

  it('withLimit and withOrderBy replace their clauses', () => {
    expect(format(withLimit('SELECT id FROM flow LIMIT 5', 0))).toBe('SELECT id FROM flow LIMIT 0');
    expect(() => withLimit('SELECT id FROM flow', -1)).toThrow(/non-negative integer/);
    expect(() => withLimit('SELECT id FROM flow', 1.5)).toThrow(ValidationError);
    expect(() => withLimit('a == 1', 1)).toThrow(BqlSyntaxError);
    expect(() => withLimit(parseFilter('a == 1') as never, 1)).toThrow(/bare filter/);
    const q = withOrderBy(
      'SELECT id FROM flow ORDER BY id',
      'start DESC',
      { field: 'rsp.content-type', direction: 'asc' },
      'end',
    );
    expect(format(q)).toBe('SELECT id FROM flow ORDER BY start desc, rsp.content-type asc, end');
    expect(format(withOrderBy(q))).toBe('SELECT id FROM flow');
    expect(() => withOrderBy('SELECT id FROM flow', 'start; DROP')).toThrow(/Not an ORDER BY item/);
    expect(() => withOrderBy('SELECT id FROM flow', { field: 'x', direction: 'up' as 'asc' })).toThrow(/direction/);
    expect(parse(format(q)).kind).toBe('query');
  });
});
