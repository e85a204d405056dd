import { readFileSync } from 'node:fs';
import {
  type BqlAst,
  BqlSyntaxError,
  COMPARE_OPS,
  type Expr,
  format,
  MAX_BOOLEAN_OPERATORS,
  parse,
  parseFilter,
  parseQuery,
  stripSpans,
  validate,
} from 'ptnad-client/bql';
import { describe, expect, it } from 'vitest';

const examples = JSON.parse(
  readFileSync(new URL('../../../fixtures/bql-examples.json', import.meta.url), 'utf8'),
) as Array<{
  text: string;
  kind: 'filter' | 'query';
}>;

const expr = (text: string): Expr => stripSpans(parseFilter(text).expr);
const roundTrips = (ast: BqlAst): void => {
  expect(stripSpans(parse(format(ast)))).toEqual(stripSpans(ast));
  expect(stripSpans(parse(format(ast, { pretty: true })))).toEqual(stripSpans(ast));
};

describe('the shared examples', () => {
  it.each(examples.map((e) => [e.text, e.kind] as const))('%s', (text, kind) => {
    const ast = parse(text);
    expect(ast.kind).toBe(kind);
    expect(validate(ast).filter((d) => d.severity === 'error')).toEqual([]);
    roundTrips(ast);
  });
});

