/**
 * The CLI side of the adversarial pass (issue 19): an empty or unreadable feed never empties a list, `status`
 * ends within its timeout against a trickling server, CSV cells cannot carry formulas, `flows save` owns up to
 * the one duplicate window, password runs log out, and hostile bytes in feeds, tables and config files are
 * neutralised. Each test failed on the CLI before the fix. In-process through main().
 */
import { chownSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bql, type PTNADClient } from 'ptnad-client';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { cli, isolatedEnv, startCliEmulator, stopCliEmulator } from './harness.js';

let emu: Emulator;
let client: PTNADClient;
let env: NodeJS.ProcessEnv;
const run = (...args: string[]) => cli(args, { env });
const json = <T = Record<string, unknown>>(text: string): T => JSON.parse(text) as T;

beforeAll(async () => {
  ({ emu, client, env } = await startCliEmulator({ seed: 19, flows: 500 }));
});
afterAll(() => stopCliEmulator({ emu, client }));

async function feedList(key: string, count: number): Promise<string[]> {
  await client.replists.createList({ name: key.replaceAll('-', '_'), type: 'ip', color: '2', externalKey: key });
  const values = Array.from({ length: count }, (_, i) => `10.19.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  await client.replists.bulkAddItems(key, values);
  return values;
}

const items = async (key: string) => (await client.replists.getDynamicListItems(key).toArray({ max: 10_000 })).length;

describe('1. replists sync refuses to wipe a list', () => {
  it('an empty feed, an HTML error page, UTF-16/UTF-32, NUL bytes and bad UTF-8 change nothing', async () => {
    const key = 'guard-feed';
    await feedList(key, 40);
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>\n';
    const cases: Array<[string, string | Buffer, RegExp]> = [
      [
        'empty',
        '',
        /the feed has no valid line; refusing to empty list "guard-feed": 40 of its 40 item\(s\) would have been removed, e\.g\. "10\.19\.0\.1"/,
      ],
      ['html', html, /the feed has no valid line/],
      ['utf16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('10.19.0.1\n', 'utf16le')]), /is UTF-16 LE/],
      ['utf16be', Buffer.from([0xfe, 0xff, 0, 0x31]), /is UTF-16 BE/],
      ['utf32le', Buffer.from([0xff, 0xfe, 0, 0, 0x31, 0, 0, 0]), /is UTF-32 LE/],
      ['nul', Buffer.from('10.19.0.1\n\u0000\u0000\n'), /holds NUL bytes \(first at byte 10\)/],
      ['cp1251', Buffer.from([0x31, 0x30, 0x2e, 0xe0, 0xe1, 0x0a]), /is not valid UTF-8/],
    ];
    for (const [name, input, message] of cases) {
      const r = await cli(['replists', 'sync', key, '--from', '-'], { env, input });
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stdout, name).toBe('');
    }
    expect(await items(key)).toBe(40);
    const allowed = await cli(['replists', 'sync', key, '--from', '-', '--allow-empty', '-o', 'json'], {
      env,
      input: '',
    });
    expect(allowed.code).toBe(0);
    expect(json(allowed.stdout)).toMatchObject({ removed: 40 });
    expect(await items(key)).toBe(0);
  });

  it('refuses to remove more than --max-remove of the list (default half), also in a dry run', async () => {
    const key = 'guard-ratio';
    const values = await feedList(key, 10);
    const keep = `${values.slice(0, 4).join('\n')}\n`;
    const [refused, dry] = await Promise.all([
      cli(['replists', 'sync', key, '--from', '-'], { env, input: keep }),
      cli(['replists', 'sync', key, '--from', '-', '--dry-run'], { env, input: keep }),
    ]);
    for (const r of [refused, dry]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /6 of its 10 item\(s\) would have been removed, e\.g\. "10\.19\.0\.\d+".*\(60%, more than --max-remove 0\.5\)/,
      );
    }
    expect(await items(key)).toBe(10);
    const bad = await cli(['replists', 'sync', key, '--from', '-', '--max-remove', '2'], { env, input: keep });
    expect(bad.code).toBe(2);
    const ok = await cli(['replists', 'sync', key, '--from', '-', '--max-remove', '0.6', '-o', 'json'], {
      env,
      input: keep,
    });
    expect(ok.code).toBe(0);
    expect(json(ok.stdout)).toMatchObject({ removed: 6, unchanged: 4 });
  });
});

describe('3. status ends within its timeout', () => {
  it('is UNKNOWN (exit 3) when the server sends headers and then one byte every 500 ms', async () => {
    const timers = new Set<NodeJS.Timeout>();
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 500);
      timers.add(t);
      res.on('close', () => clearInterval(t));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const r = await cli(['--url', url, '--timeout', '2', 'status'], {
        env: isolatedEnv({ PTNAD_API_KEY: 'k'.repeat(20) }).env,
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/UNKNOWN: no complete answer within 2 s/);
    } finally {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('5. CSV formula injection', () => {
  it('neutralises cells starting with = + - @ tab or CR; --csv-raw writes them as they are', async () => {
    const hostile = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx'];
    for (const [i, description] of hostile.entries()) {
      await client.replists.createList({ name: `csv_${i}`, type: 'ip', color: '3', description });
    }
    const [safe, raw] = await Promise.all([
      run('replists', 'list', '--search', 'csv_', '--all', '-o', 'csv'),
      run('--csv-raw', 'replists', 'list', '--search', 'csv_', '--all', '-o', 'csv'),
    ]);
    const column = (text: string) => {
      const [header, ...rows] = parseCsv(text);
      const at = header?.indexOf('description') ?? -1;
      return rows.map((r) => r[at] ?? '').sort();
    };
    expect(column(safe.stdout)).toEqual(hostile.map((h) => `'${h}`).sort());
    expect(column(raw.stdout)).toEqual([...hostile].sort());
    // Numbers are not text a spreadsheet would run: they stay as they are.
    const ids = parseCsv(safe.stdout)
      .slice(1)
      .map((r) => r[0] ?? '');
    expect(ids.every((id) => /^\d+$/.test(id))).toBe(true);
  });
});

