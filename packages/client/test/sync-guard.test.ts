/**
 * The guard of `replists.syncDynamicList` (issue 19 item 1): an empty feed (what a failed download looks like)
 * or one that would remove more than `maxRemoveRatio` of the list is refused with a SyncGuardError before any
 * write, unless the caller says so; `planDynamicListSync` shows the same decision without changing anything.
 */
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PTNADClient, SyncGuardError, ValidationError } from '../src/index.js';
import { adminClient, emulator, hits } from './helpers/emulator.js';

let emu: Emulator;
let c: PTNADClient;
const KEY = 'guarded-feed';
const ip = (n: number) => `198.51.100.${n}`;
const TEN = Array.from({ length: 10 }, (_, i) => ip(i + 1));

beforeAll(async () => {
  emu = await emulator({ flows: 100 });
  c = adminClient(emu);
  await c.replists.createList({ name: KEY, type: 'ip', color: '3', externalKey: KEY });
});
afterAll(async () => {
  await c.close();
  await emu.close();
});

async function serverValues(): Promise<string[]> {
  const out: string[] = [];
  for await (const item of c.replists.getDynamicListItems(KEY, { limit: 1000 })) out.push(item.value);
  return out.sort();
}

const writes = () =>
  hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_bulk') + hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_delete');

describe('syncDynamicList guard', () => {
  beforeAll(async () => {
    await c.replists.syncDynamicList(KEY, TEN);
  });

  it('an empty feed is refused before anything changes, saying what would have been removed', async () => {
    const before = writes();
    const err = await c.replists.syncDynamicList(KEY, []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncGuardError);
    const guard = err as SyncGuardError;
    expect(guard.code).toBe('sync_guard');
    expect(guard.message).toMatch(
      /the feed has no valid value, so the sync would remove all 10 of the list's 10 values/,
    );
    expect(guard.message).toContain('"198.51.100.1"');
    expect(guard.message).toMatch(/allowEmpty: true/);
    expect(guard).toMatchObject({ wouldRemove: 10, current: 10, wanted: 0, maxRemoveRatio: 0.5 });
    expect(guard.examples).toHaveLength(5);
    expect(writes()).toBe(before);
    expect(await serverValues()).toEqual([...TEN].sort());
  });

  it('a feed that would remove more than half of the list is refused; a higher maxRemoveRatio lets it run', async () => {
    const smaller = TEN.slice(0, 4); // removes 6 of 10
    const before = writes();
    const err = await c.replists.syncDynamicList(KEY, smaller).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncGuardError);
    expect((err as SyncGuardError).message).toMatch(
      /remove 6 of the list's 10 values \(60%, more than maxRemoveRatio 0\.5\)/,
    );
    expect(writes()).toBe(before);
    expect(await serverValues()).toHaveLength(10);

    const plan = await c.replists.planDynamicListSync(KEY, smaller, { maxRemoveRatio: 0.6 });
    expect(plan).toMatchObject({ current: 10, wanted: 4, unchanged: 4, refusal: undefined });
    expect(plan.toRemove).toHaveLength(6);
    expect(writes()).toBe(before);

    const report = await c.replists.syncDynamicList(KEY, smaller, { maxRemoveRatio: 0.6 });
    expect(report).toMatchObject({ added: 0, removed: 6, unchanged: 4 });
    expect(await serverValues()).toEqual([...smaller].sort());
  });

  it('half exactly is allowed, the dry run reports a refusal without throwing, allowEmpty empties the list', async () => {
    const half = await c.replists.syncDynamicList(KEY, [...TEN.slice(0, 2), ip(50), ip(51)]);
    expect(half).toMatchObject({ added: 2, removed: 2 });
    const plan = await c.replists.planDynamicListSync(KEY, []);
    expect(plan.refusal).toBeInstanceOf(SyncGuardError);
    expect(plan.toRemove).toHaveLength(4);
    const emptied = await c.replists.syncDynamicList(KEY, [], { allowEmpty: true });
    expect(emptied).toMatchObject({ added: 0, removed: 4 });
    expect(await serverValues()).toEqual([]);
  });

  it('a bad maxRemoveRatio is a ValidationError', async () => {
    await expect(c.replists.syncDynamicList(KEY, TEN, { maxRemoveRatio: 2 })).rejects.toBeInstanceOf(ValidationError);
  });
});