describe('filter structure', () => {
  it('AND binds tighter than OR, both left-associative', () => {
    expect(format(parse('host.port == 1 OR host.port == 2 AND host.port == 3'))).toBe(
      'host.port == 1 OR host.port == 2 AND host.port == 3',
    );
    const e = expr('a or b and c');
    expect(e).toEqual({
      kind: 'or',
      left: { kind: 'has', field: { kind: 'field', name: 'a' } },
      right: {
        kind: 'and',
        left: { kind: 'has', field: { kind: 'field', name: 'b' } },
        right: { kind: 'has', field: { kind: 'field', name: 'c' } },
      },
    });
    expect(expr('a && b && c')).toMatchObject({ kind: 'and', left: { kind: 'and' }, right: { kind: 'has' } });
    expect(expr('a || b or c OR d')).toMatchObject({ kind: 'or', left: { kind: 'or', left: { kind: 'or' } } });
  });

  it('NOT binds looser than a comparison and tighter than AND', () => {
    expect(expr('not a == 1')).toEqual({
      kind: 'not',
      expr: {
        kind: 'compare',
        op: '==',
        field: { kind: 'field', name: 'a' },
        value: { kind: 'number', value: 1, raw: '1' },
      },
    });
    expect(expr('!dst.dns')).toEqual({ kind: 'not', expr: { kind: 'has', field: { kind: 'field', name: 'dst.dns' } } });
    expect(expr('NOT a && b')).toMatchObject({ kind: 'and', left: { kind: 'not' }, right: { kind: 'has' } });
    expect(expr('!!a')).toMatchObject({ kind: 'not', expr: { kind: 'not', expr: { kind: 'has' } } });
  });

  it('reads every comparison operator, in [...], nested objects and EXISTS', () => {
    for (const op of COMPARE_OPS) {
      expect(expr(`pkts.recv ${op} 0`)).toMatchObject({ kind: 'compare', op });
    }
    expect(expr('a in [ 1, "x", y ]')).toEqual({
      kind: 'in',
      field: { kind: 'field', name: 'a' },
      values: [
        { kind: 'number', value: 1, raw: '1' },
        { kind: 'string', value: 'x' },
        { kind: 'word', value: 'y' },
      ],
    });
    expect(expr('a in []')).toMatchObject({ kind: 'in', values: [] });
    expect(expr('http(rqs.method==POST && !rqs.Referer)')).toMatchObject({
      kind: 'nested',
      object: 'http',
      filter: { kind: 'and', right: { kind: 'not', expr: { kind: 'has', field: { name: 'rqs.Referer' } } } },
    });
    expect(expr("EXISTS (SELECT * FROM 'alert' WHERE 'msg' ~ '*PSEXEC*')")).toMatchObject({
      kind: 'exists',
      query: { from: { name: 'alert' }, select: [{ kind: 'star' }], where: { field: { name: 'msg' } } },
    });
  });

  it('a quoted token is a field on the left and a literal on the right', () => {
    expect(expr("'src.ip' == '192.168.25.202'")).toEqual({
      kind: 'compare',
      op: '==',
      field: { kind: 'field', name: 'src.ip' },
      value: { kind: 'string', value: '192.168.25.202' },
    });
    expect(expr('"rsp.content-type" ~ "text/*"')).toMatchObject({ field: { name: 'rsp.content-type' } });
    expect(expr("'files'")).toEqual({ kind: 'has', field: { kind: 'field', name: 'files' } });
  });

  it('classifies bare values: numbers, IPs, CIDRs, dates, words', () => {
    const value = (v: string) => (expr(`x == ${v}`) as { value: unknown }).value;
    expect(value('-12.5')).toEqual({ kind: 'number', value: -12.5, raw: '-12.5' });
    expect(value('1748600000000')).toEqual({ kind: 'number', value: 1748600000000, raw: '1748600000000' });
    expect(value('192.168.25.202')).toEqual({ kind: 'ip', value: '192.168.25.202', version: 4 });
    expect(value('10.0.0.0/8')).toEqual({ kind: 'ip', value: '10.0.0.0/8', version: 4 });
    expect(value('fe80::1')).toEqual({ kind: 'ip', value: 'fe80::1', version: 6 });
    expect(value('::ffff:10.1.2.3')).toEqual({ kind: 'ip', value: '::ffff:10.1.2.3', version: 6 });
    expect(value('2001:db8::/32')).toEqual({ kind: 'ip', value: '2001:db8::/32', version: 6 });
    expect(value('2025.02.25')).toEqual({ kind: 'date', raw: '2025.02.25', epochMs: Date.UTC(2025, 1, 25) });
    expect(value('2024.02.29')).toMatchObject({ kind: 'date', epochMs: Date.UTC(2024, 1, 29) });
    expect(value('bittorrent')).toEqual({ kind: 'word', value: 'bittorrent' });
    expect(value('300.1.1.1')).toEqual({ kind: 'word', value: '300.1.1.1' });
    expect(value('tor-relays')).toEqual({ kind: 'word', value: 'tor-relays' });
    expect(value('end')).toEqual({ kind: 'word', value: 'end' });
    expect(value('00:50:56:83:B1:84')).toEqual({ kind: 'word', value: '00:50:56:83:B1:84' });
    expect(value('example.com:8080')).toEqual({ kind: 'word', value: 'example.com:8080' });
    expect(value('2025-04-06')).toEqual({ kind: 'word', value: '2025-04-06' });
  });

  it('processes string escapes; unknown escapes keep their backslash', () => {
    const value = (v: string) => (expr(`x == ${v}`) as { value: { value: string } }).value.value;
    expect(value(String.raw`"a\\b\"c\'d\ne\tf\rg"`)).toBe('a\\b"c\'d\ne\tf\rg');
    expect(value(String.raw`'it\'s'`)).toBe("it's");
    expect(value(String.raw`"*\\*"`)).toBe('*\\*');
    expect(value(String.raw`"\d+\*"`)).toBe('\\d+\\*');
    expect(value('"multi\nline"')).toBe('multi\nline');
    expect(value('""')).toBe('');
  });

  it('records spans as half-open offsets', () => {
    const text = 'a == 1 && !(b ~ "x")';
    const ast = parseFilter(text);
    expect(ast.span).toEqual({ start: 0, end: text.length });
    const e = ast.expr;
    if (e.kind !== 'and' || e.right.kind !== 'not' || e.left.kind !== 'compare') throw new Error('shape');
    expect(e.left.span).toEqual({ start: 0, end: 6 });
    expect(e.left.value.span).toEqual({ start: 5, end: 6 });
    expect(e.right.span).toEqual({ start: 10, end: 20 });
    expect(e.right.expr.span).toEqual({ start: 12, end: 19 });
    const q = parseQuery('SELECT a  FROM flow LIMIT 3  ');
    expect(q.span).toEqual({ start: 0, end: 27 });
    expect(q.from.span).toEqual({ start: 15, end: 19 });
  });
});

