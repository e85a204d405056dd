import fc from 'fast-check';
import { ValidationError } from 'ptnad-client';
import {
  BqlQuery,
  BqlSyntaxError,
  bql,
  type Expr,
  field,
  format,
  isBqlQuery,
  literal,
  parse,
  stripSpans,
} from 'ptnad-client/bql';
import { describe, expect, it } from 'vitest';

/** The one comparison a filter consists of; fails the test when the filter is anything else. */
function onlyCompare(e: Expr): Extract<Expr, { kind: 'compare' }> {
  expect(e.kind).toBe('compare');
  return e as Extract<Expr, { kind: 'compare' }>;
}

describe('injection property', () => {
  it('for any string s, bql`f == <s>` is exactly one comparison whose literal is s', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const q = bql`f == ${s}`;
        expect(q.ast.kind).toBe('filter');
        if (q.ast.kind !== 'filter') return;
        const c = onlyCompare(q.ast.expr);
        expect(stripSpans(c)).toEqual({
          kind: 'compare',
          op: '==',
          field: { kind: 'field', name: 'f' },
          value: { kind: 'string', value: s },
        });
        // The text alone (what goes over the wire) says the same.
        expect(stripSpans(parse(q.text))).toEqual(stripSpans(q.ast));
      }),
      { numRuns: 3000 },
    );
  });

  it('hostile strings built from BQL syntax stay one literal', () => {
    const hostile = fc
      .array(
        fc.constantFrom(
          '"',
          "'",
          '\\',
          ')',
          '(',
          ' OR ',
          ' && ',
          '1',
          '==',
          '\n',
          '\r',
          '\t',
          ';',
          ' SELECT * FROM flow',
          ']',
          '[',
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(hostile, (s) => {
        const q = bql`SELECT src.ip FROM flow WHERE app_proto == ${s} LIMIT 1`;
        expect(q.ast.kind).toBe('query');
        if (q.ast.kind !== 'query' || q.ast.where === undefined) return;
        expect(onlyCompare(q.ast.where).value).toMatchObject({ kind: 'string', value: s });
        expect(q.ast.limit).toBe(1);
      }),
      { numRuns: 1500 },
    );
  });

  it('inside in [...] every string is exactly one element', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 6 }), (values) => {
        const q = bql`f in ${values}`;
        if (q.ast.kind !== 'filter') throw new Error('expected a filter');
        expect(stripSpans(q.ast.expr)).toEqual({
          kind: 'in',
          field: { kind: 'field', name: 'f' },
          values: values.map((value) => ({ kind: 'string', value })),
        });
      }),
      { numRuns: 1500 },
    );
  });

  it('any finite number comes back as the same number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), (n) => {
        const q = bql`f >= ${n}`;
        if (q.ast.kind !== 'filter') throw new Error('expected a filter');
        const v = onlyCompare(q.ast.expr).value;
        expect(v.kind).toBe('number');
        expect(v.kind === 'number' && v.value).toBe(Object.is(n, -0) ? 0 : n);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the bql tag', () => {
  it('renders each kind of value', () => {
    const q = bql`SELECT src.ip FROM flow WHERE dst.ip == ${'10.0.0.1'} AND end >= ${new Date(Date.UTC(2025, 1, 25))} AND has_files == ${true} AND bytes.recv > ${2n ** 60n} AND x in ${[1, 'a', false]} LIMIT ${10}`;
    expect(q.text).toBe(
      'SELECT src.ip FROM flow WHERE dst.ip == "10.0.0.1" AND end >= 1740441600000 AND has_files == 1 AND bytes.recv > 1152921504606846976 AND x in [1, "a", 0] LIMIT 10',
    );
    expect(q.ast.kind === 'query' && q.ast.limit).toBe(10);
    expect(String(q)).toBe(q.text);
    expect(JSON.stringify({ q })).toBe(JSON.stringify({ q: q.text }));
  });

  it('interpolates identifiers only through field()', () => {
    const q = bql`SELECT ${field('rsp.content-type')} FROM ${field('http')} WHERE ${field('from')} == 1 AND ${field('http')}(rqs.method == POST)`;
    expect(q.text).toBe('SELECT rsp.content-type FROM http WHERE "from" == 1 AND http(rqs.method == POST)');
    expect(() => bql`${'dst.port'} == 1`).toThrow(ValidationError);
    expect(() => bql`${'dst.port'} == 1`).toThrow(/use field\(\) for names/);
    expect(() => bql`SELECT a FROM ${'flow'}`).toThrow(/Value #1 is not a whole literal/);
    expect(() => bql`${field('a')}.b == 1`).toThrow(/field\(\) value #1 is not a whole name/);
  });

  it('field() rejects anything that is not a field path', () => {
    for (const bad of ['', 'a b', 'a == 1', 'a)', '"a"', "a'", 'a..b', '.a', 'a.', '1a', 'a;b', 'a\nb', 'a/b', 'a*']) {
      expect(() => field(bad), bad).toThrow(ValidationError);
    }
    expect(() => field(42 as unknown as string)).toThrow(ValidationError);
    expect(field('_prn.id').name).toBe('_prn.id');
  });

  it('rejects values it cannot express or that do not land as one literal', () => {
    expect(() => bql`f == ${Number.NaN}`).toThrow(/no literal for NaN/);
    expect(() => bql`f == ${Number.POSITIVE_INFINITY}`).toThrow(ValidationError);
    expect(() => bql`f == ${new Date('nope')}`).toThrow(/invalid Date/);
    expect(() => bql`f == ${null as unknown as string}`).toThrow(/Cannot use null/);
    expect(() => bql`f == ${{} as unknown as string}`).toThrow(ValidationError);
    expect(() => bql`f == ${undefined as unknown as string}`).toThrow(/Cannot use undefined/);
    expect(() => bql`f == ${Symbol('s') as unknown as string}`).toThrow(/Cannot use a symbol/);
    expect(() => bql`f in ${[[1]] as unknown as number[]}`).toThrow(/arrays may only hold literal values/);
    expect(() => bql`f == x${1}`).toThrow(ValidationError);
    expect(() => bql`f == -${1}`).toThrow(ValidationError);
    expect(() => bql`f == ${'a'}${'b'}`).toThrow(BqlSyntaxError);
    expect(() => bql`SELECT a FROM flow LIMIT 1${0}`).toThrow(ValidationError);
    // What a tagged template with an invalid escape (`\u{`) hands over: undefined cooked text.
    const invalid = Object.assign(['a == ', undefined], { raw: ['a == ', '\\u{'] });
    expect(() => bql(invalid as unknown as TemplateStringsArray, 1)).toThrow(/invalid escape sequence/);
  });

  it('splices fragments as parenthesised sub-expressions and subqueries', () => {
    const proto = bql`app_proto == ${'smtp'} OR app_proto == ${'imap'}`;
    const q = bql`${proto} AND dst.port != ${25}`;
    expect(q.text).toBe('(app_proto == "smtp" OR app_proto == "imap") AND dst.port != 25');
    expect(q.ast.kind === 'filter' && q.ast.expr.kind).toBe('and');
    const sub = bql`SELECT * FROM alert WHERE pr == ${1}`;
    expect(bql`EXISTS ${sub}`.text).toBe('EXISTS (SELECT * FROM alert WHERE pr == 1)');
    expect(bql`not ${parse('a or b')}`.text).toBe('not (a OR b)');
  });

  it('literal() gives AST literals; hand-made literal nodes are checked', () => {
    expect(literal('x')).toEqual({ kind: 'string', value: 'x' });
    expect(literal(1e21)).toEqual({ kind: 'number', value: 1e21, raw: '1000000000000000000000' });
    expect(literal(new Date(5))).toEqual({ kind: 'number', value: 5, raw: '5' });
    expect(bql`src.ip == ${{ kind: 'ip', value: '10.0.0.0/8', version: 4 }}`.text).toBe('src.ip == 10.0.0.0/8');
    expect(bql`app_proto == ${{ kind: 'word', value: 'bittorrent' }}`.text).toBe('app_proto == bittorrent');
    // A word that is not a word (it would change the structure) degrades to a quoted string.
    expect(bql`a == ${{ kind: 'word', value: 'x OR 1' }}`.text).toBe('a == "x OR 1"');
    expect(() => literal({ kind: 'ip', value: '1.2.3.4 OR 1', version: 4 })).toThrow(/Malformed ip literal/);
  });

  it('isBqlQuery recognises builder results, also from another copy of the module', () => {
    const q = bql`a == ${1}`;
    expect(isBqlQuery(q)).toBe(true);
    expect(q).toBeInstanceOf(BqlQuery);
    expect(isBqlQuery('a == 1')).toBe(false);
    expect(isBqlQuery({ text: 'a', ast: {} })).toBe(false);
    const foreign = { [Symbol.for('ptnad-client.bql.query')]: true, text: 'a', ast: parse('a') };
    expect(isBqlQuery(foreign)).toBe(true);
    expect(format(q.ast)).toBe('a == 1');
  });
});
