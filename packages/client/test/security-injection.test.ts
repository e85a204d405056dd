/**
 * Security: hostile values in URL paths and in BQL built by the safe builder cannot change the route or the
 * query. Property tests over strings made of `/ ? # .. %2F` quotes, backslashes, newlines and `' || 1 == 1`,
 * checked end to end: the emulator's request counters show which route each call reached, its state shows which
 * record changed, and BQL answers show which rows matched.
 */
import fc from 'fast-check';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bql, field, parseQuery } from '../src/bql/index.js';
import { NotFoundError, type PTNADClient, ValidationError } from '../src/index.js';
import { adminClient, emulator } from './helpers/emulator.js';

let emu: Emulator;
let c: PTNADClient;
let realFlowId: string;
let listCounter = 0;

beforeAll(async () => {
  emu = await emulator({ flows: 300 });
  c = adminClient(emu);
  const rows = await c.bql.execute('SELECT id FROM flow LIMIT 1');
  realFlowId = String(rows[0]?.[0]);
});
afterAll(async () => {
  await c.close();
  await emu.close();
});

const PIECES = [
  '/',
  '?',
  '#',
  '..',
  '.',
  '%2F',
  '%2e%2e',
  '%',
  '%00',
  "'",
  '"',
  '\\',
  '\n',
  '\r\n',
  '\t',
  ' ',
  "' || 1 == 1",
  '" or 1 == 1 --',
  ')',
  '(',
  ']',
  '&',
  '=',
  ';',
  '+',
  '*',
  'stats',
  '_bulk',
  'a',
  'Z9',
  'é',
  '😀',
];
const hostile = fc
  .oneof(
    fc.constantFrom('../stats', '..%2Fstats', 'a/b', 'x?limit=1', 'k#frag', "' || 1 == 1", '_bulk', '%2F..%2F'),
    fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 7 }).map((parts) => parts.join('')),
  )
  .filter((s) => s !== '.' && s !== '..');
/**
 * Indicator values of a `uri` list: the emulator refuses whitespace and control characters in them. The two
 * values that name the bulk endpoints are tested on their own below.
 */
const BULK_NAMES = new Set(['_bulk', '_delete']);
const hostileUri = hostile
  .map((s) => [...s].filter((ch) => ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) !== 0x7f && !/\s/.test(ch)).join(''))
  .filter((s) => s !== '' && s !== '.' && s !== '..' && !BULK_NAMES.has(s));

/** Requests per route key that reached the emulator while `job` ran. */
async function routesHit(job: () => Promise<unknown>): Promise<Record<string, number>> {
  emu.counters.reset();
  await job();
  return emu.counters.snapshot();
}

