import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../src/bql/index.js';
import { ConnectionError, PTNADClient, TaskFailedError } from '../src/index.js';
import { fakeFetch, json, networkError } from './helpers/fake-fetch.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ptnad-storage-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The `I` of a keyset condition `id > "I"` somewhere in a WHERE clause. */
function keysetId(expr: unknown): string | undefined {
  if (expr === null || typeof expr !== 'object') return undefined;
  const e = expr as { kind?: string; op?: string; field?: { name?: string }; value?: { value?: unknown } };
  if (e.kind === 'compare' && e.op === '>' && e.field?.name === 'id' && typeof e.value?.value === 'string') {
    return e.value.value;
  }
  for (const child of Object.values(e)) {
    const found = keysetId(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A fake NAD: BQL over `flows` (source 2) and `saved` (source 12), sources/save, tasks. */
function nad(flows: string[]) {
  const saved = new Set<string>();
  const posted: string[][] = [];
  const behaviour = { save: 'ok' as 'ok' | 'reject' | 'reset-after' | 'task-fails' };
  const fake = fakeFetch((req) => {
    const p = req.url.pathname;
    if (p === '/api/v2/bql') {
      const q = parseQuery(req.body ?? '');
      const source = req.url.searchParams.get('source');
      if (q.where?.kind === 'in') {
        const wanted = q.where.values.map((v) => (v.kind === 'string' ? v.value : ''));
        const pool = source === '12' ? saved : new Set(flows);
        return json({ result: wanted.filter((id) => pool.has(id)).map((id) => [id]), total: 0 });
      }
      // Every flow ends at the same time: a keyset page (bql.stream) asks for the ids after the last one it had.
      const after = keysetId(q.where);
      const page = [...flows].sort().filter((id) => after === undefined || id > after);
      const rows = page.slice(0, q.limit ?? 100).map((id) => [id, '2025-05-30T00:00:00', '2025-05-30T00:01:00']);
      return json({ result: rows, total: flows.length });
    }
    if (p === '/api/v2/sources/save') {
      const body = JSON.parse(req.body ?? '{}') as { id: string[]; target: string; source: string[] };
      expect(body.target).toBe('12');
      expect(body.source).toEqual(['2']);
      posted.push(body.id);
      if (behaviour.save === 'reject') return json({ detail: 'bad storage' }, 400);
      if (behaviour.save !== 'task-fails') for (const id of body.id) saved.add(id);
      if (behaviour.save === 'reset-after') throw networkError('ECONNRESET');
      return json({ id: behaviour.save === 'task-fails' ? 'task-bad' : 'task-ok', state: 'PENDING' }, 202);
    }
    if (p === '/api/v2/tasks/task-ok') return json({ id: 'task-ok', state: 'SUCCESS' });
    if (p === '/api/v2/tasks/task-bad') return json({ id: 'task-bad', state: 'FAILURE', result: 'disk full' });
    return json({ detail: 'Not found.' }, 404);
  });
  const client = new PTNADClient('https://nad.test', { fetch: fake.fetch, maxRetries: 0 });
  return { client, saved, posted, behaviour };
}

const window = { startTime: 1_748_000_000_000, endTime: 1_748_100_000_000, persistIdx: '12', pollMs: 0 };

describe('storage.saveFlows record', () => {
  it('saves new flows once; a re-run skips them', async () => {
    const n = nad(['a', 'b', 'c']);
    const stateDir = join(dir, 'once');
    const first = await n.client.storage.saveFlows({ ...window, filter: "app_proto == 'dns'", stateDir });
    expect(first).toMatchObject({ found: 3, alreadySaved: 0, submitted: ['a', 'b', 'c'], state: 'SUCCESS' });
    const second = await n.client.storage.saveFlows({ ...window, filter: "app_proto == 'dns'", stateDir });
    expect(second).toMatchObject({ found: 3, alreadySaved: 3, submitted: [] });
    expect(n.posted).toEqual([['a', 'b', 'c']]);
  });

  it('a rejected POST or a failed task is not recorded as saved: the next run sends the flows again', async () => {
    const n = nad(['a', 'b']);
    const stateDir = join(dir, 'failures');
    n.behaviour.save = 'reject';
    await expect(n.client.storage.saveFlows({ ...window, filter: 'files', stateDir })).rejects.toThrow(/400/);
    n.behaviour.save = 'task-fails';
    await expect(n.client.storage.saveFlows({ ...window, filter: 'files', stateDir })).rejects.toBeInstanceOf(
      TaskFailedError,
    );
    n.behaviour.save = 'ok';
    const third = await n.client.storage.saveFlows({ ...window, filter: 'files', stateDir });
    expect(third.submitted).toEqual(['a', 'b']);
    expect(n.posted).toHaveLength(3);
  });

  it('an uncertain POST (reset after the server saved) is resolved from the target storage, not re-sent', async () => {
    const n = nad(['a', 'b', 'c']);
    const stateDir = join(dir, 'uncertain');
    n.behaviour.save = 'reset-after';
    await expect(n.client.storage.saveFlows({ ...window, filter: 'files', stateDir })).rejects.toBeInstanceOf(
      ConnectionError,
    );
    n.behaviour.save = 'ok';
    const next = await n.client.storage.saveFlows({ ...window, filter: 'files', stateDir });
    expect(next).toMatchObject({ recovered: 3, alreadySaved: 3, submitted: [] });
    expect(n.posted).toHaveLength(1);
  });

  it('a torn last line (crash mid-write) is ignored', async () => {
    const n = nad(['x']);
    const stateDir = join(dir, 'torn');
    await n.client.storage.saveFlows({ ...window, filter: 'files', stateDir });
    const file = join(stateDir, 'ptnad-saved-flows.jsonl');
    await writeFile(file, `${await readFile(file, 'utf8')}{"t":"intent","batch":"zz","ids":["y"`);
    const again = await n.client.storage.saveFlows({ ...window, filter: 'files', stateDir });
    expect(again).toMatchObject({ alreadySaved: 1, submitted: [], recovered: 0 });
  });

  it('checks the window and the filter before anything is sent', async () => {
    const n = nad([]);
    const stateDir = join(dir, 'bad');
    await expect(n.client.storage.saveFlows({ filter: 'files', persistIdx: '12', stateDir })).rejects.toThrow(
      /deltaHours, or both startTime and endTime/,
    );
    await expect(n.client.storage.saveFlows({ ...window, filter: 'files', deltaHours: 2, stateDir })).rejects.toThrow(
      /not both/,
    );
    await expect(n.client.storage.saveFlows({ ...window, filter: 'a ==', stateDir })).rejects.toThrow(/line 1/);
  });
});
