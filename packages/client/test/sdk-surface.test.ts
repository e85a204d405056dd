/**
 * The SDK's public surface (issues 11 and 12): methods whose types tell the truth (sync throws, async rejects),
 * a stable `code` on every error, one BQL error family with positions, task errors with the server's reason,
 * the Python parity gaps (`put`, `storage.getFlows`, `setAuth` without a type), and response types that name
 * their fields (checked at the type level: `tsc -p tsconfig.test.json` fails if they regress).
 */
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  AbortError,
  APIError,
  AuthenticationError,
  BadRequestError,
  BqlError,
  BqlQueryError,
  BqlSyntaxError,
  CommitError,
  ConflictError,
  ConnectionError,
  type Diagnostic,
  type ErrorCode,
  extraField,
  InternalServerError,
  type MonitoringStatus,
  NotFoundError,
  PermissionDeniedError,
  PTNADClient,
  PTNADError,
  RateLimitError,
  ResponseTooLargeError,
  type SignatureRule,
  SyncGuardError,
  TaskFailedError,
  TimeoutError,
  type Trigger,
  UnexpectedResponseError,
  UnprocessableEntityError,
  ValidationError,
} from '../src/index.js';
import { account, adminClient, emulator, NOW } from './helpers/emulator.js';
import { fakeFetch, json } from './helpers/fake-fetch.js';

const BASE = 'https://nad.test';
const http = { status: 400, method: 'GET', url: `${BASE}/api/v2/x`, body: undefined };

describe('every SDK error carries a stable code', () => {
  it('each class has the code of the shared contract', () => {
    const cases: Array<[PTNADError, ErrorCode]> = [
      [new BadRequestError('m', http), 'bad_request'],
      [new AuthenticationError('m', { ...http, status: 400 }), 'authentication'],
      [new PermissionDeniedError('m', { ...http, status: 403 }), 'permission_denied'],
      [new NotFoundError('m', { ...http, status: 404 }), 'not_found'],
      [new ConflictError('m', { ...http, status: 409 }), 'conflict'],
      [new UnprocessableEntityError('m', { ...http, status: 422 }), 'unprocessable_entity'],
      [new RateLimitError('m', { ...http, status: 429 }), 'rate_limit'],
      [new InternalServerError('m', { ...http, status: 503 }), 'server_error'],
      [new APIError('m', { ...http, status: 418 }), 'api_error'],
      [new APIError('m', { ...http, status: 404 }), 'not_found'],
      [new ConnectionError('m', { systemCode: 'ECONNREFUSED' }), 'connection'],
      [new TimeoutError('m'), 'timeout'],
      [new AbortError('m'), 'aborted'],
      [new ValidationError('m'), 'validation'],
      [new UnexpectedResponseError('m'), 'unexpected_response'],
      [new ResponseTooLargeError('m', { limitBytes: 10 }), 'response_too_large'],
      [new BqlSyntaxError('r', { offset: 0, line: 1, column: 1, snippet: '' }), 'bql_syntax'],
      [new BqlQueryError('m', http), 'bql_query'],
      [new CommitError('m', { ...http, fatalError: null, otherErrors: [] }), 'commit_failed'],
      [new TaskFailedError('m', { taskId: 't', state: 'FAILURE', result: null }), 'task_failed'],
      [
        new SyncGuardError('m', { wouldRemove: 1, current: 1, wanted: 0, maxRemoveRatio: 0.5, examples: [] }),
        'sync_guard',
      ],
    ];
    for (const [err, code] of cases) {
      expect(err.code, err.name).toBe(code);
      expect(err).toBeInstanceOf(PTNADError);
    }
    expect(new ConnectionError('m', { systemCode: 'ECONNRESET' }).systemCode).toBe('ECONNRESET');
  });
});

describe('resource methods whose types tell the truth', () => {
  const client = () =>
    new PTNADClient(BASE, { fetch: fakeFetch(() => json({ detail: 'no' }, 404)).fetch, maxRetries: 0 });

  it('a synchronous method throws: bql.validate(42) throws a ValidationError, it does not return a promise', () => {
    const c = client();
    expect(() => c.bql.validate(42 as never)).toThrow(ValidationError);
    expectTypeOf(c.bql.validate).returns.toEqualTypeOf<Diagnostic[]>();
  });

  it('a method that returns a promise rejects with the argument error and never throws', async () => {
    const c = client();
    const calls: Array<[string, () => PromiseLike<unknown> | AsyncIterator<unknown>]> = [
      ['replists.getList', () => c.replists.getList('stats')],
      ['replists.createList', () => c.replists.createList({ name: 'bad name', type: 'ip', color: '1' })],
      ['replists.updateList', () => c.replists.updateList(1, {})],
      ['replists.getDynamicListItems', () => c.replists.getDynamicListItems('')],
      ['replists.addDynamicListItem', () => c.replists.addDynamicListItem('k', '_bulk')],
      ['bql.execute', () => c.bql.execute(42 as never)],
      ['bql.executeRaw', () => c.bql.executeRaw(null as never)],
      ['bql.stream', () => c.bql.stream(42 as never).next()],
      ['filters.compile', () => c.filters.compile('  ')],
      ['flows.get', () => c.flows.get('f', { start: 'June 1, 2025' })],
      ['files.extract', () => c.files.extract({ flowId: [], start: 0, end: 1 })],
      ['variables.createGroup', () => c.variables.createGroup({ name: '' })],
      ['variables.getGroup', () => c.variables.getGroup('x')],
      ['signatures.getRule', () => c.signatures.getRule('..')],
      ['sources.getSource', () => c.sources.getSource(-1)],
      ['hosts.getHost', () => c.hosts.getHost('')],
      ['tasks.get', () => c.tasks.get('..')],
      ['storage.getFlows', () => c.storage.getFlows({ start: 'soon', end: 0 })],
    ];
    for (const [name, call] of calls) {
      let result: PromiseLike<unknown> | AsyncIterator<unknown> | undefined;
      expect(() => {
        result = call();
      }, name).not.toThrow();
      const settled = await Promise.resolve(result as PromiseLike<unknown>).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(settled, name).toBeInstanceOf(ValidationError);
    }
  });
});

