/**
 * Security: secrets never leak. For random passwords, API keys and IAM client secrets (fast-check), the SDK is
 * driven into every error class it can produce against a real emulator; every error's message, stack and
 * properties (walked recursively, `cause` included) and every log line at debug level must be free of the
 * secrets: the configured ones, and those the server handed out (session cookie, CSRF token, IAM token),
 * which a fetch wrapper records from the wire.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { type Account, type Emulator, startEmulator } from 'ptnad-emulator';
import { describe, expect, it } from 'vitest';
import { type ClientOptions, type FetchLike, PTNADClient } from '../src/index.js';
import { NOW } from './helpers/emulator.js';

const SECRET_CHARS = [...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#$%&()*+,-./:;<=>?@[]^_{|}~'];
const secret = fc.string({ unit: fc.constantFrom(...SECRET_CHARS), minLength: 12, maxLength: 24 });

/** Every string reachable from a value: own properties (enumerable or not), `cause`, arrays, maps, headers. */
function strings(value: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') {
    out.push(value);
    return out;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof Map) for (const [k, v] of value) strings([k, v], out, seen);
  if (typeof (value as { forEach?: unknown }).forEach === 'function' && !Array.isArray(value)) {
    (value as { forEach: (fn: (v: unknown, k: unknown) => void) => void }).forEach((v, k) => {
      strings(v, out, seen);
      strings(k, out, seen);
    });
  }
  for (const key of Object.getOwnPropertyNames(value)) {
    out.push(key);
    strings((value as Record<string, unknown>)[key], out, seen);
  }
  return out;
}

/** The forms a secret could take in text: raw, URL-encoded, JSON-escaped, base64 (Basic auth). */
function forms(s: string): string[] {
  return [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), Buffer.from(s).toString('base64')];
}

interface Scenario {
  expected: string;
  run: () => Promise<unknown>;
}