describe('statements', () => {
  it('parses every clause, keywords in any case, \\r\\n line breaks', () => {
    const q = parseQuery(
      'select "id", dst.ip proto, extract_raw_object(\'false_positive\'),\r\n' +
        '  (SELECT "app_proto" FROM "flow" LIMIT 1)\r\nFrOm alert\r\nWhere "ts" >= 1 AND Exists (Select * From flow Where x)\r\n' +
        'order BY "ts" DESC, pr Asc, id limit 50',
    );
    expect(stripSpans(q)).toEqual({
      kind: 'query',
      select: [
        { kind: 'column', expr: { kind: 'field', name: 'id' } },
        { kind: 'column', expr: { kind: 'field', name: 'dst.ip' }, alias: 'proto' },
        {
          kind: 'column',
          expr: { kind: 'call', name: 'extract_raw_object', args: [{ kind: 'string', value: 'false_positive' }] },
        },
        {
          kind: 'column',
          expr: {
            kind: 'subquery',
            query: {
              kind: 'query',
              select: [{ kind: 'column', expr: { kind: 'field', name: 'app_proto' } }],
              from: { kind: 'table', name: 'flow' },
              orderBy: [],
              limit: 1,
            },
          },
        },
      ],
      from: { kind: 'table', name: 'alert' },
      where: {
        kind: 'and',
        left: {
          kind: 'compare',
          op: '>=',
          field: { kind: 'field', name: 'ts' },
          value: { kind: 'number', value: 1, raw: '1' },
        },
        right: {
          kind: 'exists',
          query: {
            kind: 'query',
            select: [{ kind: 'star' }],
            from: { kind: 'table', name: 'flow' },
            where: { kind: 'has', field: { kind: 'field', name: 'x' } },
            orderBy: [],
          },
        },
      },
      orderBy: [
        { kind: 'order', field: { kind: 'field', name: 'ts' }, direction: 'desc' },
        { kind: 'order', field: { kind: 'field', name: 'pr' }, direction: 'asc' },
        { kind: 'order', field: { kind: 'field', name: 'id' } },
      ],
      limit: 50,
    });
    roundTrips(q);
  });

  it('parse() tells statements from filters by the first word', () => {
    expect(parse('  SeLeCt a FROM flow').kind).toBe('query');
    expect(parse('selected == 1').kind).toBe('filter');
    expect(parse("(app_proto == 'x')").kind).toBe('filter');
  });

  it('prints canonically and prettily', () => {
    const q = parseQuery("select a,b c from 'flow' where (x and y) or not z order by a desc limit 0");
    expect(format(q)).toBe('SELECT a, b c FROM flow WHERE x AND y OR not z ORDER BY a desc LIMIT 0');
    expect(format(q, { pretty: true })).toBe(
      'SELECT a, b c\nFROM flow\nWHERE x AND y OR not z\nORDER BY a desc\nLIMIT 0',
    );
    expect(format(parse('a and (b or c) and not (d and e)'))).toBe('a AND (b OR c) AND not (d AND e)');
    expect(format(parse('a or (b or c)'))).toBe('a OR (b OR c)');
    expect(format(parse('"select" == "x" and "a b" and x == \'it"s\''))).toBe(
      '"select" == "x" AND "a b" AND x == "it\\"s"',
    );
  });

  it(`accepts up to ${MAX_BOOLEAN_OPERATORS} AND/OR operators and round-trips long chains`, () => {
    const terms = Array.from({ length: MAX_BOOLEAN_OPERATORS + 1 }, (_, i) => `dst.port == ${i}`);
    const ast = parse(terms.join(' || '));
    roundTrips(ast);
    expect(() => parse(`${terms.join(' || ')} || x`)).toThrow(/more than 2048 AND\/OR operators/);
  });
});

