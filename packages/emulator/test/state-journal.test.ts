// Issue 19 item 8: `--state` appends each change to a journal (durable before it is applied), compacts in the
// background, survives kill -9, answers 500 without applying a change it cannot write, and removes stale temp files.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, startSmall } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ptnad-emu-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = 'tor-relays';
const item = (v: string) => `/api/v2/replists/dynamic/${KEY}/${encodeURIComponent(v)}`;

async function itemValues(emu: Emulator): Promise<string[]> {
  const r = await bearer(emu.url, emu.credentials.apiKey)('GET', `/api/v2/replists/dynamic/${KEY}?limit=1000`);
  return (r.body as { results: Array<{ value: string }> }).results.map((i) => i.value);
}

describe('state journal', () => {
  it('a single change appends one journal line and leaves the snapshot alone', async () => {
    const statePath = join(dir, 'append.json');
    const emu = await startSmall({ flows: 300, statePath });
    const snapshotBefore = statSync(statePath);
    const call = bearer(emu.url, emu.credentials.apiKey);
    expect((await call('POST', item('203.0.113.7'), { why: 'append' })).status).toBe(201);
    const lines = readFileSync(`${statePath}.journal`, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ seq: 1, change: { op: 'items.put' } });
    expect(statSync(statePath).mtimeMs).toBe(snapshotBefore.mtimeMs);
    await emu.close();
    // close() folds the journal into the snapshot.
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toMatchObject({ version: 1, seq: 1 });
    expect(readFileSync(`${statePath}.journal`, 'utf8')).toBe('');
    const again = await startSmall({ flows: 300, statePath });
    expect(await itemValues(again)).toContain('203.0.113.7');
    await again.close();
  });

  it('a state write that fails answers 500 and changes nothing in memory', async () => {
    const statePath = join(dir, 'fail.json');
    const emu = await startSmall({ flows: 300, statePath, onError: () => {} });
    const call = bearer(emu.url, emu.credentials.apiKey);
    const rule = ((await call('GET', '/api/v2/signatures/rules?limit=1')).body as { results: Array<{ sid: number }> })
      .results[0];
    const ruleBefore = (await call('GET', `/api/v2/signatures/rules/${rule?.sid}`)).body;
    // A directory where the journal (and the old whole-file temp file) must be written: even root cannot write it.
    rmSync(`${statePath}.journal`, { force: true });
    mkdirSync(`${statePath}.journal`);
    mkdirSync(`${statePath}.${process.pid}.tmp`);
    const before = await itemValues(emu);
    const failed = await call('POST', item('198.51.100.9'), {});
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({
      detail: expect.stringMatching(/could not be written to the state file .*not applied/),
    });
    expect(await itemValues(emu)).toEqual(before);
    expect((await call('PATCH', `/api/v2/signatures/rules/${rule?.sid}`, { msg: 'never' })).status).toBe(500);
    expect((await call('GET', `/api/v2/signatures/rules/${rule?.sid}`)).body).toEqual(ruleBefore);
    expect((await call('POST', '/api/v2/variables', { name: 'NEVER_NET', value: '10.0.0.0/8' })).status).toBe(500);
    const vars = (await call('GET', '/api/v2/variables?search=NEVER_NET')).body as { count: number };
    expect(vars.count).toBe(0);
    const listId = ((await call('GET', '/api/v2/replists?limit=1')).body as { results: Array<{ id: number }> })
      .results[0]?.id;
    expect((await call('DELETE', `/api/v2/replists/${listId}`)).status).toBe(500);
    expect((await call('GET', `/api/v2/replists/${listId}`)).status).toBe(200);

    // Once the disk is writable again, the retry is a fresh add (201), not "already there" (200).
    rmSync(`${statePath}.journal`, { recursive: true });
    rmSync(`${statePath}.${process.pid}.tmp`, { recursive: true });
    expect((await call('POST', item('198.51.100.9'), {})).status).toBe(201);
    await emu.close();
    const again = await startSmall({ flows: 300, statePath });
    expect(await itemValues(again)).toContain('198.51.100.9');
    await again.close();
  });

  it('compacts in the background and loads snapshot plus journal tail identically', async () => {
    const statePath = join(dir, 'compact.json');
    const emu = await startSmall({ flows: 300, statePath, stateCompactBytes: 2_000 });
    const call = bearer(emu.url, emu.credentials.apiKey);
    const added: string[] = [];
    for (let i = 0; i < 60; i++) {
      const v = `192.0.2.${i}`;
      added.push(v);
      expect((await call('POST', item(v), { n: String(i) })).status).toBe(201);
      if (i % 7 === 0) expect((await call('DELETE', item(v))).status).toBe(204);
    }
    await emu.state.journal?.settle();
    const snapshot = JSON.parse(readFileSync(statePath, 'utf8')) as { seq: number };
    expect(snapshot.seq).toBeGreaterThan(0);
    expect(statSync(`${statePath}.journal`).size).toBeLessThan(2_000 + 400);
    const expected = await itemValues(emu);
    // Reload from snapshot + journal without the final fold that close() does: copy both files as a kill would.
    const copy = join(dir, 'compact-copy.json');
    writeFileSync(copy, readFileSync(statePath));
    writeFileSync(`${copy}.journal`, readFileSync(`${statePath}.journal`));
    await emu.close();
    const again = await startSmall({ flows: 300, statePath: copy });
    expect(await itemValues(again)).toEqual(expected);
    expect(expected.filter((v) => v.startsWith('192.0.2.'))).toHaveLength(added.length - 9);
    await again.close();
  });

  it('removes stale temp files of killed runs at start', async () => {
    const statePath = join(dir, 'stale.json');
    // pid 2^22 + 1 is above Linux's pid_max, so no live process owns these.
    const stale = [`${statePath}.4194305.tmp`, `${statePath}.journal.4194305.tmp`];
    for (const f of stale) writeFileSync(f, '{"half": ');
    writeFileSync(join(dir, 'unrelated.4194305.tmp'), 'keep');
    const emu = await startSmall({ flows: 300, statePath });
    for (const f of stale) expect(existsSync(f)).toBe(false);
    expect(existsSync(join(dir, 'unrelated.4194305.tmp'))).toBe(true);
    await emu.close();
  });

  it('ignores a torn last journal line (a write cut by a kill) but refuses a corrupt middle line', async () => {
    const statePath = join(dir, 'torn.json');
    const emu = await startSmall({ flows: 300, statePath });
    await bearer(emu.url, emu.credentials.apiKey)('POST', item('203.0.113.50'), {});
    const journal = readFileSync(`${statePath}.journal`, 'utf8');
    const copy = join(dir, 'torn-copy.json');
    writeFileSync(copy, readFileSync(statePath));
    writeFileSync(`${copy}.journal`, `${journal}{"seq":2,"change":{"op":"items.p`);
    await emu.close();
    const again = await startSmall({ flows: 300, statePath: copy });
    expect(await itemValues(again)).toContain('203.0.113.50');
    await again.close();
    writeFileSync(`${copy}.journal`, `{"seq":9,"chan\n${journal}`);
    await expect(startSmall({ flows: 300, statePath: copy })).rejects.toThrow(/torn-copy\.json\.journal: line 1/);
  });
});