describe('6. flows save and the duplicate window', () => {
  it('--help says when a flow can be saved twice; a rerun after a lost answer says "possibly saved twice"', async () => {
    const help = await run('flows', 'save', '--help');
    expect(help.stdout).toMatch(
      /after\s+it\s+sent\s+the\s+save\s+request\s+and\s+before\s+the\s+answer\s+arrived[\s\S]*possibly\s+saved\s+twice/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'ptnad-dup-'));
    const target = (await client.sources.getSources()).find((s) => s.is_live !== true)?.id;
    expect(target).toBeDefined();
    // The journal as a run killed while its save request was in flight leaves it: an intent and nothing else.
    // Flows the rerun finds again (sent again: possibly twice) and one it does not find (not sent again).
    const now = Date.now();
    const rows = await client.bql.execute(
      bql`SELECT id FROM flow WHERE app_proto == 'dns' AND end >= ${now - 6 * 86_400_000} AND end <= ${now} LIMIT 50`,
    );
    // The target storage already holds some flows of the dataset, and which ones fall in a window that ends now
    // depends on the time of day: take two that it does not hold (one it held was recovered as saved instead).
    const held = new Set(
      (await client.bql.execute(bql`SELECT id FROM flow LIMIT 10000`, String(target))).map((r) => String(r[0])),
    );
    const found = rows
      .map((r) => String(r[0]))
      .filter((id) => !held.has(id))
      .slice(0, 2);
    // 500 flows over 7 days: the dataset (seed 19) has DNS flows in any 6-day window, so this is fixed at 2.
    expect(found).toHaveLength(2);
    const intent = {
      t: 'intent',
      batch: 'b1',
      ids: [...found, 'lost-3'],
      src: '2',
      dst: String(target),
      start: now - 3600_000,
      end: now,
      at: new Date().toISOString(),
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ptnad-saved-flows.jsonl'), `${JSON.stringify(intent)}\n`);
    const save = () =>
      run(
        'flows',
        'save',
        '--filter',
        "app_proto == 'dns'",
        '--since',
        '7d',
        '--target',
        String(target),
        '--state-dir',
        dir,
        '-o',
        'json',
      );
    const r = await save();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`possibly saved twice: ${found.length} flow\\(s\\)`));
    expect(json(r.stdout)).toMatchObject({ possibly_saved_twice: found.length });
    const again = await save();
    expect(json(again.stdout)).toMatchObject({ possibly_saved_twice: 0 });
  });
});

