/**
 * Security of the CLI: for random passwords, API keys and IAM client secrets (fast-check), every kind of
 * failure the CLI reports (bad credentials of each mode, 403, 404, BQL errors, 5xx, resets, timeouts) and
 * successful runs with `--debug` (stack traces and HTTP debug lines) print no secret: neither the configured
 * ones nor the session id, CSRF token or IAM token the server handed out. Runs `main()` in-process against a
 * real emulator for speed; the built binary is checked once. TLS: verification on by default, `--insecure`
 * explicit and warned about.
 */
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { type Account, type Emulator, startEmulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { assertBuilt, isolatedEnv, ptnad } from './harness.js';

const SECRET_CHARS = [...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#$%&()*+,-./:;<=>?@[]^_{|}~'];
const secret = fc.string({ unit: fc.constantFrom(...SECRET_CHARS), minLength: 12, maxLength: 24 });
const secrets = fc
  .uniqueArray(secret, { minLength: 5, maxLength: 5 })
  .filter((xs) => xs.every((a, i) => xs.every((b, j) => i === j || !b.includes(a))))
  .map(([admin = '', analyst = '', wrong = '', apiKey = '', iam = '']) => ({ admin, analyst, wrong, apiKey, iam }));

/** Runs the CLI in this process; resolves with its exit code and everything it printed. */
async function cli(argv: string[], extraEnv: Record<string, string>): Promise<{ code: number; out: string }> {
  const { env } = isolatedEnv({ NO_COLOR: '1', ...extraEnv });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end();
  let out = '';
  stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  stderr.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const code = await main(argv, { env, streams: { stdout, stderr, stdin } });
  return { code, out };
}

/** The forms a secret could take in text: raw, URL-encoded, JSON-escaped, base64 (Basic auth). */
function forms(s: string): string[] {
  return [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), Buffer.from(s).toString('base64')];
}

/** Records every session id, CSRF token and IAM token the emulator issues. */
function recordIssued(emu: Emulator): Set<string> {
  const issued = new Set<string>();
  const store = emu.state.credentials;
  const createSession = store.createSession.bind(store);
  store.createSession = (account) => {
    const grant = createSession(account);
    issued.add(grant.sessionId);
    issued.add(grant.csrfToken);
    return grant;
  };
  const createToken = store.createToken.bind(store);
  store.createToken = (account) => {
    const token = createToken(account);
    issued.add(token);
    return token;
  };
  return issued;
}

type Secrets = { admin: string; analyst: string; wrong: string; apiKey: string; iam: string };
interface Case {
  argv: string[];
  env: Record<string, string>;
  fault?: string;
  ok: boolean;
}

/** Every trigger green, so that `ptnad status` exits 0 when it succeeds (yellow exits 1). */
function allGreen(emu: Emulator): void {
  for (const t of emu.state.dataset.triggers) t.status = 'green';
}

/**
 * Starts an emulator that knows only these secrets, runs the cases `pick` returns and checks that no output
 * contains a configured or issued secret in any form.
 */
async function checkNoLeak(s: Secrets, pick: (url: string, s: Secrets) => Case[]): Promise<number> {
  const users: Account[] = [
    { username: 'administrator', password: s.admin, role: 'admin', source: 'local' },
    { username: 'analyst', password: s.analyst, role: 'readonly', source: 'local' },
  ];
  const emu = await startEmulator({
    seed: 1,
    flows: 30,
    users,
    apiKey: s.apiKey,
    iamClient: { clientId: 'ptnad', clientSecret: s.iam },
  });
  allGreen(emu);
  const issued = recordIssued(emu);
  try {
    for (const c of pick(emu.url, s)) {
      const ids = c.fault ? emu.faults.add(c.fault) : [];
      let result: { code: number; out: string };
      try {
        result = await cli(c.argv, c.env);
      } finally {
        for (const id of ids) emu.faults.remove(id);
      }
      const what = `ptnad ${c.argv.join(' ')}`;
      if (c.ok) expect(result.code, `${what}: ${result.out}`).toBe(0);
      else expect(result.code, `${what}: ${result.out}`).not.toBe(0);
      for (const value of [s.admin, s.analyst, s.wrong, s.apiKey, s.iam, ...issued]) {
        for (const form of forms(value)) {
          if (result.out.includes(form)) throw new Error(`${what} printed a secret:\n${result.out}`);
        }
      }
    }
  } finally {
    await emu.close();
  }
  return issued.size;
}

const local = (url: string, user: string, password: string) => ({
  PTNAD_URL: url,
  PTNAD_USERNAME: user,
  PTNAD_PASSWORD: password,
});
const sso = (url: string, s: Secrets, clientSecret: string) => ({
  PTNAD_URL: url,
  PTNAD_SSO_URL: url,
  PTNAD_CLIENT_ID: 'ptnad',
  PTNAD_CLIENT_SECRET: clientSecret,
  PTNAD_USERNAME: 'administrator',
  PTNAD_PASSWORD: s.admin,
});

describe('no secret in CLI output', () => {
  it('bad credentials of every mode, 403, 404, BQL errors, 5xx and --debug successes', async () => {
    await fc.assert(
      fc.asyncProperty(secrets, async (s) => {
        const issued = await checkNoLeak(s, (url) => {
          const admin = local(url, 'administrator', s.admin);
          return [
            { argv: ['status'], env: local(url, 'administrator', s.wrong), ok: false },
            { argv: ['status', '--debug'], env: local(url, 'administrator', s.wrong), ok: false },
            { argv: ['status', '--debug'], env: { PTNAD_URL: url, PTNAD_API_KEY: s.wrong }, ok: false },
            { argv: ['status', '--debug'], env: sso(url, s, s.wrong), ok: false },
            { argv: ['replists', 'get', '987654', '--debug'], env: admin, ok: false },
            {
              argv: ['replists', 'create', '--name', 'x', '--type', 'ip', '--debug'],
              env: local(url, 'analyst', s.analyst),
              ok: false,
            },
            { argv: ['bql', 'run', 'SELECT id FROM flow WHERE (', '--debug'], env: admin, ok: false },
            { argv: ['bql', 'run', 'SELECT id FROM flow', '--source', '999', '--debug'], env: admin, ok: false },
            { argv: ['sensors', 'list', '--debug'], env: admin, fault: '500@GET:/api/v2/sensors', ok: false },
            { argv: ['status', '--debug'], env: admin, ok: true },
            { argv: ['replists', 'list', '--debug'], env: sso(url, s, s.iam), ok: true },
            { argv: ['sensors', 'list', '--debug'], env: { PTNAD_URL: url, PTNAD_API_KEY: s.apiKey }, ok: true },
          ];
        });
        // The successful runs logged in for real: session id, CSRF token and IAM token were all checked too.
        expect(issued).toBeGreaterThanOrEqual(3);
      }),
      { numRuns: 4, seed: 8080 },
    );
  }, 120_000);

  it('connection resets and timeouts (retried with backoff, so one random draw)', async () => {
    const [s] = fc.sample(secrets, { numRuns: 1, seed: 99 });
    if (!s) throw new Error('no sample');
    await checkNoLeak(s, (url) => {
      const admin = local(url, 'administrator', s.admin);
      return [
        { argv: ['sensors', 'list', '--debug'], env: admin, fault: 'reset@GET:/api/v2/sensors', ok: false },
        {
          argv: ['sensors', 'list', '--debug', '--timeout', '0.05'],
          env: admin,
          // undici checks its timeouts on a coarse (about 1 s) tick, so the latency must clearly exceed that.
          fault: 'latency=3000@GET:/api/v2/sensors',
          ok: false,
        },
      ];
    });
  }, 60_000);
});

describe('TLS in the CLI', () => {
  let tls: Emulator;
  beforeAll(async () => {
    tls = await startEmulator({ seed: 1, flows: 20, tls: true });
    allGreen(tls);
  });
  afterAll(async () => {
    await tls.close();
  });
  const env = () => ({ PTNAD_URL: tls.url, PTNAD_API_KEY: tls.credentials.apiKey });

  it('verifies by default: a self-signed server is refused with a hint, nothing reaches it', async () => {
    tls.counters.reset();
    const r = await cli(['status'], env());
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/certificate/i);
    expect(r.out).toMatch(/--ca FILE/);
    expect(tls.counters.total).toBe(0);
  });

  it('--ca keeps verification on and connects without a warning', async () => {
    const r = await cli(['status', '--ca', tls.certPath ?? ''], env());
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toMatch(/verification is OFF/i);
  });

  it('--insecure and PTNAD_INSECURE=1 are explicit and warned about', async () => {
    for (const [argv, extra] of [
      [['status', '--insecure'], {}],
      [['status'], { PTNAD_INSECURE: '1' }],
    ] as const) {
      const r = await cli([...argv], { ...env(), ...extra });
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/WARNING: TLS certificate verification is OFF/);
    }
  });

  it('the built binary: a wrong password with --debug prints neither it nor the default password', async () => {
    assertBuilt();
    const plain = await startEmulator({ seed: 1, flows: 10 });
    try {
      const wrong = 'Wr0ng-But-Long-Secret!';
      const { env: childEnv } = isolatedEnv({
        PTNAD_URL: plain.url,
        PTNAD_USERNAME: 'administrator',
        PTNAD_PASSWORD: wrong,
      });
      const r = await ptnad(['status', '--debug'], { env: childEnv });
      expect(r.code).toBe(3);
      const all = r.stdout + r.stderr;
      expect(all).toMatch(/AuthenticationError|401/);
      for (const s of [wrong, 'Administr@t0r', encodeURIComponent(wrong)]) expect(all).not.toContain(s);
    } finally {
      await plain.close();
    }
  });
});
