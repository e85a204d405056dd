// Over HTTP (issue 19, item 2): a heavy query does not stop the emulator answering others, and a query past the
// time budget gets a 400 BQL error that names the budget.
import { type Emulator, startEmulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../src/cli-args.js';
import { generateDataset } from '../src/store/dataset.js';
import type { Dataset } from '../src/store/types.js';
import { NOW } from './helpers.js';

let dataset: Dataset;
let emu: Emulator;
let tight: Emulator;

// Thousands of distinct wildcard terms over every HTTP URL: seconds of work with the linear matcher too.
const HEAVY = `SELECT id FROM flow WHERE ${Array.from({ length: 400 }, (_, i) => `http.rqs.url ~ '*q${i}*z*'`).join(' OR ')} ORDER BY bytes.total LIMIT 5`;

beforeAll(async () => {
  dataset = generateDataset({ seed: 1, flows: 20_000, now: new Date(NOW) });
  emu = await startEmulator({ dataset, queryBudgetMs: 120_000 });
  tight = await startEmulator({ dataset, queryBudgetMs: 1 });
});

afterAll(async () => {
  await emu?.close();
  await tight?.close();
});

const auth = (e: Emulator) => ({ Authorization: `Bearer ${e.credentials.apiKey}` });
const bql = (e: Emulator, text: string) =>
  fetch(`${e.url}/api/v2/bql`, { method: 'POST', headers: { ...auth(e), 'Content-Type': 'text/plain' }, body: text });

/** Resolves once the emulator has received `n` BQL requests (event-driven: one check per turn of the loop). */
async function bqlRequestsReached(e: Emulator, n: number): Promise<void> {
  while (e.counters.get('POST', '/api/v2/bql') < n) await new Promise((resolve) => setImmediate(resolve));
}

describe('a long query and the rest of the API', () => {
  it('monitoring/status is answered while a heavy query runs, before the query ends', async () => {
    const before = emu.counters.get('POST', '/api/v2/bql');
    let queryDone = false;
    const query = bql(emu, HEAVY).then(async (res) => {
      queryDone = true;
      return { status: res.status, body: (await res.json()) as { result: unknown[]; total: number } };
    });
    await bqlRequestsReached(emu, before + 1);
    const status = await fetch(`${emu.url}/api/v2/monitoring/status`, { headers: auth(emu) });
    expect(status.status).toBe(200);
    await status.arrayBuffer();
    // The old engine ran the query in one turn of the event loop: the status answer waited for it.
    expect(queryDone).toBe(false);
    const done = await query;
    expect(done.status).toBe(200);
    expect(done.body.total).toBeGreaterThanOrEqual(0);
  });

  it('a query past the budget gets a BQL error that names the budget (200 {"error"}: the default bqlErrorStatus)', async () => {
    const res = await bql(tight, HEAVY);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { error: string };
    expect(body.error).toContain('time budget of 1 ms');
    // The emulator goes on serving.
    expect((await fetch(`${tight.url}/api/v2/monitoring/status`, { headers: auth(tight) })).status).toBe(200);
  });
});

describe('--query-budget', () => {
  it('sets queryBudgetMs and rejects values that are not positive integers', () => {
    const cmd = parseCli(['--query-budget', '250']);
    expect(cmd.kind === 'run' && cmd.options.queryBudgetMs).toBe(250);
    expect(() => parseCli(['--query-budget', '0'])).toThrow(UsageError);
    expect(() => parseCli(['--query-budget', 'soon'])).toThrow(/--query-budget/);
  });

  it('startEmulator rejects a budget that is not positive', async () => {
    await expect(startEmulator({ dataset, queryBudgetMs: -1 })).rejects.toThrow(/queryBudgetMs/);
  });
});
