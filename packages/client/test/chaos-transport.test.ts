/**
 * Chaos at the transport (issue 19 items 3 and 10, issue 11 item 6): a body that trickles one byte at a time
 * cannot hold a JSON call past `timeoutMs`; a timeout after retries says how many attempts were made; a
 * download that keeps flowing is not cut off by `timeoutMs`, one that stalls is; an answer larger than
 * `maxResponseBytes` is refused as it arrives with ResponseTooLargeError (never a ConnectionError, never
 * retried), on the built-in transport and on an injected fetch alike.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, PTNADClient, PTNADError, ResponseTooLargeError, TimeoutError } from '../src/index.js';
import { fakeFetch } from './helpers/fake-fetch.js';
import { type HostileServer, hostileServer, trickle } from './helpers/hostile-server.js';

const TASK = '0b5c2a9e-3f4d-4c1e-9a7b-2d8e6f1a0c3b';
let server: HostileServer | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptnad-chaos-'));
  dirs.push(dir);
  return dir;
}

describe('a body that trickles', () => {
  it('ends a JSON call with TimeoutError at timeoutMs, although bytes keep coming', async () => {
    server = await hostileServer((_req, res) => trickle(res, 100));
    const c = new PTNADClient(server.url, { timeoutMs: 700, maxRetries: 0 });
    try {
      const err = await c.monitoring.getStatus().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as PTNADError).message).toMatch(/within 700 ms \(timeoutMs\)$/);
      expect(server.requests).toHaveLength(1);
    } finally {
      await c.close();
    }
  });

  it('after retries, the TimeoutError says how many attempts were made', async () => {
    server = await hostileServer((_req, res) => trickle(res, 100));
    const c = new PTNADClient(server.url, { timeoutMs: 300, maxRetries: 2 });
    try {
      const err = await c.monitoring.getStatus().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as PTNADError).message).toMatch(/within 300 ms \(timeoutMs\); gave up after 3 attempts$/);
      expect(server.requests).toHaveLength(3);
    } finally {
      await c.close();
    }
  });

  it('a download that keeps flowing for longer than timeoutMs completes (idle timeout only)', async () => {
    const chunks = 12;
    server = await hostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(`chunk${sent}\n`);
        if (++sent === chunks) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
      res.on('close', () => clearInterval(timer));
    });
    // 12 chunks 100 ms apart take about 1.2 s in all, well past the 800 ms timeout, with no pause near it.
    const c = new PTNADClient(server.url, { timeoutMs: 800, maxRetries: 0 });
    try {
      const target = join(tempDir(), 'flow.zip');
      const result = await c.files.download(TASK, target);
      expect(readFileSync(target, 'utf8').split('\n').filter(Boolean)).toHaveLength(chunks);
      expect(result.bytes).toBeGreaterThan(0);
    } finally {
      await c.close();
    }
  });

  it('a download that stalls for longer than timeoutMs fails and leaves no file behind', async () => {
    server = await hostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.write('PK'); // then nothing
    });
    const c = new PTNADClient(server.url, { timeoutMs: 300, maxRetries: 0 });
    try {
      const dir = tempDir();
      const err = await c.files.download(TASK, join(dir, 'flow.zip')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PTNADError);
      expect((err as Error).message).toMatch(/paused for more than 300 ms/);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await c.close();
    }
  });
});

describe('maxResponseBytes', () => {
  const big = JSON.stringify({ status: 'green', problems: [], pad: 'x'.repeat(2 * 2 ** 20) });

  it.each([
    ['with Content-Length', true],
    ['chunked, without Content-Length', false],
  ])('an answer larger than the limit (%s) is a ResponseTooLargeError, not retried', async (_name, withLength) => {
    server = await hostileServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(withLength ? { 'content-length': String(Buffer.byteLength(big)) } : {}),
      });
      res.end(big);
    });
    const c = new PTNADClient(server.url, { maxResponseBytes: 2 ** 20, maxRetries: 2 });
    try {
      const err = await c.monitoring.getStatus().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect(err).not.toBeInstanceOf(ConnectionError);
      expect((err as ResponseTooLargeError).code).toBe('response_too_large');
      expect((err as ResponseTooLargeError).limitBytes).toBe(2 ** 20);
      expect((err as Error).message).toMatch(/too large .*maxResponseBytes is 1048576/);
      expect(server.requests).toHaveLength(1);
    } finally {
      await c.close();
    }
  });

  it('the default limit is 64 MiB: an answer that announces more is refused before its body is read', async () => {
    server = await hostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * 2 ** 20 + 1) });
      res.write('{'); // the rest never comes: a client that tried to read it would wait for its timeout
    });
    const c = new PTNADClient(server.url, { timeoutMs: 20_000, maxRetries: 0 });
    try {
      const err = await c.monitoring.getStatus().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect((err as Error).message).toMatch(/announced 67108865 bytes; maxResponseBytes is 67108864/);
    } finally {
      await c.close();
    }
  });

  it('an answer within the limit is read whole', async () => {
    server = await hostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(big);
    });
    const c = new PTNADClient(server.url, { maxResponseBytes: 4 * 2 ** 20 });
    try {
      const status = await c.monitoring.getStatus();
      expect(status.status).toBe('green');
    } finally {
      await c.close();
    }
  });

  it('applies to an injected fetch as well', async () => {
    const fake = fakeFetch(() => new Response(big, { status: 200, headers: { 'content-type': 'application/json' } }));
    const c = new PTNADClient('https://nad.test', { fetch: fake.fetch, maxResponseBytes: 2 ** 20 });
    await expect(c.monitoring.getStatus()).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(fake.requests).toHaveLength(1);
  });

  it('does not limit a streamed download', async () => {
    server = await hostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(Buffer.byteLength(big)) });
      res.end(big);
    });
    const c = new PTNADClient(server.url, { maxResponseBytes: 1024 });
    try {
      const result = await c.files.download(TASK, join(tempDir(), 'big.zip'));
      expect(result.bytes).toBe(Buffer.byteLength(big));
    } finally {
      await c.close();
    }
  });
});