describe('response types that say more', () => {
  it('known values stay visible in the status types, typos in known response types do not compile', () => {
    // `HealthStatus | string` collapsed to `string`; `OrString<HealthStatus>` does not.
    expectTypeOf<MonitoringStatus['status']>().not.toEqualTypeOf<string>();
    expectTypeOf<'green'>().toMatchTypeOf<MonitoringStatus['status']>();
    expectTypeOf<'sensor-only-value'>().toMatchTypeOf<Trigger['status']>();
    const rule = { sid: 1, msg: 'x', custom: 7 } as SignatureRule;
    // @ts-expect-error: SignatureRule has no index signature, so a typo is a compile error.
    expect(rule.nonexistent).toBeUndefined();
    expectTypeOf(rule.sid).toEqualTypeOf<number>();
    expectTypeOf(extraField(rule, 'custom')).toEqualTypeOf<unknown>();
    expect(extraField(rule, 'custom')).toBe(7);
    expect(extraField(rule, 'toString')).toBeUndefined();
  });
});

describe('tasks', () => {
  it("a failed task's error carries the server's result.error", async () => {
    const fake = fakeFetch(() =>
      json({ id: 't-1', state: 'FAILURE', result: { error: 'Target storage 999 does not exist.' } }),
    );
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    const err = await c.tasks.wait('t-1', { pollMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskFailedError);
    expect((err as TaskFailedError).message).toBe('Task t-1 ended in FAILURE: Target storage 999 does not exist.');
    expect((err as TaskFailedError).code).toBe('task_failed');
  });
});

describe('parity with the Python client', () => {
  it('client.put() sends a PUT with a JSON body', async () => {
    const fake = fakeFetch(() => json({ ok: true }));
    const c = new PTNADClient(BASE, { fetch: fake.fetch });
    expect(await c.put('replists/7', { name: 'x' })).toEqual({ ok: true });
    expect(fake.requests[0]?.method).toBe('PUT');
    expect(fake.requests[0]?.url.pathname).toBe('/api/v2/replists/7');
    expect(fake.requests[0]?.body).toBe('{"name":"x"}');
  });

  describe('against the emulator', () => {
    let emu: Emulator;
    beforeAll(async () => {
      emu = await emulator();
    });
    afterAll(async () => {
      await emu.close();
    });

    it('setAuth({ username, password }) and the auth option without a type log in as a local account', async () => {
      const admin = account(emu, 'admin');
      const c = new PTNADClient(emu.url, emu.caPem ? { ca: emu.caPem } : {});
      c.setAuth({ username: admin.username, password: admin.password });
      await c.login();
      expect(c.isLoggedIn).toBe(true);
      await c.close();
      // The constructor's `auth` takes the same form (a type error before: `type` was required there).
      const viaOptions = new PTNADClient(emu.url, {
        ...(emu.caPem ? { ca: emu.caPem } : {}),
        auth: { username: admin.username, password: admin.password },
      });
      await viaOptions.login();
      expect(viaOptions.isLoggedIn).toBe(true);
      await viaOptions.close();
    });

    it('storage.getFlows(timeRange, storageIdx, filter?) returns the flows of the window as { id, start, end }', async () => {
      const c = adminClient(emu);
      const end = Date.parse(NOW);
      const range = { start: end - 24 * 3_600_000, end };
      const flows = await c.storage.getFlows(range, 2, 'dst.port == 53');
      const expected = await c.bql.execute(
        `SELECT id FROM flow WHERE end >= ${range.start} AND end <= ${range.end} AND (dst.port == 53) LIMIT 10000`,
      );
      expect(flows.length).toBeGreaterThan(0);
      expect(flows.map((f) => f.id).sort()).toEqual(expected.map((r) => String(r[0])).sort());
      for (const f of flows) expect(f.start).toBeDefined();
      const unfiltered = await c.storage.getFlows({ start: '2025-05-31T00:00:00', end: NOW });
      expect(unfiltered.length).toBeGreaterThan(flows.length);
      await c.close();
    });
  });
});

describe('one BQL error family', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await emulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('a local syntax error and a server rejection are both a BqlError, with line and column', async () => {
    const c = adminClient(emu);
    const local = await c.bql.query('SELECT src.ip FROM flow WHERE (').catch((e: unknown) => e);
    const server = await c.bql.execute('SELECT src.ip\nFROM flow WHERE dst.port == ').catch((e: unknown) => e);
    for (const err of [local, server]) {
      expect(err).toBeInstanceOf(BqlError);
      expect((err as BqlError).line).toBeTypeOf('number');
      expect((err as BqlError).column).toBeTypeOf('number');
    }
    expect(local).toBeInstanceOf(BqlSyntaxError);
    expect(server).toBeInstanceOf(BqlQueryError);
    const q = server as BqlQueryError;
    expect(q.code).toBe('bql_query');
    expect(q.status).toBe(200); // the emulator answers a BQL error as 200 {"error"} by default (bqlErrorStatus)
    expect(q.line).toBe(2);
    // The server's caret snippet keeps its line breaks (the message used to be flattened to one line).
    expect(q.message).toMatch(/column \d+\n.*\n\s*\^/);
    await c.close();
  });
});
