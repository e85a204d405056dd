/**
 * Security (issue 19 item 4): behind a load balancer that rotates a cookie on every response (AWS ALB's
 * `AWSALB`), the redactor holds only the live secrets: after 20,000 requests its size is what it was after a
 * few, the rotated-out values are no longer searched for, and the live ones (password, session, CSRF token, the
 * current rotating cookie) are still scrubbed from errors and logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIError, PTNADClient } from '../src/index.js';
import { clientRedactor } from '../src/internal/introspect.js';
import { memoryLogger } from './helpers/fake-fetch.js';
import { type HostileServer, hostileServer } from './helpers/hostile-server.js';

const PASSWORD = 'S3cret-Passw0rd!';
const SESSION = 'sess-0123456789abcdef';
const CSRF = 'csrf-fedcba9876543210';
const REQUESTS = 20_000;
let server: HostileServer;
/** Every AWSALB value the server issued, in order. */
const issued: string[] = [];

beforeAll(async () => {
  server = await hostileServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const headers: Record<string, string | string[]> = { 'content-type': 'application/json' };
    if (path === '/api/v2/echo') {
      // Echoes the values asked for in an error body; does not rotate, so the live cookie stays live.
      const said = new URL(req.url ?? '/', 'http://x').searchParams.getAll('say');
      res.writeHead(400, headers).end(JSON.stringify({ detail: `cannot handle ${said.join(' and ')}` }));
      return;
    }
    const value = `alb-${String(issued.length).padStart(6, '0')}-rotating-value`;
    issued.push(value);
    const cookies = [`AWSALB=${value}; Path=/`];
    if (path === '/api/v2/auth/login') cookies.push(`sessionid=${SESSION}; Path=/`, `csrftoken=${CSRF}; Path=/`);
    headers['set-cookie'] = cookies;
    res.writeHead(200, headers).end(path === '/api/v2/auth/login' ? '' : '{"status":"green","problems":[]}');
  });
});
afterAll(async () => {
  await server.close();
});

describe('a cookie rotated on every response', () => {
  it('keeps the redactor bounded over 20,000 requests; rotated-out values no longer matter, live ones do', async () => {
    const log = memoryLogger();
    const c = new PTNADClient(server.url, {
      auth: { type: 'local', username: 'analyst', password: PASSWORD },
      logger: log.logger,
      // info, not debug: a debug line per request would make this test about logging speed.
      logLevel: 'info',
      maxRetries: 0,
    });
    try {
      await c.monitoring.getStatus();
      const redactor = clientRedactor(c);
      const early = redactor.size;
      // Parallel lanes keep the test short; the order in which rotated values arrive does not matter.
      const lanes = 8;
      await Promise.all(
        Array.from({ length: lanes }, async () => {
          for (let i = 0; i < REQUESTS / lanes; i++) await c.monitoring.getStatus();
        }),
      );
      // One last request alone, so that the cookie the client holds is the last one issued.
      await c.monitoring.getStatus();
      expect(issued.length).toBeGreaterThan(REQUESTS);
      expect(redactor.size).toBe(early);

      const live = issued[issued.length - 1] ?? '';
      const rotatedOut = issued[1] ?? '';
      const say = [PASSWORD, SESSION, CSRF, live, rotatedOut];
      const err = await c
        .get('echo', { say: say.join('|') })
        .then(() => undefined)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIError);
      const text = `${(err as Error).message} ${JSON.stringify((err as APIError).body)} ${log.lines.join('\n')}`;
      for (const secret of [PASSWORD, SESSION, CSRF, live]) expect(text).not.toContain(secret);
      // A value rotated out long ago is an ordinary string again: it is not searched for in every message.
      expect(text).toContain(rotatedOut);
    } finally {
      await c.close();
    }
  }, 120_000);
});