describe('values in URL paths', () => {
  it('dot segments and empty values are refused before anything is sent', async () => {
    for (const bad of ['', '.', '..']) {
      let error: unknown;
      const hit = await routesHit(async () => {
        // The path is built when the call is made: the refusal may be synchronous or a rejection.
        error = await Promise.resolve()
          .then(() => c.replists.getDynamicListItems(bad).toArray({ max: 10 }))
          .then(
            () => undefined,
            (err: unknown) => err,
          );
      });
      expect(error).toBeInstanceOf(ValidationError);
      expect(hit).toEqual({});
    }
  });

  it('a hostile list key or item value reaches exactly the intended route and record', async () => {
    await c.login();
    await fc.assert(
      fc.asyncProperty(hostile, hostileUri, async (key, value) => {
        const name = `inj-${listCounter++}`;
        const created = await c.replists.createList({ name, type: 'uri', color: '2', externalKey: key });
        try {
          const totalItems = () => emu.state.replists.all().reduce((n, l) => n + l.items.size, 0);
          const before = totalItems();

          expect(await routesHit(() => c.replists.addDynamicListItem(key, value))).toEqual({
            'POST /api/v2/replists/dynamic/:key/:value': 1,
          });
          const list = emu.state.replists.byExternalKey(key);
          expect(list.meta.name).toBe(name);
          expect([...list.items.keys()]).toEqual([value]);
          expect(totalItems()).toBe(before + 1);

          let read: string[] = [];
          expect(
            await routesHit(async () => {
              read = (await c.replists.getDynamicListItems(key).toArray({ max: 10 })).map((i) => i.value);
            }),
          ).toEqual({ 'GET /api/v2/replists/dynamic/:key': 1 });
          expect(read).toEqual([value]);

          expect(await routesHit(() => c.replists.bulkAddItems(key, [{ value: `${value}-2` }]))).toEqual({
            'POST /api/v2/replists/dynamic/:key/_bulk': 1,
          });
          expect(await routesHit(() => c.replists.removeItem(key, value))).toEqual({
            'DELETE /api/v2/replists/dynamic/:key/:value': 1,
          });
          expect([...emu.state.replists.byExternalKey(key).items.keys()]).toEqual([`${value}-2`]);
          expect(totalItems()).toBe(before + 1);
        } finally {
          // Deleted again so that fast-check may draw the same key twice (external keys are unique).
          await c.replists.deleteList(created.id);
        }
      }),
      { numRuns: 40, seed: 20251127 },
    );
  });

  // `_bulk` and `_delete` are the only values that would name another route: the SDK refuses them offline.
  it('an item value named like a bulk endpoint cannot reach the bulk routes', async () => {
    const created = await c.replists.createList({ name: 'bulk-names', type: 'uri', color: '2', externalKey: 'bn' });
    try {
      for (const value of BULK_NAMES) {
        let error: unknown;
        const hit = await routesHit(async () => {
          error = await Promise.resolve()
            .then(() => c.replists.addDynamicListItem('bn', value))
            .then(
              () => undefined,
              (err: unknown) => err,
            );
        });
        expect(error).toBeInstanceOf(ValidationError);
        expect(hit).toEqual({});
      }
    } finally {
      await c.replists.deleteList(created.id);
    }
  });

  it('a hostile list id is refused offline (ids are integers), a missing integer id is a 404 on the detail route', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (id) => {
        let error: unknown;
        const hit = await routesHit(async () => {
          error = await c.replists.getList(id as unknown as number).then(
            () => undefined,
            (err: unknown) => err,
          );
        });
        // Without this check `getList('stats')` would reach the stats route: so nothing may be sent at all.
        expect(error).toBeInstanceOf(ValidationError);
        expect(hit).toEqual({});
      }),
      { numRuns: 60, seed: 7 },
    );
    const hit = await routesHit(() => c.replists.getList(987654).catch((err: unknown) => err));
    expect(hit).toEqual({ 'GET /api/v2/replists/:id': 1 });
    await expect(c.replists.getList(987654)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('values in BQL built by the safe builder', () => {
  it('a hostile value stays one string literal: the parsed structure is unchanged', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const q = bql`SELECT id FROM flow WHERE app_proto == ${s} LIMIT 5`;
        const ast = parseQuery(q.text);
        expect(ast.where).toMatchObject({
          kind: 'compare',
          op: '==',
          field: { kind: 'field', name: 'app_proto' },
          value: { kind: 'string', value: s },
        });
        expect(ast.limit).toBe(5);
        expect(ast.select).toHaveLength(1);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('end to end: a hostile value matches nothing, a real id matches exactly its row', async () => {
    const exact = await c.bql.execute(bql`SELECT id FROM flow WHERE id == ${realFlowId} LIMIT 10`);
    expect(exact).toEqual([[realFlowId]]);
    await fc.assert(
      fc.asyncProperty(hostile, async (s) => {
        for (const value of [s, `${realFlowId}${s}`, `${realFlowId}' || id != '${s}`]) {
          const rows = await c.bql.execute(bql`SELECT id FROM flow WHERE id == ${value} LIMIT 10`);
          expect(rows).toEqual([]);
        }
        const listed = await c.bql.execute(bql`SELECT id FROM flow WHERE id in ${[s, realFlowId]} LIMIT 10`);
        expect(listed).toEqual([[realFlowId]]);
      }),
      { numRuns: 30, seed: 11 },
    );
  });

  it('field names are identifiers only: anything else is refused', () => {
    fc.assert(
      fc.property(
        hostile.filter((s) => /[^A-Za-z0-9_.-]/.test(s)),
        (s) => {
          expect(() => field(`src.ip${s}`)).toThrow(ValidationError);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });
});
