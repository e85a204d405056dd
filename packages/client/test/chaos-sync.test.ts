/**
 * Chaos: an IOC feed sync of 20,000 values while the emulator answers 10% of the bulk calls with 503 and resets
 * 2% of the connections (seeded, so the schedule is the same on every run). The first run must either reach the
 * desired set or name exactly the chunks that did not land; a second run without faults finishes the job; the
 * server never holds a value twice and never loses one.
 */
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PTNADClient, SyncFailure } from '../src/index.js';
import { adminClient, emulator, hits } from './helpers/emulator.js';

const KEY = 'chaos-feed';
const BULK = '/api/v2/replists/dynamic/*/_*';
let emu: Emulator;
let c: PTNADClient;

beforeAll(async () => {
  emu = await emulator({ flows: 50 });
  c = adminClient(emu);
  await c.replists.createList({ name: KEY, type: 'ip', color: '3', externalKey: KEY });
});
afterAll(async () => {
  await c.close();
  await emu.close();
});

const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** Every item the server lists, in listing order (duplicates kept, so they can be detected). */
async function serverItems(): Promise<string[]> {
  const out: string[] = [];
  for await (const item of c.replists.getDynamicListItems(KEY, { limit: 1000 })) out.push(item.value);
  return out;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const valuesOf = (failed: SyncFailure[], action: 'add' | 'remove') =>
  failed.filter((f) => f.action === action).flatMap((f) => f.values);

describe('syncDynamicList under 503s and connection resets', () => {
  it('reports exactly the failed chunks, a fault-free re-run completes the job, nothing duplicated or lost', async () => {
    // Start from a list holding 4,000 values of which 3,000 are stale, so both bulk adds and bulk deletes fault.
    const stale = Array.from({ length: 3000 }, (_, i) => ip(100_000 + i));
    const kept = Array.from({ length: 1000 }, (_, i) => ip(i + 1));
    const seeded = await c.replists.syncDynamicList(KEY, [...stale, ...kept], { chunkSize: 1000 });
    expect(seeded.failed).toEqual([]);

    const wanted = Array.from({ length: 20_000 }, (_, i) => ip(i + 1));
    const faultIds = emu.faults.add(`503@POST:${BULK}:p=0.1:seed=11:retry-after=0;reset@POST:${BULK}:p=0.02:seed=5`);
    let first: Awaited<ReturnType<PTNADClient['replists']['syncDynamicList']>>;
    try {
      first = await c.replists.syncDynamicList(KEY, wanted, { chunkSize: 250, concurrency: 4, maxRemoveRatio: 1 });
    } finally {
      for (const id of faultIds) emu.faults.remove(id);
    }

    // The schedule is seeded: some chunks of both kinds fail, and each is reported once with its values.
    expect(first.failed.length).toBeGreaterThan(0);
    const failedAdds = valuesOf(first.failed, 'add');
    const failedRemoves = valuesOf(first.failed, 'remove');
    for (const action of ['add', 'remove'] as const) {
      const indexes = first.failed.filter((f) => f.action === action).map((f) => f.chunk);
      expect(new Set(indexes).size).toBe(indexes.length);
    }
    for (const f of first.failed) {
      expect(f.values.length).toBeGreaterThan(0);
      expect(f.reason).toMatch(/503|reset|socket|connection|closed/i);
    }
    expect(first.added + failedAdds.length).toBe(19_000);
    expect(first.removed + failedRemoves.length).toBe(3000);
    expect(first.unchanged).toBe(1000);

    // Precisely: the server holds the wanted set minus the failed adds, plus the stale values whose delete failed.
    const afterFirst = await serverItems();
    expect(new Set(afterFirst).size).toBe(afterFirst.length);
    const failedAddSet = new Set(failedAdds);
    const expected = [...wanted.filter((v) => !failedAddSet.has(v)), ...failedRemoves];
    expect(sorted(afterFirst)).toEqual(sorted(expected));

    const second = await c.replists.syncDynamicList(KEY, wanted, { chunkSize: 250, concurrency: 4 });
    expect(second).toEqual({
      added: failedAdds.length,
      removed: failedRemoves.length,
      unchanged: 20_000 - failedAdds.length,
      failed: [],
    });
    const afterSecond = await serverItems();
    expect(afterSecond).toHaveLength(20_000);
    expect(sorted(afterSecond)).toEqual(sorted(wanted));

    // Converged: a third run sends no write at all.
    const writesBefore = hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_bulk');
    const deletesBefore = hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_delete');
    const third = await c.replists.syncDynamicList(KEY, wanted, { chunkSize: 250 });
    expect(third).toEqual({ added: 0, removed: 0, unchanged: 20_000, failed: [] });
    expect(hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_bulk')).toBe(writesBefore);
    expect(hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_delete')).toBe(deletesBefore);
  });

  it('a reset AFTER the server applied a chunk is reported, and the re-run neither re-adds nor loses it', async () => {
    const wanted = Array.from({ length: 2000 }, (_, i) => ip(50_000 + i));
    const ids = emu.faults.add(`reset@POST:/api/v2/replists/dynamic/*/_bulk:every=3:after`);
    let first: Awaited<ReturnType<PTNADClient['replists']['syncDynamicList']>>;
    try {
      first = await c.replists.syncDynamicList(KEY, wanted, { chunkSize: 200, concurrency: 1, maxRemoveRatio: 1 });
    } finally {
      for (const id of ids) emu.faults.remove(id);
    }
    const failedAdds = valuesOf(first.failed, 'add');
    expect(failedAdds.length).toBeGreaterThan(0);
    expect(first.added + failedAdds.length).toBe(2000);
    // The failed chunks did land (the reset came after the handler): the server already has every value.
    const items = await serverItems();
    expect(new Set(items).size).toBe(items.length);
    expect(sorted(items)).toEqual(sorted(wanted));

    const addsBefore = hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_bulk');
    const second = await c.replists.syncDynamicList(KEY, wanted, { chunkSize: 200 });
    expect(second).toEqual({ added: 0, removed: 0, unchanged: 2000, failed: [] });
    expect(hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_bulk')).toBe(addsBefore);
  });
});
