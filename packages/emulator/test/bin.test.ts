// The `ptnad-emulator` binary (built dist/ through the bin launcher): help, version, bad flags, start-up, signals.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';

const BIN = fileURLToPath(new URL('../bin/ptnad-emulator.js', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
}

/** Resolves with the stdout so far once `pattern` appears in it. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (pattern.test(out)) resolve(out);
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${err}`)));
  });
}

describe('ptnad-emulator binary', () => {
  it('--help documents every flag and the fault SPEC, and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ptnad-emulator/);
    for (const flag of [
      '--host',
      '--port',
      '--tls',
      '--seed',
      '--flows',
      '--now',
      '--session-ttl',
      '--api-key',
      '--faults',
      '--state',
      '--version',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain('every=<N>');
  });

  it('--version prints the package version', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'http'], /--port must be an integer from 0 to 65535, got "http"/],
    [['--now', 'yesterday'], /--now must be an ISO date-time/],
    [['--faults', '503;nope'], /--faults: fault rule 2 \("nope"\)/],
    [['--session-ttl', '0'], /--session-ttl must be an integer from 1/],
  ])('rejects %j with exit 2 and a clear message', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('prints the listening line and credentials, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, '--port', '0', '--flows', '200', '--now', '2025-06-01T00:00:00Z', '--api-key', 'bin-test-key'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const out = await waitForOutput(child, /API key/);
      const match = /^PT NAD emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      expect(match).not.toBeNull();
      expect(out).toContain('administrator / Administr@t0r');
      expect(out).toContain('bin-test-key');
      const res = await fetch(`${match?.[1]}/api/v2/monitoring/status`, {
        headers: { Authorization: 'Bearer bin-test-key' },
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('prints the listening line before generating the dataset; an early request gets the same answer as usual', async () => {
    const args = ['--flows', '3000', '--now', '2025-06-01T00:00:00Z', '--api-key', 'bin-test-key'];
    const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reference = await startEmulator({ flows: 3000, now: '2025-06-01T00:00:00Z', apiKey: 'bin-test-key' });
    try {
      const out = await waitForOutput(child, /API key/);
      const url = /listening on (\S+)/.exec(out)?.[1];
      // Sent at once: the binary may still be generating its dataset; the answer waits for it.
      const get = (base: string | undefined) =>
        fetch(`${base}/api/v2/hosts?limit=50`, { headers: { Authorization: 'Bearer bin-test-key' } }).then(
          // `next` holds the emulator's own address; the rest of the page must be the same.
          async (r) => ({ status: r.status, body: { ...((await r.json()) as object), next: undefined } }),
        );
      const [early, expected] = await Promise.all([get(url), get(reference.url)]);
      expect(early.status).toBe(200);
      expect(early).toEqual(expected);
    } finally {
      child.kill('SIGKILL');
      await reference.close();
    }
  });

  it('builds a large dataset (with its heap settings for large builds) that answers as the library does', async () => {
    // 100,000 flows is where bin.ts raises the old-generation limit before the build (build-heap.ts).
    const args = ['--flows', '100000', '--now', '2025-06-01T00:00:00Z', '--api-key', 'bin-test-key'];
    const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const out = await waitForOutput(child, /API key/);
      const url = /listening on (\S+)/.exec(out)?.[1];
      const reference = await startEmulator({ flows: 100_000, now: '2025-06-01T00:00:00Z', apiKey: 'bin-test-key' });
      try {
        const get = (base: string | undefined) =>
          fetch(`${base}/api/v2/hosts?limit=50`, { headers: { Authorization: 'Bearer bin-test-key' } }).then(
            async (r) => ({ status: r.status, body: { ...((await r.json()) as object), next: undefined } }),
          );
        const [built, expected] = await Promise.all([get(url), get(reference.url)]);
        expect(built.status).toBe(200);
        expect(built).toEqual(expected);
      } finally {
        await reference.close();
      }
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);

  it('warns on stderr that the well-known credentials are exposed when listening beyond loopback', async () => {
    const child = spawn(process.execPath, [BIN, '--host', '0.0.0.0', '--port', '0', '--flows', '100'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const warned = new Promise<void>((resolve) => {
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString('utf8');
        if (/WARNING/.test(err)) resolve();
      });
    });
    try {
      const out = await waitForOutput(child, /API key/);
      expect(out).toContain('listening on http://0.0.0.0:');
      await warned;
      // 'close' (not 'exit') fires once stderr has been read to its end.
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.kill('SIGTERM');
      await closed;
      expect(err).toMatch(/WARNING: listening on 0\.0\.0\.0, not loopback: the well-known credentials/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
