import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PTNADClient } from 'ptnad-client';
import { rowsToObjects } from 'ptnad-client/bql';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvValue } from '../src/output.js';
import { parseCsv } from './csv.js';
import { cli, isolatedEnv, startCliEmulator, stopCliEmulator } from './harness.js';

// Data commands, run in-process through main(), against one emulator (credentials from PTNAD_* variables).
let emu: Emulator;
let client: PTNADClient;
let env: NodeJS.ProcessEnv;
const run = (...args: string[]) => cli(args, { env });
const json = <T = Record<string, unknown>>(text: string): T => JSON.parse(text) as T;

beforeAll(async () => {
  ({ emu, client, env } = await startCliEmulator({ seed: 7, flows: 3000 }));
});
afterAll(() => stopCliEmulator({ emu, client }));

describe('bql', () => {
  const QUERY = "SELECT src.ip, dst.ip, dst.port, app_proto, flags, start FROM flow WHERE app_proto == 'http' LIMIT 25";

  it('run prints the same rows in every format; csv and jsonl read back exactly', async () => {
    const expected = rowsToObjects(QUERY, await client.bql.execute(QUERY));
    expect(expected.length).toBeGreaterThan(0);
    const [table, csv, jsonl, pretty] = await Promise.all([
      run('bql', 'run', QUERY),
      run('bql', 'run', QUERY, '--output', 'csv'),
      run('bql', 'run', QUERY, '-o', 'jsonl', '--source', '2'),
      run('bql', 'run', QUERY, '-o', 'json'),
    ]);
    for (const r of [table, csv, jsonl, pretty]) expect(r.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^src\.ip\s+dst\.ip\s+dst\.port\s+app_proto\s+flags\s+start$/);
    expect(table.stdout.trim().split('\n').length).toBe(expected.length + 1);
    const rows = parseCsv(csv.stdout);
    expect(rows[0]).toEqual(['src.ip', 'dst.ip', 'dst.port', 'app_proto', 'flags', 'start']);
    expect(rows.slice(1)).toEqual(expected.map((o) => Object.values(o).map(csvValue)));
    expect(
      jsonl.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(expected);
    expect(json(pretty.stdout)).toEqual(expected);
  });

  it('an invalid query exits 2 with a caret before anything is sent; a bare filter is refused', async () => {
    const before = emu.counters.total;
    const [bad, filter, file] = await Promise.all([
      run('bql', 'run', "SELECT src.ip FROM flow WHERE app_proto == 'http' &&"),
      run('bql', 'run', "app_proto == 'http'"),
      run('bql', 'run', '--file', '/nonexistent.bql'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/line 1, column 53\n {2}SELECT src.ip .*\n {54}\^/);
    expect(filter.code).toBe(2);
    expect(filter.stderr).toMatch(/needs a SELECT statement/);
    expect(file.code).toBe(2);
    expect(emu.counters.total).toBe(before);
  });

  it('run --all streams every matching row exactly once', async () => {
    const q = "SELECT id, end FROM flow WHERE app_proto == 'dns'";
    const { total } = await client.bql.executeRaw(`${q} LIMIT 1`);
    expect(total).toBeGreaterThan(10);
    const r = await run('bql', 'run', q, '--all', '--page-size', '7', '-o', 'jsonl');
    expect(r.code).toBe(0);
    const ids = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
  });
});

describe('hunt', () => {
  it('runs the shipped pack: per-category summary with hit counts, in English or Russian', async () => {
    const [table, asJson, ru] = await Promise.all([
      run('hunt', '--since', '7d'),
      run('hunt', '--since', '7d', '-o', 'json', '--samples', '2'),
      run('hunt', '--since', '7d', '--lang', 'ru'),
    ]);
    expect(asJson.code).toBe(0);
    const results = json<{ category: string; name: string; hits: number; samples: unknown[]; error: null }[]>(
      asJson.stdout,
    );
    expect(results.length).toBe(21);
    for (const r of results) {
      expect(r.error).toBeNull();
      expect(typeof r.hits).toBe('number');
      expect(r.samples.length).toBe(Math.min(2, r.hits));
    }
    const total = results.reduce((n, r) => n + r.hits, 0);
    expect(total).toBeGreaterThan(0);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Reputation: \d+ hit\(s\) in 2 filter\(s\)/);
    expect(table.stdout).toContain(`21 filter(s), ${total} hit(s) in total`);
    expect(ru.stdout).toMatch(/Протоколы: \d+ hit/);
  });

  it('a pack with an invalid filter reports it (exit 2) and still runs the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptnad-pack-'));
    const pack = join(dir, 'pack.json');
    writeFileSync(
      pack,
      JSON.stringify([
        { category: { en: 'Mine', ru: 'Моё' }, name: { en: 'Broken', ru: 'Сломан' }, filter: "app_proto == 'x' &&" },
        { name: 'Telnet', filter: "app_proto == 'telnet'" },
      ]),
    );
    const r = await run('hunt', '--pack', pack, '-o', 'jsonl');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/filter "Broken" failed: unexpected end of input/);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.name, l.hits === null])).toEqual([
      ['Broken', true],
      ['Telnet', false],
    ]);
  });
});

