import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  BqlSyntaxError,
  COMPARE_OPS,
  type ColumnItem,
  type CompareOp,
  type Expr,
  type FieldRef,
  type FuncCall,
  format,
  type Literal,
  numberText,
  type OrderItem,
  parse,
  type QueryAst,
  type SelectItem,
  stripSpans,
  validate,
} from 'ptnad-client/bql';
import { describe, expect, it } from 'vitest';

const examples = (
  JSON.parse(readFileSync(new URL('../../../fixtures/bql-examples.json', import.meta.url), 'utf8')) as Array<{
    text: string;
  }>
).map((e) => e.text);

/** Parses, and when that succeeds checks that the result prints and re-parses to itself and validates. */
function parseOrSyntaxError(text: string): void {
  let ast: ReturnType<typeof parse>;
  try {
    ast = parse(text);
  } catch (e) {
    if (!(e instanceof BqlSyntaxError)) throw e;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(text.length);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    return;
  }
  expect(stripSpans(parse(format(ast)))).toEqual(stripSpans(ast));
  expect(Array.isArray(validate(ast))).toBe(true);
}

const TOKENS = [
  ...COMPARE_OPS,
  ' ',
  '(',
  ')',
  '[',
  ']',
  ',',
  '*',
  '!',
  '=',
  '&&',
  '||',
  '&',
  '|',
  '"',
  "'",
  '\\',
  '.',
  '-',
  '/',
  ':',
  '\n',
  '\r\n',
  ';',
  'a',
  'src.ip',
  'and',
  'OR',
  'not',
  'in',
  'SELECT',
  'FROM',
  'WHERE',
  'ORDER',
  'BY',
  'LIMIT',
  'EXISTS',
  'desc',
  '1',
  '-2.5',
  '10.0.0.1',
  'fe80::1',
  '2025.02.25',
  '"x"',
  "'y'",
  'http(',
  'flow',
  '\u00e9',
  '\ud83d\ude00',
  '\ud800',
];

describe('fuzzing never throws anything but BqlSyntaxError', () => {
  it('random strings over BQL-ish characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), parseOrSyntaxError), { numRuns: 2000 });
  });

  it('random token soups', () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((t) => t.join(''));
    fc.assert(fc.property(soup, parseOrSyntaxError), { numRuns: 3000 });
  });

  it('mutations of the shared examples', () => {
    const edit = fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 4 }),
      insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3, unit: 'binary' })),
    });
    const mutated = fc
      .tuple(fc.constantFrom(...examples), fc.array(edit, { minLength: 1, maxLength: 4 }))
      .map(([text, edits]) =>
        edits.reduce((t, e) => {
          const at = e.at % (t.length + 1);
          return t.slice(0, at) + e.insert + t.slice(at + e.cut);
        }, text),
      );
    fc.assert(fc.property(mutated, parseOrSyntaxError), { numRuns: 3000 });
  });
});

// ------------------------------------------------------------ generated ASTs

const RESERVED = /^(select|from|where|order|by|limit|and|or|not|in|exists)$/i;
const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
const plainName = ident.filter((w) => !RESERVED.test(w));
const path = fc.array(ident, { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));
/** Any non-empty name: plain paths print bare, everything else quoted. */
const anyName = fc.oneof(path, fc.string({ minLength: 1, maxLength: 8, unit: 'binary' }));
const fieldRef: fc.Arbitrary<FieldRef> = anyName.map((name) => ({ kind: 'field', name }));

const numberLit: fc.Arbitrary<Literal> = fc
  .oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.maxSafeInteger())
  .map((n) => {
    const raw = numberText(n);
    return { kind: 'number', value: Number(raw), raw };
  });
const dateLit: fc.Arbitrary<Literal> = fc
  .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => {
    const raw = d.toISOString().slice(0, 10).replaceAll('-', '.');
    const epochMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return { kind: 'date', raw, epochMs };
  });
