import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Runner } from '../src/action.js';
import { NOUNS } from '../src/commands/index.js';
import { assertBuilt, cli, isolatedEnv, ptnad } from './harness.js';

// Commands that talk to no server: help, version, usage errors, offline BQL checks.
describe('ptnad binary, offline', () => {
  const { env } = isolatedEnv();
  const run = (...args: string[]) => cli(args, { env });
  beforeAll(assertBuilt);

  it('--help lists the commands and the exit codes; --version; no command is a usage error', async () => {
    // The binary itself: its exit codes are the process's.
    const bin = (...args: string[]) => ptnad(args, { env });
    const [help, version, none, unknown] = await Promise.all([
      bin('--help'),
      bin('--version'),
      bin(),
      bin('frobnicate'),
    ]);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const cmd of ['login', 'status', 'bql', 'hunt', 'replists', 'rules', 'groups', 'flows', 'emulator', 'demo']) {
      expect(help.stdout).toMatch(new RegExp(`\\n  ${cmd}\\b`));
    }
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*130\s+interrupted[\s\S]*0 green, 1 yellow, 2 red, 3 unknown/);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^Usage: ptnad/);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('each noun module declares exactly the top-level commands its registration line names', async () => {
    const runner = { env, argv: [] } as unknown as Runner;
    const seen: string[] = [];
    for (const noun of NOUNS) {
      const program = new Command();
      (await noun.load()).register(program, runner);
      expect(program.commands.map((c) => c.name())).toEqual(Object.keys(noun.summary));
      seen.push(...Object.keys(noun.summary));
    }
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('every command has --help', async () => {
    const commands = [
      ['login'],
      ['logout'],
      ['profiles', 'list'],
      ['profiles', 'use'],
      ['profiles', 'remove'],
      ['status'],
      ['triggers'],
      ['bql', 'run'],
      ['bql', 'check'],
      ['bql', 'fmt'],
      ['hunt'],
      ['replists', 'list'],
      ['replists', 'get'],
      ['replists', 'create'],
      ['replists', 'update'],
      ['replists', 'delete'],
      ['replists', 'stats'],
      ['replists', 'items', 'list'],
      ['replists', 'items', 'add'],
      ['replists', 'items', 'remove'],
      ['replists', 'sync'],
      ['rules', 'list'],
      ['rules', 'get'],
      ['rules', 'enable'],
      ['rules', 'disable'],
      ['rules', 'stats'],
      ['rules', 'commit'],
      ['rules', 'rollback'],
      ['classes', 'list'],
      ['groups', 'list'],
      ['groups', 'get'],
      ['groups', 'create'],
      ['groups', 'update'],
      ['groups', 'delete'],
      ['sensors', 'list'],
      ['sensors', 'get'],
      ['sources', 'list'],
      ['sources', 'get'],
      ['hosts', 'list'],
      ['hosts', 'get'],
      ['flows', 'get'],
      ['flows', 'save'],
      ['files', 'get'],
      ['demo'],
    ];
    for (let i = 0; i < commands.length; i += 8) {
      const batch = commands.slice(i, i + 8);
      const results = await Promise.all(batch.map((c) => run(...c, '--help')));
      results.forEach((r, k) => {
        const name = (batch[k] ?? []).join(' ');
        expect(r.code, name).toBe(0);
        expect(r.stdout, name).toMatch(new RegExp(`^Usage: ptnad ${name}`));
      });
    }
  });

  it('runs the same where Node may not require() ES modules', async () => {
    // The launcher, the CLI bundle and the SDK it loads are CommonJS; only ptnad-emulator is an ES module package
    // (loaded with import()). Nothing may depend on require() of ES modules.
    const offEnv = { ...env, NODE_OPTIONS: '--no-experimental-require-module' };
    const [help, fmt] = await Promise.all([
      ptnad(['--help'], { env: offEnv }),
      ptnad(['bql', 'fmt', 'select src.ip from flow where dst.port==443'], { env: offEnv }),
    ]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: ptnad /);
    expect(fmt).toMatchObject({ code: 0, stderr: '', stdout: 'SELECT src.ip FROM flow WHERE dst.port == 443\n' });
  });

  it('bql check reports errors with a caret (exit 2) and warnings with a suggestion (exit 0); fmt is canonical', async () => {
    const [bad, typo, fmt, json, stdin] = await Promise.all([
      run('bql', 'check', "SELECT src.ip FROM flow WHERE (app_proto == 'http'"),
      run('bql', 'check', 'dst.prot == 80'),
      run('bql', 'fmt', "select src.ip,dst.ip from flow where app_proto=='http'&&dst.port!=80 limit 5"),
      run('bql', 'check', '-o', 'json', "dst.port == 'abc'"),
      cli(['bql', 'fmt', '--pretty'], { env, input: 'SELECT id FROM flow WHERE files LIMIT 1' }),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/line 1, column 51\n.*\n\s{52}\^/);
    expect(typo.code).toBe(0);
    expect(typo.stdout).toMatch(/warning: unknown field 'dst.prot'[\s\S]*\^{8}[\s\S]*did you mean "dst.port"/);
    expect(fmt).toMatchObject({
      code: 0,
      stdout: 'SELECT src.ip, dst.ip FROM flow WHERE app_proto == "http" AND dst.port != 80 LIMIT 5\n',
    });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ severity: 'error', line: 1, column: 13, code: 'type-mismatch' }),
    ]);
    expect(stdin.code).toBe(0);
    expect(stdin.stdout.trim().split('\n').length).toBeGreaterThan(1);
  });

  it('usage errors exit 2 with a clear message: bad option value, missing URL, bad pack', async () => {
    const [badOutput, noUrl, badTimeout, noPack] = await Promise.all([
      run('--output', 'xml', 'status'),
      run('replists', 'list'),
      run('--timeout', 'soon', 'status'),
      run('hunt', '--pack', '/nonexistent/pack.json', '--url', 'http://127.0.0.1:9'),
    ]);
    expect(badOutput.code).toBe(2);
    expect(badOutput.stderr).toMatch(/'xml' is invalid. Allowed choices are table, json, jsonl, csv/);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/no PT NAD URL\nhint: pass --url/);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toMatch(/positive number of seconds/);
    expect(noPack.code).toBe(2);
    expect(noPack.stderr).toMatch(/cannot read pack \/nonexistent\/pack.json: no such file/);
  });
});
