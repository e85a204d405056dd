/**
 * `bql.follow` against the emulator in live mode. Emulator time moves only with `live.tick(ms)`, so every test
 * decides when rows appear; a test waits for "two polls finished after the tick" (one poll ran entirely after
 * it), never for wall time.
 */
import type { Emulator } from 'ptnad-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import type { Follower, FollowOptions, PTNADClient } from '../src/index.js';
import { adminClient, emulator, hits } from './helpers/emulator.js';

type Row = { id: string; end: string };
const FLOWS = 'SELECT id, end, app_proto FROM flow';

const open: Array<{ emu: Emulator; client: PTNADClient }> = [];
afterEach(async () => {
  for (const { emu, client } of open.splice(0)) {
    await client.close();
    await emu.close();
  }
});

async function setup(rate = 40): Promise<{ emu: Emulator; client: PTNADClient }> {
  const emu = await emulator({ flows: 300, live: { rate, seed: 11 } });
  const client = adminClient(emu);
  open.push({ emu, client });
  return { emu, client };
}

/** Runs a follower in the background; `settle()` resolves once two polls have completed since it was called. */
function run<T extends { id: string }>(client: PTNADClient, query: string, options: FollowOptions = {}) {
  const aborter = new AbortController();
  const rows: T[] = [];
  const errors: string[] = [];
  let polls = 0;
  const waiters: Array<{ at: number; resolve: () => void }> = [];
  const follower: Follower<T> = client.bql.follow<T>(query, {
    pollIntervalMs: 1,
    maxIntervalMs: 4,
    pageSize: 50,
    lookBackMs: 30_000,
    signal: aborter.signal,
    onError: (e) => errors.push(`${e.name}: ${e.message}`),
    onPoll: () => {
      polls++;
      for (const w of waiters.splice(0))
        if (polls >= w.at) w.resolve();
        else waiters.push(w);
    },
    ...options,
  });
  const done = (async () => {
    for await (const row of follower) rows.push(row);
  })();
  return {
    follower,
    rows,
    errors,
    settle: () => new Promise<void>((resolve) => waiters.push({ at: polls + 2, resolve })),
    stop: async () => {
      aborter.abort();
      await done;
    },
    done,
  };
}

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