const DIST = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;

/** Starts the built emulator in a child process (so it can be killed with SIGKILL); resolves with its URL. */
function spawnChild(statePath: string): Promise<{ child: ChildProcess; url: string }> {
  const code = `
    const { startEmulator } = await import(${JSON.stringify(DIST)});
    const emu = await startEmulator({ seed: 1, flows: 300, now: '2025-06-01T12:00:00Z',
      statePath: ${JSON.stringify(statePath)}, stateCompactBytes: 3000 });
    process.stdout.write('URL ' + emu.url + '\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /URL (\S+)\n/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once('exit', (c) => reject(new Error(`child exited ${c}: ${err}`)));
  });
}

describe('kill -9 trials of the journal', () => {
  for (const killAfter of [5, 23, 41]) {
    it(`every acknowledged change survives SIGKILL after ${killAfter} acknowledgements`, async () => {
      const statePath = join(dir, `kill-${killAfter}.json`);
      const { child, url } = await spawnChild(statePath);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const call = bearer(url, 'ptnad-emulator-api-key');
      const acked = new Set<string>();
      // Four writers in flight at once, so the kill lands among unacknowledged requests and compactions.
      let n = 0;
      const writer = async (w: number) => {
        for (;;) {
          const v = `10.${w}.${Math.floor(n / 250)}.${n++ % 250}`;
          const r = await call('POST', item(v), { w: String(w) }).catch(() => null);
          if (!r) return;
          if (r.status === 201) acked.add(v);
          if (acked.size >= killAfter && child.exitCode === null) child.kill('SIGKILL');
        }
      };
      await Promise.all([0, 1, 2, 3].map(writer));
      await exited;
      expect(acked.size).toBeGreaterThanOrEqual(killAfter);
      const emu = await startSmall({ flows: 300, statePath });
      const values = new Set(await itemValues(emu));
      for (const v of acked) expect(values.has(v)).toBe(true);
      await emu.close();
    });
  }
});
