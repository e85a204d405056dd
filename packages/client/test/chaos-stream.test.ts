/**
 * Chaos: `bql.stream` under injected 503s, connection resets and latency returns exactly the rows of a
 * fault-free run; a session that expires in the middle of a long job (forced `expire` fault, or the session
 * clock moved past its lifetime) is renewed once and the job neither loses nor repeats work.
 */
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BqlRow, PTNADClient } from '../src/index.js';
import { adminClient, emulator, hits } from './helpers/emulator.js';

const QUERY = 'SELECT id, start, end, src.ip, dst.ip, dst.port, app_proto FROM flow';
const PAGE = 50;
const LOGIN = '/api/v2/auth/login';
const BQL = '/api/v2/bql';
let emu: Emulator;
let c: PTNADClient;
let clean: BqlRow[];
let cleanPages: number;

async function collect(
  client: PTNADClient,
  each?: (n: number) => void,
  rows: BqlRow[] = [],
  maxRetries?: number,
): Promise<BqlRow[]> {
  const options = maxRetries === undefined ? { pageSize: PAGE } : { pageSize: PAGE, maxRetries };
  for await (const row of client.bql.stream(QUERY, options)) {
    rows.push(row);
    each?.(rows.length);
  }
  return rows;
}

/** Runs `job` with fault rules installed, and removes them whatever happens. */
async function withFaults<T>(spec: string, job: () => Promise<T>): Promise<T> {
  const ids = emu.faults.add(spec);
  try {
    return await job();
  } finally {
    for (const id of ids) emu.faults.remove(id);
  }
}

beforeAll(async () => {
  emu = await emulator({ flows: 1200 });
  c = adminClient(emu);
  await c.login();
  const before = hits(emu, 'POST', BQL);
  clean = await collect(c);
  cleanPages = hits(emu, 'POST', BQL) - before;
});
afterAll(async () => {
  await c.close();
  await emu.close();
});

describe('bql.stream under faults', () => {
  it('the fault-free baseline streams every flow once, in order', () => {
    expect(clean).toHaveLength(1200);
    expect(new Set(clean.map((r) => r[0])).size).toBe(1200);
    expect(cleanPages).toBe(Math.floor(1200 / PAGE) + 1);
  });

  it('503s, resets and latency: exactly the same rows as the fault-free run', async () => {
    const before = hits(emu, 'POST', BQL);
    // Up to 6 retries per page: the seeded schedule can fault the same page several times in a row.
    const rows = await withFaults(
      `503@POST:${BQL}:p=0.25:seed=3:retry-after=0;reset@POST:${BQL}:every=9;latency=3@POST:${BQL}:every=2`,
      () => collect(c, undefined, [], 6),
    );
    expect(rows).toEqual(clean);
    // Faulted attempts were retried: more requests reached the server than pages.
    expect(hits(emu, 'POST', BQL) - before).toBeGreaterThan(cleanPages);
  });

  it('a truncated answer is retried like a reset: exactly the fault-free rows', async () => {
    const before = hits(emu, 'POST', BQL);
    const rows = await withFaults(`truncate@POST:${BQL}:every=4`, () => collect(c, undefined, [], 2));
    expect(rows).toEqual(clean);
    expect(hits(emu, 'POST', BQL) - before).toBeGreaterThan(cleanPages);
  });

  it('a truncated answer is never half-parsed: without retries the stream stops after whole pages', async () => {
    const rows: BqlRow[] = [];
    await expect(
      withFaults(`truncate@POST:${BQL}:every=4`, () => collect(c, undefined, rows, 0)),
    ).rejects.toMatchObject({ name: 'ConnectionError' });
    expect(rows).toEqual(clean.slice(0, 3 * PAGE));
  });
});

describe('session expiry in the middle of a long job', () => {
  it('forced expiry every 7th page: one re-login per expiry, each expired page sent again once', async () => {
    const bqlBefore = hits(emu, 'POST', BQL);
    const loginsBefore = hits(emu, 'POST', LOGIN);
    const rows = await withFaults(`expire@POST:${BQL}:every=7`, () => collect(c));
    expect(rows).toEqual(clean);
    const sent = hits(emu, 'POST', BQL) - bqlBefore;
    const expired = Math.floor(sent / 7);
    expect(expired).toBeGreaterThan(0);
    expect(sent).toBe(cleanPages + expired);
    expect(hits(emu, 'POST', LOGIN) - loginsBefore).toBe(expired);
  });

  it('the session clock passes the lifetime mid-stream: renewed once, no row lost or repeated', async () => {
    const loginsBefore = hits(emu, 'POST', LOGIN);
    const bqlBefore = hits(emu, 'POST', BQL);
    let moved = false;
    const rows = await collect(c, (n) => {
      if (n === 600 && !moved) {
        moved = true;
        emu.advanceClock(2 * 3600 * 1000);
      }
    });
    expect(moved).toBe(true);
    expect(rows).toEqual(clean);
    expect(hits(emu, 'POST', LOGIN) - loginsBefore).toBe(1);
    expect(hits(emu, 'POST', BQL) - bqlBefore).toBe(cleanPages + 1);
  });

  it('an IOC sync whose session expires between bulk calls lands every value exactly once', async () => {
    await c.replists.createList({ name: 'expiry-feed', type: 'dn', color: '1', externalKey: 'expiry-feed' });
    const wanted = Array.from({ length: 3000 }, (_, i) => `host-${i}.example.org`);
    const bulkBefore = hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_bulk');
    const loginsBefore = hits(emu, 'POST', LOGIN);
    const report = await withFaults('expire@POST:/api/v2/replists/dynamic/*/_bulk:every=4', () =>
      c.replists.syncDynamicList('expiry-feed', wanted, { chunkSize: 200, concurrency: 1 }),
    );
    expect(report).toEqual({ added: 3000, removed: 0, unchanged: 0, failed: [] });
    const bulkSent = hits(emu, 'POST', '/api/v2/replists/dynamic/:key/_bulk') - bulkBefore;
    const expired = Math.floor(bulkSent / 4);
    expect(expired).toBeGreaterThan(0);
    expect(bulkSent).toBe(15 + expired);
    expect(hits(emu, 'POST', LOGIN) - loginsBefore).toBe(expired);
    const items: string[] = [];
    for await (const item of c.replists.getDynamicListItems('expiry-feed', { limit: 1000 })) items.push(item.value);
    expect(items).toHaveLength(3000);
    expect([...items].sort()).toEqual([...wanted].sort());
  });
});