describe('7. logout', () => {
  it('a run that logged in with a password leaves no live session behind', async () => {
    const store = emu.state.credentials;
    const issued: string[] = [];
    const create = store.createSession.bind(store);
    store.createSession = (account) => {
      const grant = create(account);
      issued.push(grant.sessionId);
      return grant;
    };
    try {
      const r = await run('sources', 'list');
      expect(r.code).toBe(0);
    } finally {
      store.createSession = create;
    }
    expect(issued.length).toBe(1);
    expect(issued.map((id) => store.session(id))).toEqual([null]);
  });
});

describe('11. hostile bytes', () => {
  it('escapes ESC/OSC in feed warnings and bidi controls in tables', async () => {
    const key = 'hostile-feed';
    await client.replists.createList({
      name: 'hostile',
      type: 'ip',
      color: '4',
      externalKey: key,
      description: 'evil\u202etxt.exe',
    });
    const r = await cli(['replists', 'sync', key, '--from', '-'], {
      env,
      input: '1.2.3.4\n\u001b]0;pwned\u0007\n\u009b31m\n',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('skipped "\\x1b]0;pwned\\x7"');
    expect(r.stderr).toContain('skipped "\\x9b31m"');
    expect([...r.stderr].filter((c) => c !== '\n' && (c < ' ' || (c >= '\u007f' && c <= '\u009f')))).toEqual([]);
    const table = await run('replists', 'list', '--search', 'hostile');
    expect(table.stdout).toContain('evil\\u202etxt.exe');
    expect(table.stdout).not.toMatch(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  it('refuses a secrets.json that is a symlink or belongs to another user', async () => {
    const { env: own, home } = isolatedEnv({ PTNAD_URL: emu.url });
    const dir = join(home, 'xdg', 'ptnad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ current: 'p', profiles: { p: { url: emu.url, username: 'administrator' } } }),
    );
    const target = join(home, 'elsewhere.json');
    writeFileSync(target, JSON.stringify({ profiles: { p: { password: 'Administr@t0r' } } }), { mode: 0o644 });
    symlinkSync(target, join(dir, 'secrets.json'));
    const linked = await cli(['status'], { env: own });
    expect(linked.code).toBe(3);
    expect(linked.stderr).toMatch(/secrets\.json is a symbolic link; refusing/);
    const foreign = join(home, 'xdg2', 'ptnad');
    mkdirSync(foreign, { recursive: true });
    writeFileSync(
      join(foreign, 'config.json'),
      JSON.stringify({ current: 'p', profiles: { p: { url: emu.url, username: 'administrator' } } }),
    );
    writeFileSync(join(foreign, 'secrets.json'), JSON.stringify({ profiles: { p: { password: 'Administr@t0r' } } }), {
      mode: 0o600,
    });
    if (process.getuid?.() !== 0) return; // only root can give a file away
    chownSync(join(foreign, 'secrets.json'), 65534, 65534);
    const r = await cli(['sources', 'list'], { env: { ...own, XDG_CONFIG_HOME: join(home, 'xdg2') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/secrets\.json belongs to user id 65534, not to you/);
  });

  it('reads config.json and BQL from stdin with a UTF-8 BOM; names the file and key of a bad setting', async () => {
    const { env: own, home } = isolatedEnv({ PTNAD_USERNAME: 'administrator', PTNAD_PASSWORD: 'Administr@t0r' });
    const dir = join(home, 'xdg', 'ptnad');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'config.json');
    writeFileSync(file, `\ufeff${JSON.stringify({ current: 'p', profiles: { p: { url: emu.url } } })}`);
    const [bom, stdin] = await Promise.all([
      cli(['sources', 'list', '-o', 'json'], { env: own }),
      cli(['bql', 'fmt'], { env: own, input: '\ufeffSELECT src.ip FROM flow' }),
    ]);
    expect(bom.code).toBe(0);
    expect(stdin).toMatchObject({ code: 0, stdout: 'SELECT src.ip FROM flow\n' });
    writeFileSync(file, JSON.stringify({ current: 'p', profiles: { p: { url: 5 } } }));
    const bad = await cli(['sources', 'list'], { env: own });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}: "profiles.p.url" must be a string, got 5`);
  });
});
