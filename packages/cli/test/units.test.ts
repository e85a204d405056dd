import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthenticationError,
  BqlSyntaxError,
  ConnectionError,
  PermissionDeniedError,
  TimeoutError,
  ValidationError,
} from 'ptnad-client';
import { parseFilter } from 'ptnad-client/bql';
import { describe, expect, it } from 'vitest';
import { argsAfterCommand } from '../src/commands/emulator.js';
import { DEFAULT_PACK } from '../src/commands/hunt.js';
import { configDir, loadConfig, loadSecrets, saveConfig, saveSecrets } from '../src/config.js';
import { resolveConnection } from '../src/connection.js';
import { parseDuration } from '../src/duration.js';
import { describeError, reportError, UsageError } from '../src/errors.js';
import { indicatorError, parseFeed } from '../src/indicators.js';
import { csvCell, csvLine, fitWidths, RecordWriter, renderTable, safeCell } from '../src/output.js';
import { parsePack, pick } from '../src/pack.js';
import { parseCsv } from './csv.js';

function sink(isTTY = false, columns?: number) {
  let text = '';
  return {
    target: {
      write: (t: string) => {
        text += t;
      },
      isTTY,
      columns,
      color: false,
    },
    get text() {
      return text;
    },
  };
}

describe('output', () => {
  it('csv quotes per RFC 4180 and a standard parser reads every value back', () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' lead', 'crlf\r\nx', '', 'юникод'];
    const s = sink();
    const w = new RecordWriter(s.target, 'csv', { columns: ['v', 'n'] });
    for (const v of values) w.write({ v, n: { nested: [1, 'x,y'] } });
    w.end();
    const rows = parseCsv(s.text);
    expect(rows[0]).toEqual(['v', 'n']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(values);
    expect(JSON.parse(rows[1]?.[1] ?? '')).toEqual({ nested: [1, 'x,y'] });
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
    const empty = sink();
    new RecordWriter(empty.target, 'csv', { columns: ['x', 'y'] }).end();
    expect(empty.text).toBe('x,y\r\n');
  });

  it('json is a pretty array, jsonl one object per line, and both are empty-safe', () => {
    const recs = [{ a: 1, b: [1, 2] }, { a: null }];
    for (const format of ['json', 'jsonl'] as const) {
      const s = sink();
      const w = new RecordWriter(s.target, format);
      for (const r of recs) w.write(r);
      w.end();
      const parsed =
        format === 'json'
          ? JSON.parse(s.text)
          : s.text
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l));
      expect(parsed).toEqual(recs);
    }
    const empty = sink();
    new RecordWriter(empty.target, 'json').end();
    expect(JSON.parse(empty.text)).toEqual([]);
  });

  it('tables align, truncate only on a terminal, and neutralise control characters', () => {
    const rows = [['1', 'x'.repeat(200)]];
    const piped = renderTable(['id', 'text'], rows, { isTTY: false, columns: 40, color: false });
    expect(piped.text).toContain('x'.repeat(200));
    const tty = renderTable(['id', 'text'], rows, { isTTY: true, columns: 40, color: false });
    for (const line of tty.text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(40);
    expect(tty.text).toContain('…');
    expect(safeCell('a\u001b[31mred\nb')).toBe('a\\x1b[31mred\\nb');
    expect(fitWidths([10, 50, 50], 60)).toEqual([10, 23, 23]);
    expect(fitWidths([3, 4], 80)).toEqual([3, 4]);
  });
});

