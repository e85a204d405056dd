import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PTNADClient } from '../src/index.js';
import { adminClient, emulator, hits } from './helpers/emulator.js';

let emu: Emulator;
let c: PTNADClient;

beforeAll(async () => {
  emu = await emulator({ flows: 200 });
  c = adminClient(emu);
  await c.replists.createList({ name: 'ioc-feed', type: 'ip', color: '7', externalKey: 'ioc-feed' });
});
afterAll(async () => {
  await c.close();
  await emu.close();
});

const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

async function serverSet(key: string): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const item of c.replists.getDynamicListItems(key, { limit: 1000 })) out.add(item.value);
  return out;
}

describe('syncDynamicList', () => {
  it('10,000 values end up exactly on the server; a second run changes nothing', async () => {
    const wanted = Array.from({ length: 10_000 }, (_, i) => ip(i + 1));
    const progress: string[] = [];
    const first = await c.replists.syncDynamicList('ioc-feed', wanted, {
      chunkSize: 1000,
      concurrency: 3,
      onProgress: (p) => progress.push(p.phase),
    });
    expect(first).toEqual({ added: 10_000, removed: 0, unchanged: 0, failed: [] });
    expect(progress.at(-1)).toBe('done');
    const onServer = await serverSet('ioc-feed');
    expect(onServer.size).toBe(10_000);
    expect([...onServer].sort()).toEqual([...wanted].sort());

    const bulkBefore = hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_bulk');
    const second = await c.replists.syncDynamicList('ioc-feed', wanted, { chunkSize: 1000 });
    expect(second).toEqual({ added: 0, removed: 0, unchanged: 10_000, failed: [] });
    expect(hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_bulk')).toBe(bulkBefore);
  });

  it('replaces a changed feed, reports a failed chunk, and a re-run completes the job', async () => {
    const wanted = [...Array.from({ length: 9_000 }, (_, i) => ip(i + 1001)), '192.0.2.1', '192.0.2.2'];
    const ids = emu.faults.add('503@POST:/api/v2/replists/dynamic/*/_bulk:first=1:retry-after=0');
    let first: Awaited<ReturnType<PTNADClient['replists']['syncDynamicList']>>;
    try {
      first = await c.replists.syncDynamicList('ioc-feed', wanted, { chunkSize: 500, concurrency: 2 });
    } finally {
      for (const id of ids) emu.faults.remove(id);
    }
    expect(first.removed).toBe(1000);
    expect(first.unchanged).toBe(9_000);
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]?.action).toBe('add');
    expect(first.failed[0]?.values.sort()).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(first.failed[0]?.reason).toMatch(/503/);

    const second = await c.replists.syncDynamicList('ioc-feed', wanted);
    expect(second).toEqual({ added: 2, removed: 0, unchanged: 9_000, failed: [] });
    const onServer = await serverSet('ioc-feed');
    expect([...onServer].sort()).toEqual([...wanted].sort());
  });

  it('values that are not strings are refused before anything is sent', async () => {
    await expect(c.replists.syncDynamicList('ioc-feed', ['1.1.1.1', ''] as string[])).rejects.toThrow(
      /values\[1\] must be a non-empty string/,
    );
  });
});
