import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, PTNADClient, ResponseTooLargeError, TimeoutError } from '../src/index.js';
import { account, emulator } from './helpers/emulator.js';
import { hostileServer, trickle } from './helpers/hostile-server.js';

let emu: Emulator;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  emu = await emulator({ flows: 200 });
  // A minimal CONNECT proxy: records each tunnel target and pipes bytes both ways.
  proxy = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  proxy.on('connect', (req, client: Socket) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await emu.close();
});

describe('proxy', () => {
  it('sends every request through the configured proxy', async () => {
    const admin = account(emu, 'admin');
    const c = new PTNADClient(emu.url, {
      proxy: proxyUrl,
      auth: { type: 'local', username: admin.username, password: admin.password },
    });
    try {
      const page = await c.replists.getLists({ limit: 3 });
      expect(page.results.length).toBeGreaterThan(0);
      expect(tunnels.length).toBeGreaterThan(0);
      expect(tunnels.every((t) => t === `127.0.0.1:${emu.port}`)).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('a proxy that is down is a ConnectionError', async () => {
    const c = new PTNADClient(emu.url, { proxy: 'http://127.0.0.1:1', maxRetries: 0 });
    try {
      await expect(c.monitoring.getStatus()).rejects.toBeInstanceOf(ConnectionError);
    } finally {
      await c.close();
    }
  });

  it('through the proxy too, a body that trickles ends at timeoutMs and a large answer is refused', async () => {
    const server = await hostileServer((req, res) => {
      if (req.url?.includes('monitoring')) trickle(res, 100);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pad: 'x'.repeat(5000) }));
    });
    const c = new PTNADClient(server.url, { proxy: proxyUrl, timeoutMs: 600, maxRetries: 0, maxResponseBytes: 1000 });
    try {
      await expect(c.monitoring.getStatus()).rejects.toBeInstanceOf(TimeoutError);
      await expect(c.get('sources')).rejects.toBeInstanceOf(ResponseTooLargeError);
      expect(tunnels.at(-1)).toBe(new URL(server.url).host);
    } finally {
      await c.close();
      await server.close();
    }
  });
});