describe('config and connection', () => {
  it('writes secrets with mode 0600, fixes a loose mode with a warning, and keeps secrets out of config.json', () => {
    const home = mkdtempSync(join(tmpdir(), 'ptnad-cfg-'));
    const dir = configDir({ XDG_CONFIG_HOME: join(home, 'xdg') });
    expect(dir).toBe(join(home, 'xdg', 'ptnad'));
    expect(configDir({ HOME: home })).toBe(join(home, '.config', 'ptnad'));
    saveConfig(dir, { current: 'lab', profiles: { lab: { url: 'https://nad.lab', username: 'u' } } });
    saveSecrets(dir, { profiles: { lab: { password: 'S3cret-pw' } } });
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain('S3cret-pw');
    chmodSync(join(dir, 'secrets.json'), 0o644);
    const warnings: string[] = [];
    const conn = resolveConnection({}, {}, dir, (m) => warnings.push(m));
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(warnings.join()).toMatch(/0600/);
    expect(conn).toMatchObject({ profile: 'lab', url: 'https://nad.lab', auth: { type: 'local', username: 'u' } });
    expect(conn.secrets).toEqual(['S3cret-pw']);
    expect(loadConfig(dir).current).toBe('lab');
    expect(loadSecrets(dir, () => undefined).profiles.lab?.password).toBe('S3cret-pw');
  });

  it('flags beat the environment, which beats the profile; the API key decides the auth mode', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ptnad-cfg-')), 'ptnad');
    saveConfig(dir, { current: 'p', profiles: { p: { url: 'https://profile', username: 'pu' } } });
    saveSecrets(dir, { profiles: { p: { password: 'pp' } } });
    const env = { PTNAD_URL: 'https://env', PTNAD_API_KEY: 'key-123' };
    const c = resolveConnection({ url: 'https://flag', timeout: 2.5 }, env, dir, () => undefined);
    expect(c).toMatchObject({ url: 'https://flag', timeoutMs: 2500, auth: { type: 'apikey', apikey: 'key-123' } });
    expect(() => resolveConnection({ profile: 'nope' }, {}, dir, () => undefined)).toThrow(/no profile named "nope"/);
    expect(() => resolveConnection({}, { PTNAD_URL: 'https://x' }, join(dir, 'none'), () => undefined)).toThrow(
      /no username/,
    );
    expect(() => resolveConnection({ profile: '../x' }, {}, dir, () => undefined)).toThrow(/invalid profile name/);
  });

  it('a username and password in the environment keep a stored SSO profile an SSO login', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ptnad-cfg-')), 'ptnad');
    const sso = {
      url: 'https://nad',
      auth: 'sso' as const,
      ssoUrl: 'https://iam:3334',
      clientId: 'ptnad',
      username: 'su',
    };
    saveConfig(dir, { current: 's', profiles: { s: sso, l: { url: 'https://nad', username: 'lu' } } });
    saveSecrets(dir, { profiles: { s: { password: 'sp', clientSecret: 'cs' }, l: { password: 'lp' } } });
    const env = { PTNAD_USERNAME: 'env-user', PTNAD_PASSWORD: 'env-pw' };
    expect(resolveConnection({}, env, dir, () => undefined).auth).toEqual({
      type: 'sso',
      ssoUrl: 'https://iam:3334',
      clientId: 'ptnad',
      clientSecret: 'cs',
      username: 'env-user',
      password: 'env-pw',
    });
    // A local profile stays local; an API key in the environment still chooses API-key auth.
    expect(resolveConnection({ profile: 'l' }, env, dir, () => undefined).auth).toEqual({
      type: 'local',
      username: 'env-user',
      password: 'env-pw',
    });
    expect(resolveConnection({}, { ...env, PTNAD_API_KEY: 'k' }, dir, () => undefined).auth).toEqual({
      type: 'apikey',
      apikey: 'k',
    });
  });
});

describe('errors', () => {
  const init = { status: 401, method: 'GET', url: 'https://nad/api/v2/x', body: {} };
  it('maps every error class to its exit code with a hint', () => {
    expect(describeError(new AuthenticationError('bad login', init)).exitCode).toBe(3);
    expect(describeError(new PermissionDeniedError('no', { ...init, status: 403 })).exitCode).toBe(3);
    const tls = describeError(new ConnectionError('self-signed certificate', { tls: true }));
    expect(tls.exitCode).toBe(4);
    expect(tls.hint).toMatch(/--ca FILE.*--insecure/);
    expect(describeError(new TimeoutError('slow')).exitCode).toBe(4);
    expect(describeError(new ValidationError('bad')).exitCode).toBe(2);
    expect(describeError(new UsageError('bad')).exitCode).toBe(2);
    let syntax: unknown;
    try {
      parseFilter('a == ');
    } catch (err) {
      syntax = err;
    }
    expect(syntax).toBeInstanceOf(BqlSyntaxError);
    expect(describeError(syntax).exitCode).toBe(2);
    expect(describeError(new Error('boom'))).toMatchObject({ exitCode: 1, message: 'internal error: boom' });
  });

  it("maps the SDK's stable code, whatever the class, and prints a failed task's reason", () => {
    class SdkLike extends Error {
      constructor(
        message: string,
        readonly code: string,
        readonly extra: Record<string, unknown> = {},
      ) {
        super(message);
        Object.assign(this, extra);
      }
    }
    const cases: Array<[string, number]> = [
      ['authentication', 3],
      ['permission_denied', 3],
      ['connection', 4],
      ['timeout', 4],
      ['aborted', 130],
      ['bql_syntax', 2],
      ['bql_query', 2],
      ['validation', 2],
      ['sync_guard', 2],
      ['not_found', 1],
      ['server_error', 1],
      ['unexpected_response', 1],
      ['response_too_large', 1],
    ];
    for (const [code, exit] of cases) expect(describeError(new SdkLike('x', code)).exitCode, code).toBe(exit);
    const task = describeError(
      new SdkLike('Task t1 ended in FAILURE', 'task_failed', { result: { error: 'Target storage 9 does not exist.' } }),
    );
    expect(task).toMatchObject({ exitCode: 1, message: 'Task t1 ended in FAILURE: Target storage 9 does not exist.' });
    // A code that is not the SDK's (ConnectionError's old ECONNREFUSED, fs errors) is not mistaken for one.
    expect(describeError(new SdkLike('x', 'ECONNREFUSED')).message).toBe('internal error: x');
  });

  it('neutralises CSV formulas unless raw, and escapes bidi controls in table cells', () => {
    expect(['=1+1', '+1', '-1', '@x', '\tx', '\rx', 'ok', '-'].map((v) => csvCell(v))).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@x",
      "'\tx",
      "'\rx",
      'ok',
      "'-",
    ]);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('=1+1', true)).toBe('=1+1');
    expect(safeCell('a\u202eb\u2066c\u200fd')).toBe('a\\u202eb\\u2066c\\u200fd');
  });

  it('prints one line and a hint, the stack only with --debug, and never a known secret', () => {
    let out = '';
    const write = (t: string) => {
      out += t;
    };
    reportError(new Error('login failed for pw Hunter2!'), { write, debug: false, secrets: ['Hunter2!'] });
    expect(out).not.toContain('Hunter2!');
    expect(out).not.toMatch(/\n\s+at /);
    out = '';
    reportError(new Error('x'), { write, debug: true, secrets: [] });
    expect(out).toMatch(/\n\s+at /);
  });
});

