/**
 * Security: TLS verification is on by default everywhere: the SDK and the examples' quickstart connection
 * (the CLI is covered in packages/cli/test/security-cli.test.ts). Turning it off takes an explicit setting and
 * is warned about; trusting a self-signed appliance is possible without turning it off (`ca`).
 */
import { spawnSync } from 'node:child_process';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect } from '../../../examples/connect.js';
import { ConnectionError, PTNADClient } from '../src/index.js';
import { emulator } from './helpers/emulator.js';

let tls: Emulator;

beforeAll(async () => {
  tls = await emulator({ flows: 20, tls: true });
});
afterAll(async () => {
  await tls.close();
});

function capture() {
  const lines: string[] = [];
  const push = (m: string) => lines.push(m);
  return { lines, logger: { debug: push, info: push, warn: push, error: push } };
}

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (err: unknown) => err,
  );
}

const PKG = fileURLToPath(new URL('..', import.meta.url));

describe('SDK', () => {
  it('refuses the self-signed certificate by default, before any request reaches the server', async () => {
    tls.counters.reset();
    for (const options of [{}, { verifySsl: undefined }, { verifySsl: true }]) {
      const log = capture();
      const client = new PTNADClient(tls.url, {
        ...options,
        auth: { type: 'apikey', apikey: tls.credentials.apiKey },
        logger: log.logger,
        maxRetries: 0,
      });
      const err = await refusal(() => client.monitoring.getStatus());
      await client.close();
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as ConnectionError).tls).toBe(true);
      expect(log.lines.join('\n')).not.toMatch(/verification is OFF/i);
    }
    expect(tls.counters.total).toBe(0);
  });

  it('trusts the appliance with `ca` while verification stays on, and without a warning', async () => {
    const log = capture();
    const client = new PTNADClient(tls.url, {
      ca: tls.caPem,
      auth: { type: 'apikey', apikey: tls.credentials.apiKey },
      logger: log.logger,
    });
    await expect(client.monitoring.getStatus()).resolves.toMatchObject({ status: expect.any(String) });
    await client.close();
    expect(log.lines.join('\n')).not.toMatch(/verification is OFF/i);
  });

  it('a `ca` that is not the appliance\'s does not fall back to "insecure": still refused', async () => {
    // Another emulator's pair would be the same shipped test certificate, so use a well-formed but unrelated CA:
    // the system's own bundle does not contain the test certificate either.
    tls.counters.reset();
    const client = new PTNADClient(tls.url, {
      ca: [...rootCertificates.slice(0, 3)],
      auth: { type: 'apikey', apikey: tls.credentials.apiKey },
      maxRetries: 0,
    });
    const err = await refusal(() => client.monitoring.getStatus());
    await client.close();
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).tls).toBe(true);
    expect(tls.counters.total).toBe(0);
  });

  it('verifySsl: false is explicit and warned about', async () => {
    const log = capture();
    const client = new PTNADClient(tls.url, {
      verifySsl: false,
      auth: { type: 'apikey', apikey: tls.credentials.apiKey },
      logger: log.logger,
    });
    expect(log.lines.some((l) => /TLS certificate verification is OFF/.test(l))).toBe(true);
    await expect(client.monitoring.getStatus()).resolves.toMatchObject({ status: expect.any(String) });
    await client.close();
  });

  it('verifySsl: false without a logger is a Node process warning (once per process); logLevel off silences it', () => {
    // A child process of its own: the warning is once per process, and the test runner's warnings stay out of it.
    const program = (options: string) => `
      const { PTNADClient } = await import('ptnad-client');
      for (let i = 0; i < 3; i++) new PTNADClient('https://nad.invalid', ${options});
    `;
    const run = (options: string) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', program(options)], { cwd: PKG, encoding: 'utf8' });
    const plain = run('{ verifySsl: false }');
    expect(plain.status).toBe(0);
    const warnings = plain.stderr.split('\n').filter((l) => l.includes('PTNAD_TLS_UNVERIFIED'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/TLS certificate verification is OFF \(verifySsl: false\)/);
    expect(run("{ verifySsl: false, logLevel: 'off' }").stderr).not.toMatch(/verification is OFF/);
    expect(run('{ verifySsl: true }').stderr).not.toMatch(/verification is OFF/);
  });
});

describe('quickstart connection (examples/connect.ts)', () => {
  const env = () => ({ PTNAD_URL: tls.url, PTNAD_API_KEY: tls.credentials.apiKey });

  it('verifies by default: the self-signed emulator is refused', async () => {
    const conn = await connect(env());
    const err = await refusal(() => conn.client.monitoring.getStatus({ maxRetries: 0 }));
    await conn.close();
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).tls).toBe(true);
  });

  it('PTNAD_CA_FILE keeps verification on and connects', async () => {
    expect(tls.certPath).toBeDefined();
    const conn = await connect({ ...env(), PTNAD_CA_FILE: tls.certPath ?? '' });
    await expect(conn.client.monitoring.getStatus()).resolves.toBeDefined();
    await conn.close();
  });

  it('PTNAD_INSECURE=1 turns it off, with a warning on stderr', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const conn = await connect({ ...env(), PTNAD_INSECURE: '1' });
      await expect(conn.client.monitoring.getStatus()).resolves.toBeDefined();
      await conn.close();
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toMatch(/verification is OFF/i);
  });
});
