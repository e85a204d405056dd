import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, NotFoundError, PTNADClient, ValidationError } from '../src/index.js';
import { toEpochMs } from '../src/lib/time.js';
import { fakeFetch, json, never } from './helpers/fake-fetch.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ptnad-misc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('time arguments', () => {
  it('accepts epoch ms, Dates, zoned and naive ISO (read as UTC); refuses the rest with the argument name', () => {
    expect(toEpochMs(1_700_000_000_000.9, 'start')).toBe(1_700_000_000_000);
    expect(toEpochMs(new Date('2025-06-01T00:00:00Z'), 'start')).toBe(Date.parse('2025-06-01T00:00:00Z'));
    expect(toEpochMs('2025-06-01T03:00:00+03:00', 'start')).toBe(Date.parse('2025-06-01T00:00:00Z'));
    expect(toEpochMs('2023-06-08T11:02:08.718426', 'end')).toBe(Date.parse('2023-06-08T11:02:08.718Z'));
    expect(() => toEpochMs('yesterday', 'end')).toThrow(/Invalid end: "yesterday"\. Accepted: epoch milliseconds/);
    expect(() => toEpochMs(Number.NaN, 'start')).toThrow(/Invalid start: NaN is not a finite/);
    expect(() => toEpochMs(new Date('x'), 'start')).toThrow(/invalid Date/);
  });

  it('flows.get sends the window as epoch ms and the default source', async () => {
    const fake = fakeFetch(() => json({ id: 'F1' }));
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch, defaultSource: '23' });
    await c.flows.get('F1', { start: '2023-06-08T00:00:00', end: new Date('2023-06-09T00:00:00Z') });
    expect(Object.fromEntries(fake.requests[0]?.url.searchParams ?? [])).toEqual({
      start: String(Date.parse('2023-06-08T00:00:00Z')),
      end: String(Date.parse('2023-06-09T00:00:00Z')),
      source: '23',
    });
  });
});

describe('abort while waiting for a shared login', () => {
  it('the waiting caller gets AbortError; the login itself is not cancelled for others', async () => {
    let release: (r: Response) => void = () => undefined;
    const fake = fakeFetch((req) => {
      if (req.url.pathname === '/api/v2/monitoring/status') {
        return new Promise<Response>((resolve) => {
          release = resolve;
        });
      }
      return json({ results: [] });
    });
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch, auth: { type: 'apikey', apikey: 'k-123456' } });
    const ac = new AbortController();
    const first = c.sensors.getSensors({ signal: ac.signal }).catch((e: unknown) => e);
    const second = c.sensors.getSensors();
    await Promise.resolve();
    ac.abort();
    expect(await first).toBeInstanceOf(AbortError);
    release(json({ status: 'green', problems: [] }));
    expect(await second).toEqual([]);
  });

  it('tasks.wait stops at once when aborted between polls', async () => {
    const fake = fakeFetch(() => json({ id: 't', state: 'PENDING' }));
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch });
    const ac = new AbortController();
    const waiting = c.tasks.wait('t', { pollMs: 60_000, signal: ac.signal, onProgress: () => ac.abort() });
    await expect(waiting).rejects.toThrow(/Failed to wait for task t: aborted by the caller/);
  });
});

describe('downloads', () => {
  it('streams to the destination through a temporary file and leaves nothing behind on failure', async () => {
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200_000, 7)]);
    const fake = fakeFetch((req) =>
      req.url.pathname.endsWith('/ok-task.zip')
        ? new Response(zip, { status: 200, headers: { 'content-type': 'application/zip' } })
        : json({ detail: 'No finished download with this id.' }, 404),
    );
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch });
    const dest = join(dir, 'out.zip');
    const done = await c.files.download('ok-task', dest);
    expect(done).toEqual({ path: dest, bytes: zip.length });
    expect((await readFile(dest)).equals(zip)).toBe(true);
    await expect(c.files.download('missing', join(dir, 'missing.zip'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.files.download('../etc/passwd', join(dir, 'x.zip'))).rejects.toBeInstanceOf(ValidationError);
    expect((await readdir(dir)).sort()).toEqual(['out.zip']);
  });
});

describe('saveFlows lock', () => {
  it('a second concurrent run in the same state directory is refused, not interleaved', async () => {
    let queried: () => void = () => undefined;
    const firstQuery = new Promise<void>((resolve) => {
      queried = resolve;
    });
    const fake = fakeFetch((req) => {
      if (req.url.pathname !== '/api/v2/bql') return json({ detail: 'unexpected' }, 500);
      queried();
      return never();
    });
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch });
    const stateDir = join(dir, 'locked');
    const params = {
      filter: 'files',
      persistIdx: '12',
      startTime: 0,
      endTime: 1,
      stateDir,
      timeoutMs: 200,
      maxRetries: 0,
    };
    const first = c.storage.saveFlows(params).catch((e: unknown) => e);
    await firstQuery; // the first run holds the lock once it queries
    await expect(c.storage.saveFlows(params)).rejects.toThrow(/another saveFlows run holds/);
    expect(String(await first)).toMatch(/within 200 ms/);
    // The first run released the lock when it ended.
    await expect(c.storage.saveFlows({ ...params, timeoutMs: 50 })).rejects.toThrow(/within 50 ms/);
  });
});
