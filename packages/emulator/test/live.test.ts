// Live mode and outbound webhooks: flows keep arriving as emulator time is ticked (never wall time), late rows
// appear after their `end`, the same seed gives the same traffic, and each new alert is POSTed to a receiver.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AlertWebhookDocument, type Emulator, LIVE_MAX_DELAY_MS, LIVE_MAX_FLOW_MS } from 'ptnad-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../src/cli-args.js';
import { startSmall } from './helpers.js';

const emus: Emulator[] = [];
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(emus.map((e) => e.close()));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

async function live(options: Parameters<typeof startSmall>[0] = {}): Promise<Emulator> {
  const emu = await startSmall({ flows: 500, live: { rate: 50, seed: 7 }, ...options });
  emus.push(emu);
  return emu;
}

async function bql(emu: Emulator, text: string): Promise<{ result: unknown[][]; total: number }> {
  const res = await fetch(`${emu.url}/api/v2/bql`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emu.credentials.apiKey}`, 'Content-Type': 'text/plain' },
    body: text,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { result: unknown[][]; total: number };
}

describe('live mode', () => {
  it('adds flows as emulator time passes, visible to BQL and the detail route', async () => {
    const emu = await live();
    const before = (await bql(emu, 'SELECT id FROM flow LIMIT 1')).total;
    const arrivals = emu.live?.tick(60_000) ?? [];
    // 50 flows/s for a minute, minus the few still being "indexed" at the end.
    expect(arrivals.length).toBeGreaterThan(2700);
    expect(arrivals.length).toBeLessThan(3300);
    const after = (await bql(emu, 'SELECT id FROM flow LIMIT 1')).total;
    expect(after - before).toBe(arrivals.length);
    const first = arrivals[0]?.flow;
    if (!first) throw new Error('no arrival');
    const res = await fetch(`${emu.url}/api/v2/flow/${first.id}`, {
      headers: { Authorization: `Bearer ${emu.credentials.apiKey}` },
    });
    expect(res.status).toBe(200);
    // Every live flow ended before it became visible, within the documented bounds.
    for (const a of arrivals) {
      expect(a.visibleAt).toBeGreaterThanOrEqual(a.flow.end + 100);
      expect(a.visibleAt - a.flow.end).toBeLessThanOrEqual(LIVE_MAX_DELAY_MS);
      expect(a.flow.end - a.flow.start).toBeLessThanOrEqual(LIVE_MAX_FLOW_MS);
      for (const al of a.flow.alert) expect(al.ts >= a.flow.start && al.ts <= a.flow.end).toBe(true);
    }
    // Some rows arrive late: visible after a row with a later `end` was already visible.
    let maxEnd = 0;
    let late = 0;
    for (const a of arrivals) {
      if (a.flow.end < maxEnd) late++;
      maxEnd = Math.max(maxEnd, a.flow.end);
    }
    expect(late).toBeGreaterThan(100);
    expect(arrivals.some((a) => a.flow.alert.length > 0)).toBe(true);
  });

  it('is deterministic for a seed, whatever the tick sizes', async () => {
    const a = await live();
    const b = await live();
    const c = await live({ live: { rate: 50, seed: 8 } });
    const big = (a.live?.tick(30_000) ?? []).map((x) => x.flow.id);
    const small: string[] = [];
    for (let i = 0; i < 300; i++) small.push(...(b.live?.tick(100) ?? []).map((x) => x.flow.id));
    expect(small).toEqual(big);
    const other = (c.live?.tick(30_000) ?? []).map((x) => x.flow.id);
    expect(other).not.toEqual(big);
    const q = 'SELECT id, end, app_proto, src.ip, alert.sid FROM flow ORDER BY end DESC, id DESC LIMIT 200';
    expect((await bql(b, q)).result).toEqual((await bql(a, q)).result);
  });

  it('serves new alerts through FROM alert in time order queries', async () => {
    const emu = await live({ live: { rate: 50, seed: 7, attackShare: 0.5 } });
    const arrivals = emu.live?.tick(20_000) ?? [];
    const alerts = arrivals.flatMap((a) => a.flow.alert.map((al) => al.id));
    expect(alerts.length).toBeGreaterThan(50);
    // Live flows may start up to LIVE_MAX_FLOW_MS before the dataset's now, so their alerts too.
    const since = emu.state.dataset.now - LIVE_MAX_FLOW_MS;
    const { result } = await bql(emu, `SELECT id FROM alert WHERE ts >= ${since} LIMIT 100000`);
    const served = new Set(result.map((r) => r[0]));
    expect(alerts.filter((id) => !served.has(id))).toEqual([]);
  });

  it('rejects a bad rate and a webhook without live mode', async () => {
    await expect(startSmall({ live: { rate: 0 } })).rejects.toThrow(/positive number/);
    await expect(startSmall({ webhook: 'http://127.0.0.1:9/x' })).rejects.toThrow(/needs live mode/);
    expect(() => parseCli(['--live', 'fast'])).toThrow(UsageError);
    expect(() => parseCli(['--webhook', 'http://127.0.0.1/x'])).toThrow(/needs --live/);
    expect(() => parseCli(['--live', '5', '--webhook', 'ftp://x'])).toThrow(/http/);
    const cmd = parseCli(['--live', '2.5', '--webhook', 'http://127.0.0.1:8080/hook']);
    expect(cmd.kind === 'run' && cmd.options.live).toEqual({ rate: 2.5, clock: 'wall' });
  });
});

/** A webhook receiver: answers each POST with what `answer` says (a status, or 'reset'). */
async function receiver(
  answer: (n: number) => number | 'reset',
): Promise<{ url: string; docs: AlertWebhookDocument[] }> {
  const docs: AlertWebhookDocument[] = [];
  let n = 0;
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const what = answer(n++);
    if (what === 'reset') {
      req.socket.destroy();
      return;
    }
    if (what === 200) docs.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertWebhookDocument);
    res.writeHead(what, { 'content-type': 'application/json', ...(what === 429 ? { 'retry-after': '0' } : {}) });
    res.end(JSON.stringify({ status: what === 200 ? 'OK' : 'ERROR' }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/secret`, docs };
}

