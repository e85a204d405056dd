// --state FILE: user changes survive a restart; a corrupt file is a clear start-up error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateFileError } from 'ptnad-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, startSmall } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ptnad-emu-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('state persistence', () => {
  it('keeps lists, items, variables and pending rule changes across a restart', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startSmall({ flows: 300, statePath });
    let call = bearer(first.url, first.credentials.apiKey);
    const list = (
      await call('POST', '/api/v2/replists', { name: 'persisted', type: 'dn', external_key: 'persist-key' })
    ).body as { id: number };
    await call('POST', `/api/v2/replists/dynamic/persist-key/${encodeURIComponent('evil.example')}`, { why: 'test' });
    const variable = (await call('POST', '/api/v2/variables', { name: 'PERSIST_NET', value: '10.9.0.0/16' })).body as {
      id: number;
    };
    const rules = (await call('GET', '/api/v2/signatures/rules?limit=1')).body as {
      results: Array<{ sid: number; msg: string }>;
    };
    const sid = rules.results[0]?.sid;
    await call('PATCH', `/api/v2/signatures/rules/${sid}`, { msg: 'pending msg' });
    const deleted = ((await call('GET', '/api/v2/replists?limit=1')).body as { results: Array<{ id: number }> })
      .results[0]?.id;
    expect((await call('DELETE', `/api/v2/replists/${deleted}`)).status).toBe(204);
    await first.close();
    expect(JSON.parse(readFileSync(statePath, 'utf8')).version).toBe(1);

    const second = await startSmall({ flows: 300, statePath });
    call = bearer(second.url, second.credentials.apiKey);
    expect((await call('GET', `/api/v2/replists/${list.id}`)).body).toMatchObject({
      name: 'persisted',
      content: 'evil.example',
    });
    expect((await call('GET', '/api/v2/replists/dynamic/persist-key')).body).toMatchObject({ count: 1 });
    expect((await call('GET', `/api/v2/replists/${deleted}`)).status).toBe(404);
    expect((await call('GET', `/api/v2/variables/${variable.id}`)).body).toMatchObject({ name: 'PERSIST_NET' });
    expect((await call('GET', `/api/v2/signatures/rules/${sid}`)).body).toMatchObject({
      msg: 'pending msg',
      diff: '*',
    });
    const commit = await call('POST', '/api/v2/signatures/commit');
    expect(commit.status).toBe(200);
    await second.close();

    const third = await startSmall({ flows: 300, statePath });
    const stats = (await bearer(third.url, third.credentials.apiKey)('GET', '/api/v2/signatures/stats')).body as {
      hashsum: string;
      pending_changes: number;
    };
    expect(stats).toEqual(
      expect.objectContaining({ hashsum: (commit.body as { hashsum: string }).hashsum, pending_changes: 0 }),
    );
    await third.close();
  });

  it('refuses to start with a corrupt state file and says which file and why', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version": 1, "replists": [');
    await expect(startSmall({ flows: 100, statePath: bad })).rejects.toThrow(StateFileError);
    await expect(startSmall({ flows: 100, statePath: bad })).rejects.toThrow(/bad\.json: is not valid JSON/);
    writeFileSync(bad, '{"version": 2}');
    await expect(startSmall({ flows: 100, statePath: bad })).rejects.toThrow(/unsupported version 2/);
  });
});
