import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PTNADClient } from '../src/index.js';
import { Redactor } from '../src/internal/redact.js';
import { fakeFetch, json, memoryLogger, networkError } from './helpers/fake-fetch.js';

/** Every string reachable from a value: own properties (enumerable or not), causes, headers, arrays. */
function strings(value: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') out.push(value);
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof Headers) {
    for (const [k, v] of value) out.push(k, v);
    return out;
  }
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'string') out.push(key);
    strings((value as Record<string | symbol, unknown>)[key], out, seen);
  }
  return out;
}

const secret = fc.stringMatching(/^[!-~]{8,24}$/);

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('redaction (property)', () => {
  it('local auth: a password echoed back by the server never reaches errors or logs', async () => {
    await fc.assert(
      fc.asyncProperty(secret, async (password) => {
        const log = memoryLogger();
        const fake = fakeFetch((req) => json({ detail: `bad login ${req.body}`, password, echo: [password] }, 401));
        const c = new PTNADClient('https://nad.test', {
          fetch: fake.fetch,
          logger: log.logger,
          logLevel: 'debug',
          auth: { type: 'local', username: 'analyst', password },
        });
        const err = await failure(() => c.login());
        const all = [...strings(err), ...log.lines, String(err), (err as Error).stack ?? ''];
        for (const s of all) expect(s).not.toContain(password);
      }),
      { numRuns: 150 },
    );
  });

  it('SSO: password, client secret and the issued token never reach errors or logs', async () => {
    await fc.assert(
      fc.asyncProperty(secret, secret, secret, async (password, clientSecret, token) => {
        fc.pre(new Set([password, clientSecret, token]).size === 3);
        const log = memoryLogger();
        const fake = fakeFetch((req) => {
          if (req.url.pathname === '/connect/token') return json({ access_token: token, refresh_token: `${token}-r` });
          if (req.url.pathname === '/api/v2/monitoring/status') return json({ status: 'green', problems: [] });
          // A broken server that quotes everything it received, headers included.
          return json({ detail: `boom ${req.headers.get('authorization')} ${clientSecret} ${password}`, token }, 500, {
            'x-debug': `Bearer ${token}`,
            'set-cookie': `sessionid=${token}`,
          });
        });
        const c = new PTNADClient('https://nad.test', {
          fetch: fake.fetch,
          logger: log.logger,
          logLevel: 'debug',
          maxRetries: 0,
          auth: { type: 'sso', ssoUrl: 'https://iam.test', clientId: 'ptnad', clientSecret, username: 'u', password },
        });
        const err = await failure(() => c.replists.createList({ name: 'x', type: 'ip', color: '1' }));
        const all = [...strings(err), ...log.lines, String(err)];
        for (const s of all) {
          expect(s).not.toContain(password);
          expect(s).not.toContain(clientSecret);
          expect(s).not.toContain(token);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('API keys: a key quoted in a network error or a response never reaches errors or logs', async () => {
    await fc.assert(
      fc.asyncProperty(secret, fc.boolean(), fc.integer({ min: 0, max: 9 }), async (apikey, viaNetwork, n) => {
        // One run in ten goes through a retry (and its log line); backoff waits make every run slow otherwise.
        const retried = n === 0;
        const log = memoryLogger();
        const fake = fakeFetch((req) => {
          if (req.url.pathname === '/api/v2/monitoring/status') return json({ status: 'green', problems: [] });
          if (viaNetwork)
            throw networkError('ECONNRESET', `socket closed; request header authorization: Bearer ${apikey}`);
          return new Response(`forbidden for key ${apikey}`, { status: 403 });
        });
        const c = new PTNADClient('https://nad.test', {
          fetch: fake.fetch,
          logger: log.logger,
          logLevel: 'debug',
          maxRetries: retried ? 1 : 0,
          auth: { type: 'apikey', apikey },
        });
        const err = await failure(() => c.sources.getSource(2, { timeoutMs: 5_000 }));
        const all = [...strings(err), ...log.lines, String(err)];
        for (const s of all) expect(s).not.toContain(apikey);
      }),
      { numRuns: 60 },
    );
  });

  it('session cookies and CSRF tokens are redacted from error headers and messages', () => {
    const r = new Redactor();
    r.add('sess-abcdef-123', 'csrf-token-999');
    expect(r.text('Cookie: sessionid=sess-abcdef-123; csrftoken=csrf-token-999')).toBe(
      'Cookie: sessionid=[REDACTED]; csrftoken=[REDACTED]',
    );
    expect(r.headers({ 'X-CSRFToken': 'x', Cookie: 'y', Accept: 'application/json' })).toEqual({
      'x-csrftoken': '[REDACTED]',
      cookie: '[REDACTED]',
      accept: 'application/json',
    });
    expect(r.url('https://u:p@nad.test/x?api_key=zzz&limit=5')).toBe('https://nad.test/x?api_key=[REDACTED]&limit=5');
    expect(r.value({ password: 'a', nested: [{ access_token: 'b', ok: 'sess-abcdef-123!' }] })).toEqual({
      password: '[REDACTED]',
      nested: [{ access_token: '[REDACTED]', ok: '[REDACTED]!' }],
    });
  });
});
