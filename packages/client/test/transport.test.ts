import { describe, expect, it } from 'vitest';
import {
  AbortError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  PTNADClient,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
  ValidationError,
} from '../src/index.js';
import { fakeFetch, json, memoryLogger, networkError, never } from './helpers/fake-fetch.js';

const BASE = 'https://nad.test';

function client(handler: Parameters<typeof fakeFetch>[0], extra: ConstructorParameters<typeof PTNADClient>[1] = {}) {
  const fake = fakeFetch(handler);
  const log = memoryLogger();
  const c = new PTNADClient(BASE, { fetch: fake.fetch, logger: log.logger, logLevel: 'debug', ...extra });
  return { c, fake, log };
}

describe('base URL and headers', () => {
  it.each([
    ['https://nad.test', 'https://nad.test/api/v2/'],
    ['https://nad.test/', 'https://nad.test/api/v2/'],
    ['https://nad.test/api/v2', 'https://nad.test/api/v2/'],
    ['https://nad.test/api/v2/', 'https://nad.test/api/v2/'],
    ['https://nad.test:8443/nad/', 'https://nad.test:8443/nad/api/v2/'],
    ['HTTPS://NAD.Test:443/api/v2?x=1#top', 'https://nad.test/api/v2/'],
    ['http://[::1]:8080', 'http://[::1]:8080/api/v2/'],
  ])('%s -> %s', (input, expected) => {
    expect(new PTNADClient(input).baseUrl).toBe(expected);
  });

  it('rejects malformed base URLs and options with a message that says what was wrong', () => {
    expect(() => new PTNADClient('nad.test')).toThrow(/absolute http\(s\) URL/);
    expect(() => new PTNADClient('ftp://nad.test')).toThrow(/https:\/\//);
    expect(() => new PTNADClient('https://u:p@nad.test')).toThrow(/credentials/);
    expect(() => new PTNADClient(BASE, { timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => new PTNADClient(BASE, { maxRetries: Number.NaN })).toThrow(ValidationError);
  });

  it('sends an honest User-Agent with the caller suffix and JSON accept', async () => {
    const { c, fake } = client(() => json({ status: 'green', problems: [] }), { userAgent: 'hunt-bot/1.0' });
    await c.monitoring.getStatus();
    const ua = fake.requests[0]?.headers.get('user-agent') ?? '';
    expect(ua).toMatch(/^ptnad-client\/\d+\.\d+\.\d+ node\/\d+\.\d+\.\d+ hunt-bot\/1\.0$/);
    expect(fake.requests[0]?.url.toString()).toBe('https://nad.test/api/v2/monitoring/status');
  });
});

describe('retry policy', () => {
  it('retries a GET after 503 and waits what Retry-After says', async () => {
    const { c, fake, log } = client((_req, i) =>
      i === 0 ? json({ detail: 'busy' }, 503, { 'retry-after': '1' }) : json({ status: 'green', problems: [] }),
    );
    const status = await c.monitoring.getStatus();
    expect(status.status).toBe('green');
    expect(fake.requests).toHaveLength(2);
    expect(log.lines.some((l) => /-> 503; retry 1 in 1000 ms \(Retry-After\)/.test(l))).toBe(true);
  });

  it('gives up after maxRetries and reports the last status', async () => {
    const { c, fake } = client(() => json({ detail: 'down for maintenance' }, 503, { 'retry-after': '0' }), {
      maxRetries: 3,
    });
    const err = await c.sources.getSource(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as APIError).message).toBe('Failed to get source 1: 503 Service Unavailable: down for maintenance');
    expect(fake.requests).toHaveLength(4);
  });

  it('does not wait for a Retry-After longer than a minute', async () => {
    const { c, fake } = client(() => json({}, 429, { 'retry-after': '3600' }));
    await expect(c.sources.getSource(1)).rejects.toBeInstanceOf(RateLimitError);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries the read-only BQL POST', async () => {
    const { c, fake } = client((_r, i) =>
      i < 2 ? json({}, 502, { 'retry-after': '0' }) : json({ result: [['10.0.0.1']], took: 1, total: 1 }),
    );
    expect(await c.bql.execute('SELECT src.ip FROM flow LIMIT 1')).toEqual([['10.0.0.1']]);
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
  });

  it('never retries a state-changing POST that reached the server', async () => {
    const { c, fake } = client(() => json({ detail: 'upstream' }, 503, { 'retry-after': '0' }));
    await expect(c.replists.createList({ name: 'feed', type: 'ip', color: '1' })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('never retries a POST whose connection was reset (it may have reached the server)', async () => {
    const { c, fake } = client(() => {
      throw networkError('ECONNRESET', 'socket hang up');
    });
    const err = await c.replists.deleteList(5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).systemCode).toBe('ECONNRESET');
    expect((err as ConnectionError).code).toBe('connection');
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a POST when the connection was refused (nothing was sent)', async () => {
    const { c, fake } = client((_r, i) => {
      if (i === 0) throw networkError('ECONNREFUSED');
      return json({ id: 1, name: 'feed', type: 'ip', color: '1' }, 201);
    });
    const list = await c.replists.createList({ name: 'feed', type: 'ip', color: 1 });
    expect(list.id).toBe(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a GET after a connection reset', async () => {
    const { c, fake } = client((_r, i) => {
      if (i === 0) throw networkError('ECONNRESET');
      return json({ results: [] });
    });
    expect(await c.sensors.getSensors()).toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('timeouts and cancellation', () => {
  it('a timeout is a TimeoutError and names the limit', async () => {
    const { c } = client(() => never(), { maxRetries: 0 });
    const err = await c.monitoring.getStatus({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(/within 50 ms/);
  });

  it('a GET that times out is retried, then fails with TimeoutError', async () => {
    const { c, fake } = client(() => never(), { maxRetries: 1 });
    await expect(c.monitoring.getStatus({ timeoutMs: 30 })).rejects.toBeInstanceOf(TimeoutError);
    expect(fake.requests).toHaveLength(2);
  });

  it("the caller's abort is an AbortError and is never retried", async () => {
    const { c, fake } = client(() => never(), { maxRetries: 5 });
    const ac = new AbortController();
    const pending = c.monitoring.getStatus({ signal: ac.signal }).catch((e: unknown) => e);
    await Promise.resolve();
    ac.abort();
    const err = await pending;
    expect(err).toBeInstanceOf(AbortError);
    expect(err).not.toBeInstanceOf(TimeoutError);
    expect(fake.requests).toHaveLength(1);
  });

  it('an abort during the retry wait stops at once', async () => {
    const ac = new AbortController();
    const { c, fake } = client(() => {
      queueMicrotask(() => ac.abort());
      return json({}, 503, { 'retry-after': '30' });
    });
    await expect(c.monitoring.getStatus({ signal: ac.signal })).rejects.toBeInstanceOf(AbortError);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('error mapping', () => {
  it.each([
    [400, BadRequestError, { name: ['This field is required.'] }, 'name: This field is required.'],
    [401, AuthenticationError, { detail: 'Authentication credentials were not provided.' }, 'Authentication'],
    [403, PermissionDeniedError, { detail: 'You do not have permission to perform this action.' }, 'permission'],
    [404, NotFoundError, { detail: 'Not found.' }, 'Not found.'],
    [409, ConflictError, { detail: 'exists' }, 'exists'],
    [422, UnprocessableEntityError, { detail: 'bad' }, 'bad'],
    [500, InternalServerError, 'Internal Server Error', 'Internal Server Error'],
  ])('%i -> %o', async (status, cls, body, detail) => {
    const { c } = client(() => (typeof body === 'string' ? new Response(body, { status }) : json(body, status)));
    const err = await c.replists.getList(7).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    const api = err as APIError;
    expect(api.status).toBe(status);
    expect(api.method).toBe('GET');
    expect(api.url).toBe('https://nad.test/api/v2/replists/7');
    expect(api.operation).toBe('get reputation list 7');
    expect(api.message.startsWith(`Failed to get reputation list 7: ${status} `)).toBe(true);
    expect(api.message).toContain(detail);
    expect(api.body).toEqual(body);
  });

  it('a TLS failure is a ConnectionError with tls: true and a hint', async () => {
    const { c } = client(() => {
      throw networkError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate');
    });
    const err = (await c.monitoring.getStatus().catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.tls).toBe(true);
    expect(err.message).toMatch(/TLS certificate verification failed .*"ca" option .*verifySsl: false/);
  });

  it('never lets a raw undici error out: the cause is a plain redacted copy', async () => {
    const { c } = client(() => {
      throw networkError('ECONNREFUSED');
    });
    const err = (await c.monitoring.getStatus({ maxRetries: 0 }).catch((e: unknown) => e)) as ConnectionError;
    expect(err.message).toMatch(/could not reach https:\/\/nad\.test\/api\/v2\/monitoring\/status: ECONNREFUSED/);
    expect(err.cause).toBeInstanceOf(Error);
    expect(err.cause).not.toBeInstanceOf(TypeError);
    expect(((err.cause as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('a 2xx body that is not JSON is a clear error', async () => {
    const { c } = client(() => new Response('<html>login</html>', { status: 200 }));
    await expect(c.monitoring.getStatus()).rejects.toThrow(/Failed to get monitoring status: .* not JSON/);
  });

  it('redirects are not followed with credentials: a 302 is an error', async () => {
    const { c } = client(() => new Response(null, { status: 302, headers: { location: 'https://evil/' } }));
    await expect(c.monitoring.getStatus()).rejects.toBeInstanceOf(APIError);
  });

  it('withResponse() gives the status and headers', async () => {
    const { c } = client(() => json({ id: 3 }, 200, { 'x-request-id': 'abc' }));
    const { data, response } = await c.variables.getGroup(3).withResponse();
    expect(data.id).toBe(3);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('abc');
    expect((await c.variables.getGroup(3).asResponse()).status).toBe(200);
  });
});
