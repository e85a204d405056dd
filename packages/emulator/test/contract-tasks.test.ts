// Async tasks: sources/save and sources/getfile through tasks/{id} polling to a downloadable ZIP.
import { createHash } from 'node:crypto';
import { crc32, inflateRawSync } from 'node:zlib';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startSmall } from './helpers.js';

let emu: Emulator;
let call: ReturnType<typeof bearer>;

beforeAll(async () => {
  emu = await startSmall();
  call = bearer(emu.url, emu.credentials.apiKey);
});
afterAll(() => emu.close());

interface Task {
  id: string;
  state: string;
  result: Record<string, unknown> | null;
}

async function pollToEnd(id: string): Promise<{ states: string[]; task: Task }> {
  const states: string[] = [];
  for (let i = 0; i < 10; i++) {
    const task = (await call('GET', `/api/v2/tasks/${id}`)).body as Task;
    states.push(task.state);
    if (task.state === 'SUCCESS' || task.state === 'FAILURE') return { states, task };
  }
  throw new Error(`task ${id} never finished: ${states.join(' ')}`);
}

/** A minimal ZIP reader: walks the central directory, inflates entries and checks sizes and CRC-32. */
function readZip(zip: Buffer): Array<{ name: string; data: Buffer }> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(-1);
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: Array<{ name: string; data: Buffer }> = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(p)).toBe(0x02014b50);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    out.push({ name, data });
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

describe('sources/getfile', () => {
  it('goes PENDING -> STARTED -> SUCCESS over polls and serves a ZIP whose files match their hashes', async () => {
    const flow = emu.state.dataset.flows.find((f) => f.files.length > 0 && f.files.length < 4);
    expect(flow).toBeDefined();
    const files = flow?.files ?? [];
    const created = await call('POST', '/api/v2/sources/getfile', {
      id: [flow?.id],
      start: 0,
      end: Date.now(),
      source: ['2'],
    });
    expect(created.status).toBe(202);
    const task = created.body as Task;
    expect(task.state).toBe('PENDING');
    expect(task.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      (
        await fetch(`${emu.url}/api/v2/download/${task.id}.zip`, {
          headers: { Authorization: `Bearer ${emu.credentials.apiKey}` },
        })
      ).status,
    ).toBe(404);
    const { states, task: done } = await pollToEnd(task.id);
    expect(states).toEqual(['STARTED', 'SUCCESS']);
    expect(done.result).toEqual({
      url: `/api/v2/download/${task.id}.zip`,
      total_files: files.length,
      extracted_files: files.length,
      errors: [],
    });
    const res = await fetch(`${emu.url}${done.result?.url}`, {
      headers: { Authorization: `Bearer ${emu.credentials.apiKey}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const entries = readZip(Buffer.from(await res.arrayBuffer()));
    expect(entries.length).toBe(files.length);
    const md5s = entries.map((e) => createHash('md5').update(e.data).digest('hex')).sort();
    expect(md5s).toEqual(files.map((f) => f.md5).sort());
  });

  it('extracts only the requested md5 and reports missing ones as errors', async () => {
    const flow = emu.state.dataset.flows.find((f) => f.files.length === 1);
    const wanted = flow?.files[0]?.md5 ?? '';
    const created = (
      await call('POST', '/api/v2/sources/getfile', { id: [flow?.id], source: ['2'], md5: [wanted, '0'.repeat(32)] })
    ).body as Task;
    const { task } = await pollToEnd(created.id);
    expect(task.state).toBe('SUCCESS');
    expect(task.result).toMatchObject({ extracted_files: 1, total_files: 2 });
    expect((task.result?.errors as string[] | undefined)?.[0]).toMatch(/No file with md5 0{32}/);
  });

  it('fails the task for an unknown flow and rejects malformed bodies with 400', async () => {
    const created = (await call('POST', '/api/v2/sources/getfile', { id: ['NoSuchFlow'], source: ['2'] })).body as Task;
    const { task } = await pollToEnd(created.id);
    expect(task.state).toBe('FAILURE');
    expect(String(task.result?.error)).toMatch(/NoSuchFlow was not found/);
    const bad = await call('POST', '/api/v2/sources/getfile', { id: [], md5: ['zz'] });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body as object).sort()).toEqual(['id', 'md5']);
    expect((await call('GET', '/api/v2/tasks/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('sources/save', () => {
  it('copies flows into a saved storage so BQL on that source finds them', async () => {
    const sources = (await call('GET', '/api/v2/sources')).body as { results: Array<{ id: number; is_live: boolean }> };
    const target = sources.results.find((s) => !s.is_live)?.id ?? 0;
    const storage = emu.state.storages.find(target);
    const outside = emu.state.dataset.flows.find((f) => !storage?.flowIds?.includes(f.id));
    const created = await call('POST', '/api/v2/sources/save', {
      id: [outside?.id],
      source: ['2'],
      target: String(target),
    });
    expect(created.status).toBe(202);
    const { task } = await pollToEnd((created.body as Task).id);
    expect(task).toMatchObject({ state: 'SUCCESS', result: { target, saved: 1, added: 1, missing: [] } });
    const q = await fetch(`${emu.url}/api/v2/bql?source=${target}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.credentials.apiKey}`, 'Content-Type': 'text/plain' },
      body: `SELECT id FROM flow WHERE id == '${outside?.id}'`,
    });
    expect(((await q.json()) as { total: number }).total).toBe(1);
  });

  it('fails when the target is the live storage or does not exist', async () => {
    const flowId = emu.state.dataset.flows[0]?.id;
    for (const [target, reason] of [
      ['2', /is the live storage/],
      ['4242', /does not exist/],
    ] as const) {
      const created = (await call('POST', '/api/v2/sources/save', { id: [flowId], source: ['2'], target }))
        .body as Task;
      const { task } = await pollToEnd(created.id);
      expect(task.state).toBe('FAILURE');
      expect(String(task.result?.error)).toMatch(reason);
    }
  });
});