describe('bql.follow', () => {
  it('yields every new flow once, including flows that become visible after newer ones (late rows)', async () => {
    const { emu, client } = await setup();
    const f = run<Row>(client, FLOWS);
    await f.settle();
    expect(f.rows).toEqual([]); // from now on: nothing that existed before
    const appeared: string[] = [];
    for (let i = 0; i < 40; i++) {
      appeared.push(...(emu.live?.tick(1000) ?? []).map((a) => a.flow.id));
      await f.settle();
    }
    await f.stop();
    expect(appeared.length).toBeGreaterThan(1200);
    expect(ids(f.rows).sort()).toEqual([...appeared].sort());
    expect(new Set(ids(f.rows)).size).toBe(f.rows.length);
    // Late rows were really exercised: some appeared after a newer one had been yielded.
    expect(f.follower.stats.late).toBeGreaterThan(10);
    expect(f.errors).toEqual([]);
  });

  it('handles rows with identical timestamps across a page boundary, and rows sharing a millisecond', async () => {
    const { emu, client } = await setup();
    const f = run<Row>(client, FLOWS, { pageSize: 10 });
    await f.settle();
    const flows = emu.state.dataset.flows;
    const template = flows[flows.length - 1];
    if (!template) throw new Error('empty dataset');
    const end = emu.state.dataset.now + 5_000;
    const added: string[] = [];
    const batch: (typeof template)[] = [];
    // 35 rows at one exact instant (3.5 pages), then 35 in the next millisecond whose ids run against their µs.
    for (let i = 0; i < 70; i++) {
      const id = `Ptie${String(i).padStart(3, '0')}${'x'.repeat(15)}`;
      const same = i < 35;
      const flow = { ...template, id, end: same ? end : end + 1, end_us: same ? 123 : 999 - i, alert: [] };
      batch.push(flow);
      added.push(id);
    }
    // Through the store's indexed append, as live traffic arrives.
    emu.state.appendFlows(batch);
    await f.settle();
    await f.stop();
    expect(ids(f.rows).sort()).toEqual(added.sort());
    expect(f.rows.slice(0, 35).every((r) => r.end.endsWith('.123123') || r.end.endsWith('123'))).toBe(true);
  });

  it('survives a re-login in the middle (forced session expiry) without losing or repeating rows', async () => {
    const { emu, client } = await setup();
    const f = run<Row>(client, FLOWS);
    await f.settle();
    const appeared: string[] = [];
    const loginsBefore = hits(emu, 'POST', '/api/v2/auth/login');
    for (let i = 0; i < 20; i++) {
      if (i === 10) emu.faults.add('expire@POST:/api/v2/bql:first=1');
      appeared.push(...(emu.live?.tick(1000) ?? []).map((a) => a.flow.id));
      await f.settle();
    }
    await f.stop();
    expect(hits(emu, 'POST', '/api/v2/auth/login') - loginsBefore).toBe(1);
    expect(ids(f.rows).sort()).toEqual([...appeared].sort());
    expect(f.errors).toEqual([]);
  });

  it('reports 5xx and connection resets to onError and goes on; nothing is lost or repeated', async () => {
    const { emu, client } = await setup();
    const f = run<Row>(client, FLOWS, { maxRetries: 0 });
    await f.settle();
    emu.faults.add('503@POST:/api/v2/bql:p=0.2:seed=3;reset@POST:/api/v2/bql:p=0.05:seed=4');
    const appeared: string[] = [];
    for (let i = 0; i < 30; i++) {
      appeared.push(...(emu.live?.tick(1000) ?? []).map((a) => a.flow.id));
      await f.settle();
    }
    emu.faults.clear();
    await f.settle();
    await f.stop();
    expect(f.errors.length).toBeGreaterThan(3);
    expect(f.errors.some((e) => /503|server/i.test(e))).toBe(true);
    expect(ids(f.rows).sort()).toEqual([...appeared].sort());
    expect(new Set(ids(f.rows)).size).toBe(f.rows.length);
  });

  it('resumes from a checkpoint with exactly the rows not yielded before it', async () => {
    const { emu, client } = await setup();
    const first = run<Row>(client, FLOWS);
    await first.settle();
    const appeared: string[] = [];
    for (let i = 0; i < 10; i++) {
      appeared.push(...(emu.live?.tick(1000) ?? []).map((a) => a.flow.id));
      await first.settle();
    }
    await first.stop();
    const checkpoint = JSON.parse(JSON.stringify(first.follower.checkpoint()));
    // Small: the newest time plus the ids of the look-back window, not every row.
    expect(JSON.stringify(checkpoint).length).toBeLessThan(60 * appeared.length);
    for (let i = 0; i < 10; i++) appeared.push(...(emu.live?.tick(1000) ?? []).map((a) => a.flow.id));
    const second = run<Row>(client, FLOWS, { checkpoint });
    for (let i = 0; i < 10; i++) {
      appeared.push(...(emu.live?.tick(1000) ?? []).map((a) => a.flow.id));
      await second.settle();
    }
    await second.stop();
    const all = [...ids(first.rows), ...ids(second.rows)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...appeared].sort());
  });

  it('a checkpoint taken in the middle of a batch resumes with the rest of it', async () => {
    const { emu, client } = await setup();
    const follower = client.bql.follow<Row>(FLOWS, { pollIntervalMs: 1, maxIntervalMs: 4, pageSize: 1000 });
    await follower.ready();
    const appeared = (emu.live?.tick(20_000) ?? []).map((a) => a.flow.id);
    const got: string[] = [];
    let cp: ReturnType<typeof follower.checkpoint> | undefined;
    for await (const row of follower) {
      got.push(row.id);
      if (got.length === 100) {
        cp = follower.checkpoint();
        break;
      }
    }
    const aborter = new AbortController();
    const more: string[] = [];
    const rest = client.bql.follow<Row>(FLOWS, { checkpoint: cp, signal: aborter.signal, pollIntervalMs: 1 });
    for await (const batch of rest.batches()) {
      more.push(...batch.map((r) => r.id));
      if (got.length + more.length >= appeared.length) aborter.abort();
    }
    expect([...got, ...more].sort()).toEqual([...appeared].sort());
  });

  it('follows FROM alert with a filter', async () => {
    const emu = await emulator({ flows: 300, live: { rate: 40, seed: 5, attackShare: 0.6 } });
    const client = adminClient(emu);
    open.push({ emu, client });
    // An alert's ts lies inside its flow, up to 30 s before the flow ends and is indexed: look back further.
    const f = run<{ id: string; ts: string; pr: number }>(client, 'SELECT id, ts, pr FROM alert WHERE pr <= 2', {
      lookBackMs: 60_000,
    });
    await f.settle();
    const expected: string[] = [];
    for (let i = 0; i < 20; i++) {
      for (const a of emu.live?.tick(1000) ?? []) for (const al of a.flow.alert) if (al.pr <= 2) expected.push(al.id);
      await f.settle();
    }
    await f.stop();
    expect(expected.length).toBeGreaterThan(10);
    expect(ids(f.rows).sort()).toEqual(expected.sort());
  });

  it('rejects what it cannot follow on the first row, and checkpoints of another query', async () => {
    const { client } = await setup();
    const first = (q: string, o: FollowOptions = {}) => client.bql.follow(q, o)[Symbol.asyncIterator]().next();
    await expect(first('SELECT * FROM flow')).rejects.toThrow(/SELECT \*/);
    await expect(first('SELECT id FROM flow ORDER BY end')).rejects.toThrow(/ORDER BY/);
    await expect(first('SELECT id FROM flow LIMIT 5')).rejects.toThrow(/LIMIT/);
    await expect(first('SELECT id FROM flow WHERE nosuch.field == 1')).rejects.toThrow();
    const other = client.bql.follow('SELECT id FROM alert', { pollIntervalMs: 1 });
    await other.ready();
    await expect(first(FLOWS, { checkpoint: other.checkpoint() })).rejects.toThrow(/another query/);
    expect(() => client.bql.follow(FLOWS).checkpoint()).toThrow(/ready/);
  });
});