interface Bad {
  text: string;
  line: number;
  column: number;
  reason: RegExp;
  expected?: string[];
}

const bad: Bad[] = [
  {
    text: '(host.port == 2222',
    line: 1,
    column: 19,
    reason: /missing '\)'.*line 1, column 1/,
    expected: ["')'", 'AND', 'OR'],
  },
  {
    text: 'host.port == 2 &&',
    line: 1,
    column: 18,
    reason: /unexpected end of input/,
    expected: ['field', "'('", 'NOT', 'EXISTS'],
  },
  { text: 'app_proto == "x" OR', line: 1, column: 20, reason: /unexpected end of input/ },
  {
    text: 'app_proto == "imap"; SELECT * FROM flow',
    line: 1,
    column: 20,
    reason: /character ';'/,
    expected: ['AND', 'OR', 'end of input'],
  },
  { text: 'a == "abc', line: 1, column: 6, reason: /unterminated string/ },
  { text: "a == 'abc\\'", line: 1, column: 6, reason: /unterminated string/ },
  { text: '', line: 1, column: 1, reason: /empty query/ },
  { text: '  \n\t ', line: 1, column: 1, reason: /empty query/ },
  { text: 'SELECT FROM flow', line: 1, column: 8, reason: /unexpected 'FROM'/ },
  { text: 'SELECT src.ip,\r\n  dst.ip\r\nFROM flow WHERE a == 1 b', line: 3, column: 24, reason: /unexpected 'b'/ },
  { text: 'SELECT a\nFROM flow\nWHERE (a == 1\n', line: 3, column: 14, reason: /missing '\)'.*line 3, column 7/ },
  { text: 'a = 1', line: 1, column: 3, reason: /'=='/ },
  { text: 'a == 1 & b', line: 1, column: 8, reason: /did you mean '&&'/ },
  { text: 'a in [1, 2', line: 1, column: 11, reason: /missing '\]'/ },
  { text: 'a in 1', line: 1, column: 6, reason: /expected '\['/ },
  { text: 'SELECT a FROM', line: 1, column: 14, reason: /expected table name/ },
  { text: 'SELECT a FROM flow LIMIT x', line: 1, column: 26, reason: /non-negative integer/ },
  { text: 'SELECT a FROM flow LIMIT 1.5', line: 1, column: 26, reason: /LIMIT must be a non-negative integer/ },
  { text: 'SELECT a FROM flow LIMIT -1', line: 1, column: 26, reason: /LIMIT must be a non-negative integer/ },
  { text: 'SELECT a FROM flow ORDER start', line: 1, column: 26, reason: /expected BY/ },
  { text: 'SELECT a FROM flow LIMIT 1 WHERE a', line: 1, column: 28, reason: /expected end of input/ },
  { text: 'EXISTS (a == 1)', line: 1, column: 9, reason: /expected SELECT/ },
  { text: 'a == and', line: 1, column: 6, reason: /expected value/ },
  { text: '== 1', line: 1, column: 1, reason: /expected field/ },
  { text: 'a == 2025.13.01', line: 1, column: 6, reason: /invalid date/ },
  { text: 'http(rqs.method == POST', line: 1, column: 24, reason: /missing '\)'/ },
  { text: 'a == 1)', line: 1, column: 7, reason: /unexpected '\)'/ },
  { text: 'a ==\n\n   ', line: 1, column: 5, reason: /expected value/ },
  { text: 'SELECT a, FROM flow', line: 1, column: 11, reason: /unexpected 'FROM'/ },
  { text: '"" == 1', line: 1, column: 1, reason: /empty field name/ },
  { text: 'a == 1 # comment', line: 1, column: 8, reason: /character '#'/ },
  { text: 'x. == 1', line: 1, column: 1, reason: /'x\.' is not a field name/ },
  { text: '\ta == 1 b', line: 1, column: 9, reason: /unexpected 'b'/ },
  { text: 'SELECT (a) FROM flow', line: 1, column: 9, reason: /expected SELECT/ },
  { text: 'SELECT (SELECT a FROM b FROM flow', line: 1, column: 25, reason: /expected WHERE, ORDER BY, LIMIT or '\)'/ },
  { text: 'a == 1 SELECT', line: 1, column: 8, reason: /unexpected 'SELECT'/ },
  { text: 'a == "ok" && b == "x\ny', line: 1, column: 19, reason: /unterminated string/ },
  { text: 'a ~~ 1', line: 1, column: 4, reason: /expected value/ },
  { text: 'a ==\u00a01', line: 1, column: 5, reason: /character U\+00A0/ },
  { text: '\ufeffa == 1', line: 1, column: 1, reason: /character U\+FEFF/ },
];