describe('outbound webhook', () => {
  it("posts each new alert as NAD-Alert-Bot's document, in order, retrying 5xx, 429 and resets", async () => {
    // Deterministic failures: every 7th request 503, every 11th 429, every 13th reset.
    const rx = await receiver((n) => (n % 7 === 3 ? 503 : n % 11 === 5 ? 429 : n % 13 === 8 ? 'reset' : 200));
    const emu = await live({ live: { rate: 50, seed: 3, attackShare: 0.5 }, webhook: { url: rx.url, retryBaseMs: 1 } });
    const arrivals = emu.live?.tick(10_000) ?? [];
    await emu.live?.webhook?.idle();
    const expected = arrivals.flatMap((a) => a.flow.alert.map((al) => `${a.flow.id}/${al.sid}/${al.id}`));
    expect(expected.length).toBeGreaterThan(20);
    const got = rx.docs.map((d) => `${d.flow_id}/${d.alert.s_id}`);
    expect(got).toEqual(expected.map((e) => e.split('/').slice(0, 2).join('/')));
    expect(emu.live?.webhook?.stats.failed).toBe(0);
    const doc = rx.docs[0] as AlertWebhookDocument;
    const flow = arrivals.find((a) => a.flow.id === doc.flow_id)?.flow;
    const alert = flow?.alert.find((a) => a.sid === doc.alert.s_id);
    expect(Object.keys(doc).sort()).toEqual(
      ['alert', 'app_proto', 'dst', 'flow_id', 'flow_url', 'proto', 'src', 'ts_start', 'type'].sort(),
    );
    expect(doc.type).toBe('alert');
    expect(doc.flow_url).toBe(`${emu.url}/#/flows/${doc.flow_id}`);
    expect(doc.ts_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(doc.alert).toMatchObject({ s_msg: alert?.msg, s_rev: alert?.rev, s_cls: alert?.cls, s_pr: alert?.pr });
    expect(Object.keys(doc.src).sort()).toEqual(['geo', 'host_id', 'ip', 'mac', 'port']);
  });

  it('gives up on a 4xx answer and reports it, without stopping live mode', async () => {
    const rx = await receiver(() => 404);
    const errors: string[] = [];
    const emu = await live({
      live: { rate: 20, seed: 3, attackShare: 1 },
      webhook: { url: rx.url, retryBaseMs: 1 },
      onError: (e) => errors.push(String(e)),
    });
    const n = (emu.live?.tick(2_000) ?? []).reduce((s, a) => s + a.flow.alert.length, 0);
    await emu.live?.webhook?.idle();
    expect(n).toBeGreaterThan(0);
    expect(emu.live?.webhook?.stats).toMatchObject({ delivered: 0, failed: n, attempts: n });
    expect(errors[0]).toMatch(/HTTP 404 \(not retried\)/);
  });
});
