// The shared example corpus runs on the default dataset with real hits; malformed queries fail with a position;
// filters compile to canonical text; flow and alert details have the wire shape.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alertDetail,
  BqlEngineError,
  compileFilter,
  DETAIL_ARRAY_CAP,
  executeBql,
  findFlow,
  flowDetail,
} from '../src/engine/index.js';
import { generateDataset } from '../src/store/dataset.js';
import type { FlowRecord, HttpTx } from '../src/store/types.js';

interface Example {
  text: string;
  kind: 'filter' | 'query';
  note: string;
}

const EXAMPLES = JSON.parse(
  readFileSync(new URL('../../../fixtures/bql-examples.json', import.meta.url), 'utf8'),
) as Example[];
const NOW = new Date('2026-11-20T08:30:00Z');
let flows: FlowRecord[];

beforeAll(() => {
  flows = generateDataset({ seed: 1, flows: 20_000, now: NOW }).flows;
});

const run = (text: string) => executeBql(text, { flows, now: NOW });

describe('shared example corpus', () => {
  const filters = EXAMPLES.filter((e) => e.kind === 'filter');

  it('holds filters and queries', () => {
    expect(filters.length).toBeGreaterThan(15);
  });

  it.each(filters.map((e) => [e.text]))('filter %s returns at least one flow', (text) => {
    const r = run(`SELECT id FROM flow WHERE ${text}`);
    expect(r.total).toBeGreaterThan(0);
    expect(r.result.length).toBe(Math.min(r.total, 100));
    expect(typeof r.result[0]?.[0]).toBe('string');
  });

  it.each(filters.map((e) => [e.text]))('filter %s also works inside AND (...) and through filters/compile', (text) => {
    const plain = run(`SELECT id FROM flow WHERE ${text} LIMIT 0`).total;
    expect(run(`SELECT id FROM flow WHERE end >= 0 AND (${text}) LIMIT 0`).total).toBe(plain);
    const compiled = compileFilter(text);
    expect(compiled.startsWith('(') && compiled.endsWith(')')).toBe(true);
    expect(run(`SELECT id FROM flow WHERE end >= 0 AND ${compiled} LIMIT 0`).total).toBe(plain);
  });

  it.each(EXAMPLES.filter((e) => e.kind === 'query').map((e) => [e.text]))('query %s runs', (text) => {
    const r = run(text);
    expect(r.result.length).toBeLessThanOrEqual(r.total);
  });
});

describe('malformed queries', () => {
  const cases: Array<[string, string, number, number]> = [
    ['SELECT id FROM flow WHERE (dst.port == 443', 'syntax', 1, 43],
    ['SELECT id FROM flow WHERE dst.port == ', 'syntax', 1, 38],
    ['SELECT id FROM nowhere', "unknown table 'nowhere'", 1, 16],
    ['SELECT id FROM flow WHERE EXISTS (SELECT * FROM nowhere)', "unknown table 'nowhere'", 1, 49],
    ["SELECT frobnicate('x') FROM flow", "unknown function 'frobnicate'", 1, 8],
    ["SELECT id FROM flow WHERE dst.port == 'abc'", 'bad operand', 1, 39],
    ["SELECT id FROM flow WHERE end > 'yesterday'", 'is not a time', 1, 33],
    ['SELECT id FROM flow\nWHERE unknown == "x"', "unknown field 'unknown'", 2, 7],
    ["SELECT id FROM flow WHERE has_files == 'maybe'", 'is not a boolean', 1, 40],
    ['SELECT id FROM flow WHERE src.ip > 10.0.0.0/8', 'cannot be ordered', 1, 36],
    ["SELECT id FROM flow WHERE src == 'x'", 'is an object', 1, 34],
    ['SELECT id, (SELECT id FROM nowhere) FROM flow', "unknown table 'nowhere'", 1, 28],
  ];

  it.each(cases)('%s fails with a BqlEngineError at the right place', (text, reason, line, column) => {
    let caught: unknown;
    try {
      run(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BqlEngineError);
    const e = caught as BqlEngineError;
    if (reason !== 'syntax') expect(e.message).toContain(reason);
    expect(e.message).toContain(`line ${line}, column ${column}`);
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it('compileFilter rejects a malformed filter with a position', () => {
    expect(() => compileFilter('app_proto == "x" OR')).toThrow(BqlEngineError);
    expect(() => compileFilter('app_proto == "x" OR')).toThrow(/line 1, column \d+/);
  });

  it('compileFilter returns the canonical text, parenthesised', () => {
    expect(compileFilter('app_proto==http and dst.port!=80')).toBe('(app_proto == http AND dst.port != 80)');
  });
});

describe('flow and alert detail', () => {
  it('finds flows by id and renders the detail shape', () => {
    const flow = flows.find((f) => f.alert.length > 0 && f.files.length === 0 && f.dst.geo !== null);
    if (flow === undefined) throw new Error('no flow with an alert and external geo');
    expect(findFlow(flows, flow.id)).toBe(flow);
    expect(findFlow(flows, 'nope')).toBeUndefined();
    const d = flowDetail(flow);
    expect(d.id).toBe(flow.id);
    expect(d.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(d.duration).toBeCloseTo((flow.end - flow.start) / 1000);
    expect((d.dst as Record<string, unknown>).country).toBe(flow.dst.geo?.country);
    expect(d).not.toHaveProperty('start_us');
    const alert = flow.alert[0];
    if (alert === undefined) throw new Error('unreachable');
    const a = alertDetail(flow, alert);
    expect(a.parent).toBe(flow.id);
    expect(a.ts).toMatch(/\.\d{6}$/);
    expect(Buffer.from(String(a.payload), 'base64').length).toBeGreaterThan(0);
    const sig = a.signature as { vendor: string; rule: string };
    expect(['ETOpen', 'PTSecurity']).toContain(sig.vendor);
    expect(sig.rule).toContain(`sid:${alert.sid};`);
  });

  it('caps nested arrays at 100 entries', () => {
    const base = flows.find((f) => (f.http ?? []).length > 0);
    const tx = base?.http?.[0];
    if (base === undefined || tx === undefined) throw new Error('no http flow');
    const many: HttpTx[] = Array.from({ length: 150 }, (_, i) => ({ ...tx, tx_id: i }));
    const d = flowDetail({ ...base, http: many });
    expect(d.http as unknown[]).toHaveLength(DETAIL_ARRAY_CAP);
  });
});
