/**
 * Proof for the network sinks and the signal contract, against the emulator in live mode and real local
 * receivers: a webhook receiver that answers 503 to 10% of requests and resets 2% of connections (every event
 * arrives at least once, none is lost); syslog to real TCP, UDP and TLS listeners with every frame parsed back
 * (RFC 5424 header, octet counting, JSON and CEF); SIGTERM drains, saves and exits 0.
 */
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { type Emulator, TEST_CERT_PATH } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOctetFrames, parseSyslogMessage } from '../src/watch/syslog-format.js';
import { assertBuilt, isolatedEnv } from './harness.js';
import { liveEmulator, prng, startWatcher, until, type Watcher } from './watch-helpers.js';

let emu: Emulator;
const closers: Array<() => void> = [];
beforeAll(async () => {
  assertBuilt();
  emu = await liveEmulator(30, 9, 0.5);
});
afterAll(async () => {
  for (const c of closers) c();
  await emu.close();
});

/** Starts a watcher with a state file and resolves once it pinned its start (so ticks after this count). */
async function started(args: string[]): Promise<{ w: Watcher; state: string }> {
  const state = join(mkdtempSync(join(tmpdir(), 'ptnad-watch-')), 'state.json');
  const w = startWatcher(emu, [...args, '--state', state], isolatedEnv().env);
  await until(() => existsSync(state) || w.child.exitCode !== null, 'the watcher to start');
  expect(w.stderr()).toBe('');
  return { w, state };
}

/** Ticks live time and returns the ids of the new alerts. */
function newAlerts(seconds: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < seconds; i++)
    for (const a of emu.live?.tick(1000) ?? []) ids.push(...a.flow.alert.map((x) => x.id));
  return ids;
}

async function sigterm(w: Watcher): Promise<number | null> {
  w.child.kill('SIGTERM');
  return (await w.exited).code;
}

