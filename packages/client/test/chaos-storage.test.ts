/**
 * Chaos: `storage.saveFlows` interrupted at every step, then run again. Interruptions are connection resets the
 * emulator injects on one route (before or after its handler ran) and an AbortSignal fired from inside the
 * transport. After the re-run every flow is in the target storage (checked with BQL on that storage), the
 * server was asked to save each flow exactly once, and the local record holds one `done` entry per flow and no
 * open batch.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike, PTNADClient, SaveFlowsReport } from '../src/index.js';
import { adminClient, emulator, NOW } from './helpers/emulator.js';

let emu: Emulator;
let dir: string;
/** `target:flowId` -> how many times the server's save task added that flow (the server dedups; we count). */
const saves = new Map<string, number>();

beforeAll(async () => {
  emu = await emulator({ flows: 1500 });
  dir = await mkdtemp(join(tmpdir(), 'ptnad-chaos-storage-'));
  const storages = emu.state.storages;
  const addFlows = storages.addFlows.bind(storages);
  storages.addFlows = (id, flows) => {
    for (const f of flows) saves.set(`${id}:${f.id}`, (saves.get(`${id}:${f.id}`) ?? 0) + 1);
    return addFlows(id, flows);
  };
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

const END = Date.parse(NOW);
// maxFlows above what any filter here matches (1,500 flows in all): each run takes the whole window, so the
// scenarios are about the interruption alone (runs that take a window in parts: integration-resources.test.ts).
const WINDOW = { startTime: END - 7 * 24 * 3_600_000, endTime: END, pollMs: 0, maxFlows: 1_000 };

/** What the journal file says: ids per outcome, and batches left without one. */
async function journal(stateDir: string) {
  const text = await readFile(join(stateDir, 'ptnad-saved-flows.jsonl'), 'utf8');
  const intents = new Map<string, string[]>();
  const outcome = new Map<string, string>();
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const rec = JSON.parse(line) as { t: string; batch: string; ids?: string[] };
    if (rec.t === 'intent') intents.set(rec.batch, rec.ids ?? []);
    if (rec.t === 'done' || rec.t === 'failed') outcome.set(rec.batch, rec.t);
  }
  const done = [...intents].filter(([b]) => outcome.get(b) === 'done').flatMap(([, ids]) => ids);
  const open = [...intents.keys()].filter((b) => !outcome.has(b));
  return { done, open };
}

/** The ids of the flows matching `filter` that storage `source` holds. */
async function inStorage(c: PTNADClient, filter: string, source: string): Promise<Set<string>> {
  const rows = await c.bql.execute(`SELECT id FROM flow WHERE ${filter} LIMIT 1000`, source);
  return new Set(rows.map((r) => String(r[0])));
}

/**
 * Runs saveFlows once with `fault` installed (it must fail), then again without; checks exactly-once and the
 * record. Returns both reports' essentials for scenario-specific checks.
 */
async function interruptedThenResumed(opts: {
  name: string;
  filter: string;
  target: string;
  fault?: string;
  client?: PTNADClient;
  signal?: AbortSignal;
  expectError: RegExp;
}): Promise<{ second: SaveFlowsReport; before: Set<string> }> {
  const stateDir = join(dir, opts.name);
  const c = opts.client ?? adminClient(emu, { maxRetries: 0 });
  const params = { ...WINDOW, filter: opts.filter, persistIdx: opts.target, stateDir };
  // Saved storages of the dataset already hold some flows: those may legitimately be recorded without a save.
  const before = await inStorage(c, opts.filter, opts.target);
  const faultIds = opts.fault ? emu.faults.add(opts.fault) : [];
  try {
    await expect(c.storage.saveFlows(opts.signal ? { ...params, signal: opts.signal } : params)).rejects.toThrow(
      opts.expectError,
    );
  } finally {
    for (const id of faultIds) emu.faults.remove(id);
  }
  expect((await journal(stateDir)).open).toHaveLength(1);

  const second = await c.storage.saveFlows(params);
  expect(second.found).toBeGreaterThan(0);
  const held = await inStorage(c, opts.filter, opts.target);
  const record = await journal(stateDir);
  expect(record.open).toEqual([]);
  // One `done` entry per flow, covering exactly the flows the filter found.
  expect(record.done).toHaveLength(new Set(record.done).size);
  expect(record.done.length).toBe(second.found);
  for (const id of record.done) {
    expect(held.has(id)).toBe(true);
    const saved = saves.get(`${opts.target}:${id}`) ?? 0;
    expect(saved).toBe(before.has(id) ? Math.min(saved, 1) : 1);
  }
  // A third run has nothing to do.
  const third = await c.storage.saveFlows(params);
  expect(third).toMatchObject({ found: second.found, alreadySaved: second.found, submitted: [], recovered: 0 });
  if (!opts.client) await c.close();
  return { second, before };
}

describe('storage.saveFlows interrupted at every step', () => {
  it('after the BQL (the save POST never reached the server): the re-run saves every flow', async () => {
    const { second, before } = await interruptedThenResumed({
      name: 'after-bql',
      filter: 'dst.port == 53',
      target: '12',
      fault: 'reset@POST:/api/v2/sources/save:first=1',
      expectError: /could not reach|closed/,
    });
    // Recovery asks the target which flows of the open batch it holds: only those it held already.
    expect(second.recovered + second.submitted.length).toBe(second.found);
    expect(second.submitted.filter((id) => before.has(id))).toEqual([]);
    expect(second.state).toBe('SUCCESS');
    // A reset leaves open whether the POST reached the server: the re-run says which flows may be saved twice.
    expect(second.possibleDuplicates).toEqual(second.submitted);
  });

  it('after the save POST (the server took it, the answer was lost): not recorded, saved once by the re-run', async () => {
    const { second, before } = await interruptedThenResumed({
      name: 'after-post',
      filter: 'dst.port == 443',
      target: '19',
      fault: 'reset@POST:/api/v2/sources/save:first=1:after',
      expectError: /could not reach|closed/,
    });
    // The orphaned task was never polled, so it saved nothing; the target says so and the re-run submits the rest.
    expect(second.recovered + second.submitted.length).toBe(second.found);
    expect(second.submitted.filter((id) => before.has(id))).toEqual([]);
    expect(second.submitted.length).toBeGreaterThan(0);
    // The orphaned task could still run: the re-run does not claim exactly-once for the flows it sent again.
    expect(second.possibleDuplicates).toEqual(second.submitted);
  });

  it('while polling (first poll lost): the re-run finishes the known task instead of saving again', async () => {
    const { second } = await interruptedThenResumed({
      name: 'first-poll',
      filter: 'dst.port == 80',
      target: '23',
      fault: 'reset@GET:/api/v2/tasks/*:first=1:after',
      expectError: /could not reach|closed/,
    });
    expect(second.recovered).toBe(second.found);
    expect(second.submitted).toEqual([]);
  });

  it('at the poll that finished the task (the save happened, its answer was lost): recovered, not re-sent', async () => {
    const { second } = await interruptedThenResumed({
      name: 'last-poll',
      filter: 'dst.port == 445',
      target: '12',
      fault: 'reset@GET:/api/v2/tasks/*:every=2:first=2:after',
      expectError: /could not reach|closed/,
    });
    expect(second.recovered).toBe(second.found);
    expect(second.submitted).toEqual([]);
  });

  it('aborted by the caller (AbortSignal) while polling: the re-run resumes the task', async () => {
    const controller = new AbortController();
    // Aborts the run the moment it first polls the task, as a Ctrl-C at that point would.
    const abortingFetch: FetchLike = (url, init) => {
      if (url.includes('/api/v2/tasks/') && !controller.signal.aborted) controller.abort();
      return fetch(url, init);
    };
    const c = adminClient(emu, { maxRetries: 0, fetch: abortingFetch });
    const { second } = await interruptedThenResumed({
      name: 'abort-poll',
      filter: 'dst.port == 22',
      target: '19',
      client: c,
      signal: controller.signal,
      expectError: /abort/i,
    });
    await c.close();
    expect(second.recovered + second.submitted.length).toBe(second.found);
  });
});