const ipLit: fc.Arbitrary<Literal> = fc.oneof(
  fc.tuple(fc.ipV4(), fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined })).map(([ip, p]) => ({
    kind: 'ip' as const,
    value: p === undefined ? ip : `${ip}/${p}`,
    version: 4 as const,
  })),
  fc.ipV6().map((ip) => ({ kind: 'ip' as const, value: ip, version: 6 as const })),
);
const wordLit: fc.Arbitrary<Literal> = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_.:/-]{0,8}$/)
  .filter((w) => !RESERVED.test(w) && isWord(w))
  .map((value) => ({ kind: 'word', value }));

/** True when the parser reads `w` on the value side as a bare word (not an IPv6 address like `a::`). */
function isWord(w: string): boolean {
  const ast = parse(`x == ${w}`);
  return ast.kind === 'filter' && ast.expr.kind === 'compare' && ast.expr.value.kind === 'word';
}
const stringLit: fc.Arbitrary<Literal> = fc
  .string({ maxLength: 12, unit: 'binary' })
  .map((value) => ({ kind: 'string', value }));
const literal = fc.oneof(stringLit, wordLit, numberLit, ipLit, dateLit);

const { expr, query } = fc.letrec<{ expr: Expr; query: QueryAst }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('compare' as const),
      op: fc.constantFrom<CompareOp>(...COMPARE_OPS),
      field: fieldRef,
      value: literal,
    }),
    fc.record({ kind: fc.constant('in' as const), field: fieldRef, values: fc.array(literal, { maxLength: 3 }) }),
    fc.record({ kind: fc.constant('has' as const), field: fieldRef }),
    fc.record({ kind: fc.constant('nested' as const), object: anyName, filter: tie('expr') }),
    fc.record({ kind: fc.constant('exists' as const), query: tie('query') }),
    fc.record({ kind: fc.constant('and' as const), left: tie('expr'), right: tie('expr') }),
    fc.record({ kind: fc.constant('or' as const), left: tie('expr'), right: tie('expr') }),
    fc.record({ kind: fc.constant('not' as const), expr: tie('expr') }),
  ),
  query: fc.record(
    {
      kind: fc.constant('query' as const),
      select: fc.array(selectItem(tie('query') as fc.Arbitrary<QueryAst>), { minLength: 1, maxLength: 3 }),
      from: anyName.map((name) => ({ kind: 'table' as const, name })),
      where: fc.option(tie('expr'), { nil: undefined }),
      orderBy: fc.array(
        fc.record(
          {
            kind: fc.constant('order' as const),
            field: fieldRef,
            direction: fc.constantFrom('asc' as const, 'desc' as const),
          },
          { requiredKeys: ['kind', 'field'] },
        ) as fc.Arbitrary<OrderItem>,
        { maxLength: 2 },
      ),
      limit: fc.option(fc.nat(), { nil: undefined }),
    },
    { requiredKeys: ['kind', 'select', 'from', 'orderBy'] },
  ),
}));

function selectItem(sub: fc.Arbitrary<QueryAst>): fc.Arbitrary<SelectItem> {
  const call: fc.Arbitrary<FuncCall> = fc.record({
    kind: fc.constant('call' as const),
    name: plainName,
    args: fc.array(
      fc.oneof(
        stringLit,
        numberLit,
        ipLit,
        dateLit,
        path.filter((p) => !RESERVED.test(p)).map((name): FieldRef => ({ kind: 'field', name })),
      ),
      { maxLength: 2 },
    ),
  });
  const column: fc.Arbitrary<ColumnItem> = fc.record(
    {
      kind: fc.constant('column' as const),
      expr: fc.oneof(
        fieldRef,
        call,
        sub.map((query) => ({ kind: 'subquery' as const, query })),
      ),
      alias: anyName,
    },
    { requiredKeys: ['kind', 'expr'] },
  );
  return fc.oneof(column, fc.constant({ kind: 'star' as const }));
}

describe('round-trip over generated ASTs', () => {
  it('parse(format(filter)) equals the filter', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const ast = { kind: 'filter' as const, expr: e };
        expect(stripSpans(parse(format(ast)))).toEqual(ast);
      }),
      { numRuns: 1500 },
    );
  });

  it('parse(format(query)) equals the query, also pretty-printed', () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(stripSpans(parse(format(q)))).toEqual(stripSpans(q));
        expect(stripSpans(parse(format(q, { pretty: true })))).toEqual(stripSpans(q));
      }),
      { numRuns: 800 },
    );
  });
});
