/**
 * What a new user tripped over (issue 11, "The CLI"): each test here failed on the CLI before the fix.
 * In-process through main() against one emulator, except the closed-pipe test, which needs a real process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PTNADClient } from 'ptnad-client';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, ptnad, startCliEmulator, stopCliEmulator } from './harness.js';

let emu: Emulator;
let client: PTNADClient;
let env: NodeJS.ProcessEnv;
const run = (...args: string[]) => cli(args, { env });
const json = <T = Record<string, unknown>>(text: string): T => JSON.parse(text) as T;

beforeAll(async () => {
  ({ emu, client, env } = await startCliEmulator({ seed: 11, flows: 3000 }));
});
afterAll(() => stopCliEmulator({ emu, client }));

describe('1. a closed stdout', () => {
  it('ends `bql run --all | head -1` (and -o csv) quietly with exit 0', async () => {
    assertBuilt();
    for (const format of ['table', 'csv', 'jsonl']) {
      const r = await ptnad(
        ['bql', 'run', '--all', '--page-size', '50', '-o', format, 'SELECT id, end, src.ip FROM flow'],
        {
          env,
          onSpawn: (child) => {
            // Read one chunk, then close the pipe as `head -1` does.
            child.stdout?.once('data', () => child.stdout?.destroy());
          },
        },
      );
      expect(r.stderr, format).not.toMatch(/EPIPE|Unhandled|at .*\.js/);
      expect(r.code, format).toBe(0);
    }
  });
});

describe('2. hunt packs', () => {
  it('accepts the Python client\'s {"filters": [...]} as well as a bare array', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptnad-pack-'));
    const entries = [{ name: { en: 'DNS' }, filter: "app_proto == 'dns'" }];
    writeFileSync(join(dir, 'object.json'), JSON.stringify({ filters: entries }));
    writeFileSync(join(dir, 'array.json'), JSON.stringify(entries));
    const [obj, arr] = await Promise.all([
      run('hunt', '--pack', join(dir, 'object.json'), '-o', 'json'),
      run('hunt', '--pack', join(dir, 'array.json'), '-o', 'json'),
    ]);
    expect(obj.stderr).toBe('');
    expect(obj.code).toBe(0);
    expect(json<{ hits: number }[]>(obj.stdout)[0]?.hits).toBeGreaterThan(0);
    expect(json(obj.stdout)).toEqual(json(arr.stdout));
  });
});

describe('3. field typos', () => {
  it('bql run prints the validator warnings on stderr; --strict makes them exit 2 with nothing sent', async () => {
    const q = 'SELECT src.ipp FROM flow WHERE dst.prot == 80';
    const warned = await run('bql', 'run', q);
    expect(warned.stderr).toMatch(/unknown field 'src\.ipp'[\s\S]*did you mean "src\.ip"/);
    expect(warned.stderr).toMatch(/unknown field 'dst\.prot'[\s\S]*did you mean "dst\.port"/);
    const before = emu.counters.total;
    const strict = await run('bql', 'run', '--strict', q);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toMatch(/2 problem\(s\) found by the validator/);
    expect(emu.counters.total).toBe(before);
  });

  it('hunt warns per filter and --strict refuses that filter; flows save warns too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptnad-pack-'));
    const pack = join(dir, 'pack.json');
    writeFileSync(
      pack,
      JSON.stringify([
        { name: 'typo', filter: 'dst.prot == 53' },
        { name: 'fine', filter: "app_proto == 'dns'" },
      ]),
    );
    const [loose, strict, save] = await Promise.all([
      run('hunt', '--pack', pack, '-o', 'json'),
      run('hunt', '--pack', pack, '--strict', '-o', 'json'),
      run('flows', 'save', '--filter', 'dst.prot == 53', '--target', '999', '--strict', '--state-dir', dir),
    ]);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toMatch(/warning in "typo": unknown field 'dst\.prot'/);
    expect(strict.code).toBe(2);
    const rows = json<{ name: string; error: string | null; hits: number | null }[]>(strict.stdout);
    expect(rows.find((r) => r.name === 'typo')?.error).toMatch(/--strict/);
    expect(rows.find((r) => r.name === 'fine')?.hits).toBeGreaterThan(0);
    expect(save.code).toBe(2);
    expect(save.stderr).toMatch(/unknown field 'dst\.prot'/);
  });

  it('SELEC suggests SELECT, and AS says how BQL writes an alias', async () => {
    const [selec, as] = await Promise.all([
      run('bql', 'check', 'SELEC src.ip FROM flow'),
      run('bql', 'check', 'SELECT src.ip AS source FROM flow'),
    ]);
    expect(selec.code).toBe(2);
    expect(selec.stdout).toMatch(/unknown keyword 'SELEC'; did you mean SELECT\?/);
    expect(as.code).toBe(2);
    expect(as.stdout).toMatch(/BQL has no AS: write the alias right after the column/);
  });
});

describe('4. task failures', () => {
  it("flows save into a storage that does not exist prints the server's reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptnad-save-'));
    const r = await run(
      'flows',
      'save',
      '--filter',
      "app_proto == 'dns'",
      '--target',
      '999',
      '--since',
      '3d',
      '--state-dir',
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ended in FAILURE: Target storage 999 does not exist\./);
  });
});

describe('5. lists say when they are cut', () => {
  it('rules and hosts lists name the total; --all, --limit and --offset; rules list --pending', async () => {
    const total = (await client.signatures.getRules({ limit: 1 })).count ?? 0;
    expect(total).toBeGreaterThan(100);
    const [first, all, paged, hosts] = await Promise.all([
      run('rules', 'list', '-o', 'jsonl'),
      run('rules', 'list', '--all', '-o', 'jsonl'),
      run('rules', 'list', '--limit', '5', '--offset', '10', '-o', 'json'),
      run('hosts', 'list', '-o', 'jsonl'),
    ]);
    expect(first.stdout.trim().split('\n').length).toBe(100);
    expect(first.stderr).toContain(`ptnad: 100 of ${total} shown; --all for every row`);
    expect(all.stdout.trim().split('\n').length).toBe(total);
    expect(all.stderr).toBe('');
    const expected = (await client.signatures.getRules({ limit: 5, offset: 10 })).map((r) => r.sid);
    expect(json<{ sid: number }[]>(paged.stdout).map((r) => r.sid)).toEqual(expected);
    expect(hosts.stderr).toMatch(/ptnad: 100 (of \d+ )?shown/);

    const sid = expected[0] ?? 0;
    const rule = await client.signatures.getRule(sid);
    await client.signatures.updateRule(sid, { enabled: !rule.enabled });
    try {
      const pending = await run('rules', 'list', '--pending', '--all', '-o', 'json');
      expect(json<{ sid: number }[]>(pending.stdout).map((r) => r.sid)).toContain(sid);
    } finally {
      await client.signatures.revertChanges();
    }
  });
});

describe('6. small inconsistencies', () => {
  it('triggers --type bogus is a usage error', async () => {
    const r = await run('triggers', '--type', 'bogus');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'bogus' is invalid\. Allowed choices are audit, updates, stats, license/);
  });

  it('replists get takes the external key; items remove counts what existed', async () => {
    const key = 'cli-fixes-key';
    await client.replists.createList({ name: 'cli_fixes', type: 'ip', color: '1', externalKey: key });
    await client.replists.bulkAddItems(key, ['10.0.0.1', '10.0.0.2']);
    const byKey = await run('replists', 'get', key, '-o', 'json');
    expect(byKey.code).toBe(0);
    expect(json(byKey.stdout)).toMatchObject({ name: 'cli_fixes', external_key: key });
    const removed = await run('replists', 'items', 'remove', key, '10.0.0.1', '10.9.9.9');
    expect(removed.code).toBe(0);
    expect(removed.stderr).toMatch(/removed 1 item\(s\) from "cli-fixes-key"; 1 were not in the list/);
  });

  it('no "use LIMIT" note when the query has its LIMIT; --all with ORDER BY prints no header', async () => {
    const [limited, unlimited, ordered] = await Promise.all([
      run('bql', 'run', 'SELECT id FROM flow LIMIT 5'),
      run('bql', 'run', 'SELECT id FROM flow'),
      run('bql', 'run', '--all', 'SELECT id, end FROM flow ORDER BY end desc'),
    ]);
    expect(limited.code).toBe(0);
    expect(limited.stderr).toBe('');
    expect(unlimited.stderr).toMatch(/use LIMIT or --all for more/);
    expect(ordered.code).toBe(2);
    expect(ordered.stdout).toBe('');
    expect(ordered.stderr).toMatch(/--all cannot stream a query with ORDER BY/);
  });

  it('hunt --samples 0 gives counts only', async () => {
    const r = await run('hunt', '--samples', '0', '-o', 'json');
    expect(r.code).toBe(0);
    const rows = json<{ hits: number | null; samples: unknown[] }[]>(r.stdout);
    expect(rows.some((x) => (x.hits ?? 0) > 0)).toBe(true);
    expect(rows.every((x) => x.samples.length === 0)).toBe(true);
  });

  it('a feed line with a trailing comment is read as its indicator', async () => {
    const key = 'cli-fixes-comment';
    await client.replists.createList({ name: 'cli_comment', type: 'ip', color: '1', externalKey: key });
    const r = await cli(['replists', 'sync', key, '--from', '-', '-o', 'json'], {
      env,
      input: '1.2.3.4  # c2\n5.6.7.8\t# scanner\n',
    });
    expect(r.stderr).toBe('');
    expect(json(r.stdout)).toMatchObject({ valid: 2, invalid: 0, added: 2 });
  });

  it('a timeout after retries says how many attempts were made', async () => {
    // Headers never come: every attempt times out; GETs are retried twice by default.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const r = await cli(['--url', url, '--timeout', '0.2', 'sensors', 'list'], {
        env: { ...env, PTNAD_API_KEY: 'k'.repeat(20) },
      });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/\(3 attempts\)/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