describe('invalid input: exact positions', () => {
  it.each(bad.map((b) => [JSON.stringify(b.text), b] as const))('%s', (_name, b) => {
    let caught: unknown;
    try {
      parse(b.text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BqlSyntaxError);
    const e = caught as BqlSyntaxError;
    expect({ line: e.line, column: e.column }).toEqual({ line: b.line, column: b.column });
    expect(e.reason).toMatch(b.reason);
    if (b.expected !== undefined) expect(e.expected).toEqual(b.expected);
    // The message quotes the offending line and puts the caret under the column.
    const [, quoted, caret] = e.message.split('\n');
    const lineText = b.text.split('\n')[b.line - 1]?.replace(/\r$/, '') ?? '';
    expect(quoted).toBe(`  ${lineText}`);
    expect(caret).toBe(`  ${lineText.slice(0, b.column - 1).replace(/[^\t]/g, ' ')}^`);
    expect(e.message).toContain(`line ${b.line}, column ${b.column}`);
    // offset agrees with line and column
    const lines = b.text.slice(0, e.offset).split('\n');
    expect(lines.length).toBe(b.line);
    expect((lines[lines.length - 1] ?? '').length + 1).toBe(b.column);
  });

  it('cuts very long lines to a window around the caret', () => {
    const text = `${'a == 1 && '.repeat(50)}b ==`;
    try {
      parse(text);
      expect.unreachable();
    } catch (e) {
      const err = e as BqlSyntaxError;
      expect(err.column).toBe(text.length + 1);
      const [, quoted = '', caret = ''] = err.message.split('\n');
      expect(quoted.startsWith('  …')).toBe(true);
      expect(quoted.length).toBeLessThan(110);
      expect(caret.indexOf('^')).toBe(quoted.length);
    }
  });
});

describe('deep nesting fails cleanly', () => {
  const deep = (open: string, inner: string, close: string, n: number) => open.repeat(n) + inner + close.repeat(n);
  it.each([
    ['parentheses', deep('(', 'a == 1', ')', 100_000)],
    ['NOTs', deep('!', 'a', '', 100_000)],
    ['object filters', deep('http(', 'a', ')', 50_000)],
    ['EXISTS', deep('EXISTS (SELECT * FROM flow WHERE ', 'a', ')', 20_000)],
    ['subqueries', `SELECT ${deep('(SELECT ', 'a FROM flow', ')', 20_000)} FROM flow`],
  ])('%s', (_name, text) => {
    expect(() => parse(text)).toThrow(BqlSyntaxError);
    expect(() => parse(text)).toThrow(/nesting deeper than 256 levels/);
  });

  it('accepts nesting up to the limit', () => {
    const ast = parse(`${'('.repeat(256)}a == 1${')'.repeat(256)}`);
    expect(stripSpans(ast)).toEqual(stripSpans(parse('a == 1')));
    expect(() => parse(`${'('.repeat(257)}a == 1${')'.repeat(257)}`)).toThrow(/nesting/);
  });
});
