// Issue 15: the SDK's and the CLI's flows against every behaviour variant of the emulator (each non-default
// variant alone, the defaults, and every non-default variant at once). Login, re-login after expiry, BQL errors,
// paging through lists and items, SSO (with the IAM on its own origin and certificate), bad credentials.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { type ClientOptions, PTNADClient } from 'ptnad-client';
import { type Emulator, type EmulatorOptions, generateDataset, startEmulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Streams } from '../../cli/src/context.js';
import { main } from '../../cli/src/main.js';
import { NOW } from './helpers.js';

const dataset = generateDataset({ seed: 1, flows: 500, now: new Date(NOW) });
const ALL_ODD: EmulatorOptions = {
  bqlErrorStatus: 400,
  listOrder: 'shuffled',
  authFailureStatus: 403,
  dynamicItems: 'whole',
  tls: true,
  iam: {},
};
const VARIANTS: Array<[string, EmulatorOptions]> = [
  ['defaults', {}],
  ['BQL errors as 400', { bqlErrorStatus: 400 }],
  ['lists in a new order on every request', { listOrder: 'shuffled' }],
  ['missing or expired credentials as 403', { authFailureStatus: 403 }],
  ['dynamic items in one answer', { dynamicItems: 'whole' }],
  ['IAM on its own HTTP origin', { iam: {} }],
  ['IAM on its own HTTPS origin and certificate', { tls: true, iam: {} }],
  ['every non-default variant at once', ALL_ODD],
];

const ADMIN = { username: 'administrator', password: 'Administr@t0r' };
const BIG_KEY = 'variants-big';
const BIG = Array.from({ length: 2_345 }, (_, i) => `10.77.${i >> 8}.${i & 255}`);