describe('replists', () => {
  it('create, sync from a feed with invalid lines, re-sync, items, update, stats, delete', async () => {
    const key = 'cli-feed-test';
    const created = await run(
      'replists',
      'create',
      '--name',
      'cli_feed',
      '--type',
      'ip',
      '--external-key',
      key,
      '-o',
      'json',
    );
    expect(created.code).toBe(0);
    const id = String(json<{ id: number }>(created.stdout).id);

    const dir = mkdtempSync(join(tmpdir(), 'ptnad-feed-'));
    const feed = join(dir, 'feed.txt');
    writeFileSync(feed, '# feed\n10.0.0.1\n\n10.0.0.2\nnot-an-ip\n10.1.0.0/16\n300.1.1.1\n  10.0.0.1  \n');
    const sync = await run('replists', 'sync', key, '--from', feed, '-o', 'json');
    expect(sync.code).toBe(0);
    expect(sync.stderr).toContain(`${feed}:5: skipped "not-an-ip"`);
    expect(sync.stderr).toContain(`${feed}:7: skipped "300.1.1.1"`);
    expect(json(sync.stdout)).toMatchObject({ lines: 6, valid: 3, invalid: 2, added: 3, removed: 0, failed: 0 });
    const items = await client.replists.getDynamicListItems(key).toArray({ max: 100 });
    expect(items.map((i) => i.value).sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.1.0.0/16']);

    const again = await cli(['replists', 'sync', key, '--from', '-', '-o', 'json'], {
      env,
      input: '10.0.0.1\n10.0.0.2\n10.1.0.0/16\n',
    });
    expect(json(again.stdout)).toMatchObject({ added: 0, removed: 0, unchanged: 3 });

    const dry = await cli(['replists', 'sync', key, '--from', '-', '--dry-run', '--max-remove', '1', '-o', 'json'], {
      env,
      input: '10.0.0.1\n10.5.5.5\n',
    });
    expect(json(dry.stdout)).toMatchObject({ dry_run: true, added: 1, removed: 2, unchanged: 1 });
    expect((await client.replists.getDynamicListItems(key).toArray({ max: 100 })).length).toBe(3);

    const [addBad, addOk, badContent] = await Promise.all([
      run('replists', 'items', 'add', key, '10.9.9.9', 'nope'),
      run('replists', 'items', 'add', key, '10.8.8.8', '10.7.7.7'),
      run('replists', 'create', '--name', 'bad_content', '--type', 'md5', '--content-file', feed),
    ]);
    expect(badContent.code).toBe(2);
    expect(badContent.stderr).toMatch(/has 6 invalid indicator\(s\) for type md5:\n {2}line 2: "10.0.0.1"/);
    expect(addBad.code).toBe(2);
    expect(addBad.stderr).toMatch(/invalid ip indicator\(s\), nothing was sent: "nope"/);
    expect(addOk.code).toBe(0);
    const remove = await run('replists', 'items', 'remove', key, '10.8.8.8');
    expect(remove.code).toBe(0);
    const [listed, search, get, update, stats] = await Promise.all([
      run('replists', 'items', 'list', key, '-o', 'json'),
      run('replists', 'list', '--search', 'cli_feed', '-o', 'json'),
      run('replists', 'get', id, '-o', 'json'),
      run('replists', 'update', id, '--description', 'from the CLI test', '-o', 'json'),
      run('replists', 'stats', '-o', 'json'),
    ]);
    expect(
      json<{ value: string }[]>(listed.stdout)
        .map((i) => i.value)
        .sort(),
    ).toEqual(['10.0.0.1', '10.0.0.2', '10.1.0.0/16', '10.7.7.7']);
    expect(json<{ name: string }[]>(search.stdout).map((l) => l.name)).toEqual(['cli_feed']);
    expect(json(get.stdout)).toMatchObject({ name: 'cli_feed', external_key: key });
    expect(json(update.stdout)).toMatchObject({ description: 'from the CLI test' });
    expect(stats.code).toBe(0);
    expect(typeof json(stats.stdout)).toBe('object');

    const del = await run('replists', 'delete', id);
    expect(del).toMatchObject({ code: 0, stdout: '' });
    const gone = await run('replists', 'get', id);
    expect(gone.code).toBe(1);
    const [noList, badId] = await Promise.all([
      run('replists', 'sync', 'no-such-key', '--from', feed),
      run('replists', 'get', '../1'),
    ]);
    expect(noList.code).toBe(2);
    expect(noList.stderr).toMatch(/no dynamic list with external key "no-such-key"/);
    expect(badId.code).toBe(2);
  });
});

describe('rules, classes and groups', () => {
  it('lists, toggles, commits and rolls back rules; lists classes', async () => {
    const [list, classes, stats] = await Promise.all([
      run('rules', 'list', '--limit', '5', '-o', 'json'),
      run('classes', 'list', '-o', 'json'),
      run('rules', 'stats', '-o', 'json'),
    ]);
    const rules = json<{ sid: number; enabled: boolean }[]>(list.stdout);
    expect(rules.length).toBe(5);
    expect(json<unknown[]>(classes.stdout).length).toBe(49);
    expect(stats.code).toBe(0);
    const sid = String(rules[0]?.sid);
    const [get, disable] = await Promise.all([
      run('rules', 'get', sid, '-o', 'json'),
      run('rules', 'disable', sid, '-o', 'json'),
    ]);
    expect(json(get.stdout)).toMatchObject({ sid: Number(sid) });
    expect(json<{ enabled: boolean }[]>(disable.stdout)[0]?.enabled).toBe(false);
    expect(disable.stderr).toMatch(/run `ptnad rules commit`/);
    const commit = await run('rules', 'commit', '-o', 'json');
    expect(commit.code).toBe(0);
    expect(json<{ hashsum: string }>(commit.stdout).hashsum).toMatch(/\S/);
    const enable = await run('rules', 'enable', sid, '-o', 'json');
    expect(json<{ enabled: boolean }[]>(enable.stdout)[0]?.enabled).toBe(true);
    const rollback = await run('rules', 'rollback');
    expect(rollback.code).toBe(0);
    expect((await client.signatures.getRule(Number(sid))).enabled).toBe(false);
    const filtered = await run('rules', 'list', '--disabled', '--limit', '1000', '-o', 'jsonl');
    expect(filtered.stdout).toContain(`"sid":${sid}`);
  });

  it('creates, reads, updates and deletes a group', async () => {
    const created = await run('groups', 'create', '--name', 'CLI_NET', '--value', '[10.10.0.0/16]', '-o', 'json');
    expect(created.code).toBe(0);
    const id = String(json<{ id: number }>(created.stdout).id);
    const [get, update, list] = await Promise.all([
      run('groups', 'get', id, '-o', 'json'),
      run('groups', 'update', id, '--comment', 'lab', '-o', 'json'),
      run('groups', 'list', '--search', 'CLI_NET', '-o', 'json'),
    ]);
    expect(json(get.stdout)).toMatchObject({ name: 'CLI_NET', value: '[10.10.0.0/16]' });
    expect(json(update.stdout)).toMatchObject({ comment: 'lab' });
    expect(json<{ name: string }[]>(list.stdout).map((g) => g.name)).toContain('CLI_NET');
    const del = await run('groups', 'delete', id);
    expect(del.code).toBe(0);
    expect(del.stderr).toMatch(/deleted group/);
    expect((await run('groups', 'update', id)).code).toBe(2);
  });

  it('a failed commit exits 1 and prints each of the server reasons once; rollback discards it', async () => {
    const created = await run('groups', 'create', '--name', 'BAD_NET', '--value', '[10.20.0.0/16, 10.300.0.1]');
    expect(created.code).toBe(0);
    const commit = await run('rules', 'commit');
    expect(commit.code).toBe(1);
    const reason = 'Variable BAD_NET: "10.300.0.1" is not an IP address or network.';
    expect(commit.stderr.split(reason).length - 1).toBe(1);
    expect((await run('rules', 'rollback')).code).toBe(0);
    expect((await run('rules', 'commit')).code).toBe(0);
  });
});

describe('inventory, flows and files', () => {
  it('sensors, sources and hosts: list and get', async () => {
    const [sensors, sources, hosts] = await Promise.all([
      run('sensors', 'list', '-o', 'json'),
      run('sources', 'list', '-o', 'json'),
      run('hosts', 'list', '--limit', '3', '-o', 'json'),
    ]);
    const sensorId = String(json<{ id: string | number }[]>(sensors.stdout)[0]?.id);
    const sourceList = json<{ id: number; is_live?: boolean }[]>(sources.stdout);
    expect(sourceList.some((s) => s.id === 2)).toBe(true);
    const hostList = json<{ id: string | number }[]>(hosts.stdout);
    expect(hostList.length).toBe(3);
    const [sensor, source, host, hostTable] = await Promise.all([
      run('sensors', 'get', sensorId, '-o', 'json'),
      run('sources', 'get', '2', '-o', 'json'),
      run('hosts', 'get', String(hostList[0]?.id), '--history-depth', '1', '-o', 'json'),
      run('hosts', 'list', '--limit', '2'),
    ]);
    expect(String(json(sensor.stdout).id)).toBe(sensorId);
    expect(json(source.stdout)).toMatchObject({ id: 2 });
    expect(String(json(host.stdout).id)).toBe(String(hostList[0]?.id));
    expect(hostTable.stdout.split('\n')[0]).toMatch(/^id\s+ip\s+hostname/);
  });

  it('flows get, flows save (never twice), files get', async () => {
    const [[flowId] = []] = await client.bql.execute('SELECT id FROM flow WHERE files LIMIT 1');
    expect(typeof flowId).toBe('string');
    const target = (await client.sources.getSources().toArray({ max: 50 })).find((s) => s.id !== 2);
    expect(target).toBeDefined();
    const stateDir = mkdtempSync(join(tmpdir(), 'ptnad-save-'));
    const outDir = mkdtempSync(join(tmpdir(), 'ptnad-files-'));
    const filter = "app_proto == 'telnet'";
    const [flow, save, files] = await Promise.all([
      run('flows', 'get', String(flowId), '-o', 'json'),
      run(
        'flows',
        'save',
        '--filter',
        filter,
        '--target',
        String(target?.id),
        '--since',
        '7d',
        '--state-dir',
        stateDir,
        '-o',
        'json',
      ),
      run('files', 'get', String(flowId), '--out', outDir, '-o', 'json'),
    ]);
    expect(json(flow.stdout)).toMatchObject({ id: flowId });
    expect(save.code).toBe(0);
    const first = json<{ found: number; submitted: number; already_saved: number }>(save.stdout);
    expect(first.found).toBeGreaterThan(0);
    expect(first.submitted).toBe(first.found);
    const again = await run(
      'flows',
      'save',
      '--filter',
      filter,
      '--target',
      String(target?.id),
      '--since',
      '7d',
      '--state-dir',
      stateDir,
      '-o',
      'json',
    );
    expect(json(again.stdout)).toMatchObject({ submitted: 0, already_saved: first.found });
    expect(files.code).toBe(0);
    const zip = json<{ path: string; bytes: number }>(files.stdout);
    expect(zip.path).toBe(join(outDir, `${flowId}.zip`));
    expect(readFileSync(zip.path).subarray(0, 2).toString()).toBe('PK');
    const [badFlow, badFilter] = await Promise.all([
      run('flows', 'get', '../../etc'),
      run('flows', 'save', '--filter', 'a ==', '--target', '3'),
    ]);
    expect(badFlow.code).toBe(2);
    expect(badFilter.code).toBe(2);
  });
});

describe('demo', () => {
  it('runs the quickstart against an in-process emulator', async () => {
    const { env: clean } = isolatedEnv();
    const r = await cli(['demo'], { env: clean });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /== Usage query: SELECT src\.ip, dst\.ip, proto FROM flow WHERE end > \d{4}\.\d\d\.\d\d LIMIT 10\nsrc\.ip/,
    );
    expect(r.stdout.match(/== Hunt: /g)?.length).toBe(3);
    expect(r.stdout).toMatch(/== Monitoring status: (green|yellow|red|unknown)/);
  });
});