async function settle(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('no secret in any SDK error or log line', () => {
  it('every error class, random secrets', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .uniqueArray(secret, { minLength: 6, maxLength: 6 })
          .filter((xs) => xs.every((a, i) => xs.every((b, j) => i === j || !b.includes(a))))
          .map(([admin = '', analyst = '', wrong = '', apiKey = '', iam = '', wrongKey = '']) => ({
            admin,
            analyst,
            wrong,
            apiKey,
            iam,
            wrongKey,
          })),
        async (s) => {
          const users: Account[] = [
            { username: 'administrator', password: s.admin, role: 'admin', source: 'local' },
            { username: 'analyst', password: s.analyst, role: 'readonly', source: 'local' },
          ];
          const emu: Emulator = await startEmulator({
            seed: 1,
            flows: 40,
            now: NOW,
            users,
            apiKey: s.apiKey,
            iamClient: { clientId: 'ptnad', clientSecret: s.iam },
          });
          const wire = new Set<string>();
          const logs: string[] = [];
          const recording: FetchLike = async (url, init) => {
            const headers = new Headers(init.headers);
            for (const name of ['authorization', 'cookie', 'x-csrftoken']) {
              const v = headers.get(name);
              if (v) for (const part of v.split(/[;\s]+|=/)) if (part.length >= 12) wire.add(part);
            }
            const res = await fetch(url, init);
            for (const line of res.headers.getSetCookie()) {
              const value = /^[^=]+=([^;]*)/.exec(line)?.[1];
              if (value && value.length >= 12) wire.add(value);
            }
            if (url.endsWith('/connect/token') && res.ok) {
              const token = ((await res.clone().json()) as { access_token?: string }).access_token;
              if (token) wire.add(token);
            }
            return res;
          };
          const logger = {
            debug: (m: string) => logs.push(m),
            info: (m: string) => logs.push(m),
            warn: (m: string) => logs.push(m),
            error: (m: string) => logs.push(m),
          };
          const base: ClientOptions = { fetch: recording, logger, logLevel: 'debug', maxRetries: 0 };
          const local = (password: string, extra: ClientOptions = {}) =>
            new PTNADClient(emu.url, {
              ...base,
              ...extra,
              auth: { type: 'local', username: password === s.analyst ? 'analyst' : 'administrator', password },
            });
          const admin = local(s.admin);
          const analyst = local(s.analyst);
          const apikey = new PTNADClient(emu.url, { ...base, auth: { type: 'apikey', apikey: s.apiKey } });
          const sso = (clientSecret: string) =>
            new PTNADClient(emu.url, {
              ...base,
              auth: {
                type: 'sso',
                ssoUrl: emu.url,
                clientId: 'ptnad',
                clientSecret,
                username: 'administrator',
                password: s.admin,
              },
            });
          const withFault = (spec: string, run: () => Promise<unknown>) => async () => {
            const ids = emu.faults.add(spec);
            try {
              await run();
            } finally {
              for (const id of ids) emu.faults.remove(id);
            }
          };
          const aborted = AbortSignal.abort();
          const scenarios: Scenario[] = [
            { expected: 'AuthenticationError', run: () => local(s.wrong).login() },
            { expected: 'AuthenticationError', run: () => local(s.admin.slice(1)).monitoring.getStatus() },
            {
              expected: 'AuthenticationError',
              run: () => new PTNADClient(emu.url, { ...base, auth: { type: 'apikey', apikey: s.wrongKey } }).login(),
            },
            { expected: 'AuthenticationError', run: () => sso(s.wrong).login() },
            { expected: 'NotFoundError', run: () => sso(s.iam).replists.getList(987654) },
            { expected: 'NotFoundError', run: () => admin.replists.getList(987654) },
            { expected: 'NotFoundError', run: () => apikey.replists.getList(987654) },
            {
              expected: 'PermissionDeniedError',
              run: () => analyst.replists.createList({ name: 'x', type: 'ip', color: '1' }),
            },
            {
              expected: 'BadRequestError',
              run: async () => {
                await admin.replists.createList({ name: 'dup', type: 'ip', color: '1' });
                await admin.replists.createList({ name: 'dup', type: 'ip', color: '1' });
              },
            },
            {
              expected: 'ValidationError',
              run: async () => admin.replists.createList({ name: '', type: 'ip', color: '1' }),
            },
            {
              expected: 'BqlSyntaxError',
              run: () =>
                admin.bql.stream('SELECT id FROM flow WHERE (', { pageSize: 10 })[Symbol.asyncIterator]().next(),
            },
            { expected: 'BqlQueryError', run: () => admin.bql.execute('SELECT id FROM flow WHERE (') },
            { expected: 'RateLimitError', run: withFault('429@GET:/api/v2/sensors', () => admin.sensors.getSensors()) },
            { expected: 'ConflictError', run: withFault('409@GET:/api/v2/sensors', () => admin.sensors.getSensors()) },
            {
              expected: 'UnprocessableEntityError',
              run: withFault('422@GET:/api/v2/sensors', () => admin.sensors.getSensors()),
            },
            {
              expected: 'InternalServerError',
              run: withFault('500@GET:/api/v2/sensors', () => admin.sensors.getSensors()),
            },
            {
              expected: 'ConnectionError',
              run: withFault('reset@GET:/api/v2/sensors', () => admin.sensors.getSensors()),
            },
            {
              expected: 'TimeoutError',
              run: withFault('latency=1000@GET:/api/v2/sensors', () => admin.sensors.getSensors({ timeoutMs: 30 })),
            },
            { expected: 'AbortError', run: () => admin.sensors.getSensors({ signal: aborted }) },
            {
              expected: 'AuthenticationError',
              run: withFault('expire@GET:/api/v2/sensors', async () => {
                await admin.login();
                // The session dies and the re-login fails: the password changed on the server meanwhile.
                const account = users[0];
                if (account) account.password = `${s.admin}-rotated`;
                try {
                  await admin.sensors.getSensors();
                } finally {
                  if (account) account.password = s.admin;
                }
              }),
            },
            {
              expected: 'CommitError',
              run: async () => {
                await admin.variables.createGroup({ name: 'BAD_NET', type: 'ip', value: 'not-an-address' });
                try {
                  await admin.signatures.applyChanges();
                } finally {
                  await admin.signatures.revertChanges();
                }
              },
            },
            {
              expected: 'TaskFailedError',
              run: () =>
                admin.storage.saveFlows({
                  filter: 'dst.port == 53',
                  persistIdx: '2',
                  startTime: Date.parse(NOW) - 7 * 86_400_000,
                  endTime: Date.parse(NOW),
                  pollMs: 0,
                  stateDir: join(tmpdir(), `ptnad-secrets-${process.pid}`),
                }),
            },
          ];
          const got: string[] = [];
          try {
            for (const scenario of scenarios) {
              const err = await settle(scenario.run);
              expect(err, scenario.expected).toBeInstanceOf(Error);
              const names = new Set<string>();
              for (let p: unknown = err; p && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
                names.add((p as { constructor: { name: string } }).constructor.name);
              }
              expect([...names], scenario.expected).toContain(scenario.expected);
              got.push(scenario.expected);
              const texts = [...strings(err), inspect(err, { depth: 20, showHidden: true }), String(err)];
              const configured = [s.admin, s.analyst, s.wrong, s.apiKey, s.iam, s.wrongKey, `${s.admin}-rotated`];
              for (const value of [...configured, ...wire]) {
                for (const form of forms(value)) {
                  for (const text of texts) {
                    if (text.includes(form)) {
                      throw new Error(`${scenario.expected} leaks a secret: ${JSON.stringify(text.slice(0, 300))}`);
                    }
                  }
                }
              }
            }
            expect(wire.size).toBeGreaterThanOrEqual(3);
            for (const value of [s.admin, s.analyst, s.wrong, s.apiKey, s.iam, s.wrongKey, ...wire]) {
              for (const form of forms(value)) {
                for (const line of logs) expect(line.includes(form), `log line leaks: ${line}`).toBe(false);
              }
            }
            expect(logs.length).toBeGreaterThan(0);
          } finally {
            await Promise.all([admin.close(), analyst.close(), apikey.close()]);
            await emu.close();
          }
          expect(new Set(got).size).toBeGreaterThanOrEqual(16);
        },
      ),
      { numRuns: 6, seed: 424242 },
    );
  }, 120_000);
});