describe('feeds, durations and packs', () => {
  it('checks indicators by list type and keeps line numbers', () => {
    expect(indicatorError('ip', '10.0.0.1')).toBeNull();
    expect(indicatorError('ip', '10.0.0.0/8')).toBeNull();
    expect(indicatorError('ip', '2001:db8::/32')).toBeNull();
    expect(indicatorError('ip', '10.0.0.0/33')).not.toBeNull();
    expect(indicatorError('ip', '300.1.1.1')).not.toBeNull();
    expect(indicatorError('dn', '*.evil.example')).toBeNull();
    expect(indicatorError('dn', 'bad domain')).not.toBeNull();
    expect(indicatorError('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toBeNull();
    expect(indicatorError('md5', 'd41d8')).not.toBeNull();
    expect(indicatorError('uri', 'http://x/a?b#c')).toBeNull();
    expect(indicatorError('uri', 'http://x/ a')).not.toBeNull();
    const feed = parseFeed('# header\n\n1.1.1.1\r\n  2.2.2.2  \nnope\n', 'ip');
    expect(feed).toEqual([
      { line: 3, value: '1.1.1.1', error: null },
      { line: 4, value: '2.2.2.2', error: null },
      { line: 5, value: 'nope', error: 'not an IP address or CIDR network' },
    ]);
  });

  it('forwards exactly the arguments after the emulator command word', () => {
    expect(argsAfterCommand(['--profile', 'emulator', 'emulator', '--port', '0', '--tls'], 'emulator')).toEqual([
      '--port',
      '0',
      '--tls',
    ]);
    expect(argsAfterCommand(['emulator', '--help'], 'emulator')).toEqual(['--help']);
  });

  it('parses durations and rejects nonsense with the flag name', () => {
    expect(parseDuration('5h', '--since')).toBe(5 * 3_600_000);
    expect(parseDuration('3d', '--since')).toBe(3 * 86_400_000);
    expect(() => parseDuration('3 days', '--since')).toThrow(/--since must be a duration/);
    expect(() => parseDuration('0h', '--since')).toThrow(UsageError);
  });

  it('ships a pack in the filters.json format whose every filter parses', () => {
    const pack = parsePack(readFileSync(DEFAULT_PACK, 'utf8'), 'public-examples.json');
    expect(pack.length).toBeGreaterThanOrEqual(20);
    expect(new Set(pack.map((p) => p.category?.en)).size).toBeGreaterThanOrEqual(5);
    for (const p of pack) {
      expect(p.category?.en && p.category.ru && p.name.en && p.name.ru).toBeTruthy();
      expect(() => parseFilter(p.filter)).not.toThrow();
    }
    expect(pick({ en: 'A' }, 'ru')).toBe('A');
    expect(() => parsePack('{}', 'f.json')).toThrow(/JSON array/);
    expect(() => parsePack('[{"name": "x"}]', 'f.json')).toThrow(/entry 1: "filter"/);
    expect(() => parsePack('[{"name": 3, "filter": "a"}]', 'f.json')).toThrow(/entry 1: "name"/);
  });
});