describe('ptnad watch sinks', () => {
  it('webhook: with 10% 503s and 2% connection resets, every event arrives at least once', async () => {
    const rand = prng(503);
    const received = new Map<string, number>();
    let failures503 = 0;
    let resets = 0;
    const server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = rand();
        if (r < 0.02) {
          resets++;
          req.socket.destroy();
          return;
        }
        if (r < 0.12) {
          failures503++;
          res.writeHead(503, { 'retry-after': '0' }).end('{"status":"ERROR"}');
          return;
        }
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; type: string };
        expect(event.type).toBe('alert');
        received.set(event.id, (received.get(event.id) ?? 0) + 1);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/token123`;
    const { w, state } = await started(['attacks', '--sink', `webhook:${url}`]);
    const expected = newAlerts(20);
    expect(expected.length).toBeGreaterThan(100);
    await until(() => expected.every((id) => received.has(id)), 'every alert at the receiver', 120_000);
    expect(await sigterm(w)).toBe(0);
    expect(failures503).toBeGreaterThan(5);
    expect(resets).toBeGreaterThan(0);
    expect([...received.keys()].sort()).toEqual([...expected].sort());
    // The status messages name the sink without the URL's path (it may hold a token).
    expect(w.stderr()).not.toContain('token123');
    expect(w.stderr()).toMatch(/stopped; \d+ events delivered/);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { checkpoint: { after?: string } };
    expect(saved.checkpoint.after).toBeDefined();
  }, 180_000);

  it('webhook with --template: the body is the template filled in with each event', async () => {
    const bodies: Array<{ text: string; id: string; ip: string }> = [];
    const server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const template = join(mkdtempSync(join(tmpdir(), 'ptnad-watch-')), 'body.json');
    writeFileSync(template, '{"text": {{msg}}, "id": {{id}}, "ip": {{attacker.ip}}}');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const { w } = await started(['attacks', '--sink', `webhook:${url}`, '--template', template]);
    const expected = newAlerts(4);
    await until(() => bodies.length >= expected.length, 'every templated body', 60_000);
    expect(await sigterm(w)).toBe(0);
    expect(bodies.map((b) => b.id).sort()).toEqual([...expected].sort());
    for (const b of bodies) {
      expect(Object.keys(b).sort()).toEqual(['id', 'ip', 'text']);
      expect(typeof b.text).toBe('string');
    }
  }, 120_000);

  it('syslog over TCP: RFC 5424 with octet counting, JSON messages, stable ids in structured data', async () => {
    const messages: string[] = [];
    const server: Server = createTcpServer((socket) => {
      let buf: Buffer = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        const parsed = parseOctetFrames(Buffer.concat([buf, d]));
        messages.push(...parsed.messages);
        buf = parsed.rest;
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const { w } = await started(['attacks', '--sink', `syslog+tcp://127.0.0.1:${port}`]);
    const expected = newAlerts(8);
    await until(() => messages.length >= expected.length, 'every syslog frame', 60_000);
    expect(await sigterm(w)).toBe(0);
    const ids = messages.map((m) => {
      const f = parseSyslogMessage(m);
      if (!f) throw new Error(`not RFC 5424: ${m.slice(0, 120)}`);
      expect(f.version).toBe(1);
      expect(f.app).toBe('ptnad');
      expect(f.msgId).toBe('alert');
      expect([130, 132, 133]).toContain(f.pri); // local0 with severity crit/warning/notice
      const body = JSON.parse(f.msg) as { id: string; sid: number; pr: number };
      expect(f.sd).toBe(`[ptnad@32473 id="${body.id}" type="alert"]`);
      expect(f.pri).toBe(16 * 8 + (body.pr <= 1 ? 2 : body.pr === 2 ? 4 : 5));
      return body.id;
    });
    expect(ids.sort()).toEqual([...expected].sort());
  }, 120_000);

  it('syslog over UDP with CEF messages: one datagram per event, parsed back', async () => {
    const messages: string[] = [];
    const socket = createSocket('udp4');
    socket.on('message', (m) => messages.push(m.toString('utf8')));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    closers.push(() => socket.close());
    const port = socket.address().port;
    const { w } = await started(['attacks', '--sink', `syslog+udp://127.0.0.1:${port}`, '--format', 'cef']);
    const expected = newAlerts(5);
    await until(() => messages.length >= expected.length, 'every datagram', 60_000);
    expect(await sigterm(w)).toBe(0);
    const ids = messages.map((m) => {
      const f = parseSyslogMessage(m);
      expect(f?.msg).toMatch(/^CEF:0\|Positive Technologies\|PT NAD\|[^|]+\|\d+\|/);
      const ext = /externalId=(\S+)/.exec(f?.msg ?? '')?.[1];
      expect(f?.sd).toBe(`[ptnad@32473 id="${ext}" type="alert"]`);
      return ext;
    });
    expect(ids.sort()).toEqual([...expected].sort());
  }, 120_000);

  it('syslog over TLS verifies the receiver with --sink-ca and frames like TCP', async () => {
    const cert = readFileSync(TEST_CERT_PATH, 'utf8');
    const key = readFileSync(join(dirname(TEST_CERT_PATH), 'localhost-key.pem'), 'utf8');
    const messages: string[] = [];
    const server = createTlsServer({ cert, key }, (socket) => {
      let buf: Buffer = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        const parsed = parseOctetFrames(Buffer.concat([buf, d]));
        messages.push(...parsed.messages);
        buf = parsed.rest;
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const args = ['flows', '--filter', "app_proto == 'dns'", '--sink', `syslog+tls://localhost:${port}`];
    const { w } = await started([...args, '--sink-ca', TEST_CERT_PATH]);
    const expected: string[] = [];
    for (let i = 0; i < 5; i++) {
      for (const a of emu.live?.tick(1000) ?? []) if (a.flow.app_proto === 'dns') expected.push(a.flow.id);
    }
    expect(expected.length).toBeGreaterThan(5);
    await until(() => messages.length >= expected.length, 'every TLS frame', 60_000);
    expect(await sigterm(w)).toBe(0);
    const ids = messages.map((m) => (JSON.parse(parseSyslogMessage(m)?.msg ?? '{}') as { id: string }).id);
    expect(ids.sort()).toEqual([...expected].sort());
  }, 120_000);
});