/** Runs the CLI in-process; resolves with its exit code and output. */
async function cli(args: string[], env: Record<string, string>, stdin = '') {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  err.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const streams: Streams = { stdout: out, stderr: err, stdin: Readable.from([stdin]) };
  const home = mkdtempSync(join(tmpdir(), 'ptnad-variants-'));
  const code = await main(args, { streams, env: { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg'), ...env } });
  return { code, stdout, stderr };
}

describe.each(VARIANTS)('variant: %s', (_name, variant) => {
  let emu: Emulator;
  let caFile: string | undefined;
  const clients: PTNADClient[] = [];
  const make = (auth: ClientOptions['auth'], extra: ClientOptions = {}) => {
    const client = new PTNADClient(emu.url, {
      auth,
      maxRetries: 0,
      ...(emu.caPem ? { ca: emu.caPem } : {}),
      ...extra,
    });
    clients.push(client);
    return client;
  };
  const sso = (extra: Record<string, unknown> = {}) => ({
    type: 'sso' as const,
    ssoUrl: emu.iamUrl,
    clientId: emu.credentials.iamClient.clientId,
    clientSecret: emu.credentials.iamClient.clientSecret,
    ...ADMIN,
    ...(emu.iamCaPem ? { ca: emu.iamCaPem } : {}),
    ...extra,
  });
  const cliEnv = (): Record<string, string> => ({
    PTNAD_URL: emu.url,
    PTNAD_USERNAME: ADMIN.username,
    PTNAD_PASSWORD: ADMIN.password,
    ...(caFile ? { PTNAD_CA: caFile } : {}),
  });

  beforeAll(async () => {
    emu = await startEmulator({ dataset, sessionTtl: 600, ...variant });
    if (emu.caPem) {
      caFile = join(mkdtempSync(join(tmpdir(), 'ptnad-variants-ca-')), 'nad-ca.pem');
      writeFileSync(caFile, emu.caPem);
    }
    const admin = make({ type: 'apikey', apikey: emu.credentials.apiKey });
    await admin.replists.createList({ name: BIG_KEY, type: 'ip', color: '1', externalKey: BIG_KEY });
    await admin.replists.bulkAddItems(BIG_KEY, BIG);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await emu.close();
  });

  it('SDK: local login, then a new login once the session expired', async () => {
    const client = make({ type: 'local', ...ADMIN });
    await client.monitoring.getStatus();
    const logins = () => emu.counters.get('POST', '/api/v2/auth/login');
    const before = logins();
    emu.advanceClock(601_000);
    await client.monitoring.getStatus();
    expect(logins()).toBe(before + 1);
  });

  it('SDK: SSO login at the IAM origin, then a new token once it expired', async () => {
    const client = make(sso());
    await client.monitoring.getStatus();
    const tokens = () => emu.counters.get('POST', '/connect/token');
    const before = tokens();
    emu.advanceClock(601_000);
    await client.monitoring.getStatus();
    expect(tokens()).toBe(before + 1);
  });

  it('SDK: a BQL error is a BqlQueryError whatever the status', async () => {
    const client = make({ type: 'apikey', apikey: emu.credentials.apiKey });
    const err = await client.bql.execute('SELECT id FROM flow WHERE (dst.port == ').catch((e: unknown) => e);
    expect((err as Error).name).toBe('BqlQueryError');
    expect((err as { status?: number }).status).toBe(variant.bqlErrorStatus ?? 200);
  });

  it('SDK: paging through every list and every item sees each exactly once', async () => {
    const client = make({ type: 'local', ...ADMIN });
    const lists = await client.replists.getAllLists({ limit: 7 });
    const ids = lists.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort((a, b) => a - b)).toEqual(emu.state.replists.all().map((l) => l.meta.id));
    const items: string[] = [];
    for await (const item of client.replists.getDynamicListItems(BIG_KEY, { limit: 100 })) items.push(item.value);
    expect(items.length).toBe(BIG.length);
    expect(new Set(items)).toEqual(new Set(BIG));
  });

  it('SDK: a wrong API key is an authentication error (as 401 or as 403), never a success', async () => {
    const client = make({ type: 'apikey', apikey: 'not-the-key' });
    const err = await client.monitoring.getStatus().catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(variant.authFailureStatus ?? 401);
    expect(err).toMatchObject({ name: 'AuthenticationError', code: 'authentication' });
  });

  if (variant.iam && variant.tls) {
    it("SDK: the NAD's CA is not trusted for an IAM on another origin unless given for it", async () => {
      const client = make(sso({ ca: undefined }));
      const err = await client.monitoring.getStatus().catch((e: unknown) => e);
      expect((err as Error).name).toBe('ConnectionError');
      expect(emu.counters.get('POST', '/connect/token')).toBeGreaterThanOrEqual(0);
      const trusted = make(sso({ ca: emu.caPem }));
      // The NAD's certificate did not sign the IAM's: trusting it for the IAM still fails.
      expect(((await trusted.monitoring.getStatus().catch((e: unknown) => e)) as Error).name).toBe('ConnectionError');
    });
  }

  it('CLI: lists and items as JSON, complete and without repeats', async () => {
    const lists = await cli(['-o', 'json', 'replists', 'list', '--limit', '1000'], cliEnv());
    expect(lists.stderr).toBe('');
    expect(lists.code).toBe(0);
    const listIds = (JSON.parse(lists.stdout) as Array<{ id: number }>).map((l) => l.id);
    expect(new Set(listIds).size).toBe(emu.state.replists.all().length);
    const items = await cli(['-o', 'json', 'replists', 'items', 'list', BIG_KEY, '--limit', '5000'], cliEnv());
    expect(items.code).toBe(0);
    const values = (JSON.parse(items.stdout) as Array<{ value: string }>).map((i) => i.value);
    expect(values.length).toBe(BIG.length);
    expect(new Set(values)).toEqual(new Set(BIG));
  });

  it('CLI: sync of a large list changes only what differs', async () => {
    const feed = join(mkdtempSync(join(tmpdir(), 'ptnad-variants-feed-')), 'feed.txt');
    writeFileSync(feed, `${[...BIG.slice(1), '10.78.0.1'].join('\n')}\n`);
    const r = await cli(['replists', 'sync', BIG_KEY, '--from', feed, '--chunk-size', '100'], cliEnv());
    expect(r.code).toBe(0);
    const now = [...(emu.state.replists.byExternalKey(BIG_KEY).items.keys() ?? [])];
    expect(new Set(now)).toEqual(new Set([...BIG.slice(1), '10.78.0.1']));
    // Put the list back for the other tests of this variant.
    const admin = make({ type: 'apikey', apikey: emu.credentials.apiKey });
    await admin.replists.bulkAddItems(BIG_KEY, [BIG[0] ?? '']);
    await admin.replists.bulkDeleteItems(BIG_KEY, ['10.78.0.1']);
  });

  it('CLI: a bad BQL query exits 2, bad credentials exit 3', async () => {
    const bad = await cli(['bql', 'run', 'SELECT id FROM flow WHERE nosuchfield == 1'], cliEnv());
    expect(bad.code).toBe(2);
    const denied = await cli(['replists', 'list'], { ...cliEnv(), PTNAD_PASSWORD: 'wrong-password' });
    expect(denied.code).toBe(3);
  });

  it('CLI: SSO login (fails closed with exit 4 when the IAM certificate is not trusted)', async () => {
    const env = {
      ...cliEnv(),
      PTNAD_SSO_URL: emu.iamUrl,
      PTNAD_CLIENT_ID: emu.credentials.iamClient.clientId,
      PTNAD_CLIENT_SECRET: emu.credentials.iamClient.clientSecret,
    };
    const r = await cli(['-o', 'json', 'replists', 'list'], env);
    // The CLI has no setting for the IAM's own CA yet: over HTTPS on another origin it must refuse, not trust.
    expect(r.code).toBe(emu.iamCaPem ? 4 : 0);
  });
});

describe("SDK: IAM TLS trust is the IAM's own", () => {
  // The IAM on another port with the NAD's very certificate: before, the client's `ca` silently covered it.
  const pair = {
    key: readFileSync(new URL('../tls/localhost-key.pem', import.meta.url), 'utf8'),
    cert: readFileSync(new URL('../tls/localhost-cert.pem', import.meta.url), 'utf8'),
  };
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ dataset, tls: pair, iam: { tls: pair } });
  });
  afterAll(() => emu.close());

  const login = async (auth: Record<string, unknown>, options: ClientOptions = {}) => {
    const client = new PTNADClient(emu.url, {
      ca: pair.cert,
      maxRetries: 0,
      ...options,
      auth: {
        type: 'sso',
        ssoUrl: emu.iamUrl,
        clientId: emu.credentials.iamClient.clientId,
        clientSecret: emu.credentials.iamClient.clientSecret,
        ...ADMIN,
        ...auth,
      },
    });
    try {
      await client.monitoring.getStatus();
      return 'ok';
    } catch (err) {
      return (err as Error).name;
    } finally {
      await client.close();
    }
  };

  it("does not apply the NAD's ca to an IAM on another origin", async () => {
    expect(emu.iamUrl).not.toBe(emu.url);
    expect(await login({})).toBe('ConnectionError');
  });

  it('trusts the IAM with auth.ca, or without verification only when auth.verifySsl is false', async () => {
    expect(await login({ ca: pair.cert })).toBe('ok');
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    expect(await login({ verifySsl: false }, { logger })).toBe('ok');
    expect(warnings.join('\n')).toMatch(/verification is OFF for the IAM/);
    // Turning verification off for the NAD does not turn it off for another host.
    expect(await login({}, { verifySsl: false, ca: undefined })).toBe('ConnectionError');
  });
});
