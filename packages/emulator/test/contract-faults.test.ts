// Fault injection: SPEC parsing, deterministic triggers, resets, truncation, expiry, `after` mode and counters.
import { type Emulator, FaultSpecError, parseFaultSpec } from 'ptnad-emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, SessionClient, startSmall } from './helpers.js';

let emu: Emulator;
let call: ReturnType<typeof bearer>;

beforeAll(async () => {
  emu = await startSmall({ flows: 500, faults: '418@GET:/api/v2/sensors/999:first=1' });
  call = bearer(emu.url, emu.credentials.apiKey);
});
afterEach(() => emu.faults.clear());
afterAll(() => emu.close());

const statuses = async (path: string, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call('GET', path)).status);
  return out;
};

describe('fault SPEC parsing', () => {
  it('applies the start-up SPEC (first test: afterEach clears the rules)', async () => {
    expect(await statuses('/api/v2/sensors/999', 2)).toEqual([418, 404]);
  });
  it('parses targets, options and several rules', () => {
    expect(
      parseFaultSpec('503@GET:/api/v2/monitoring/*:every=3;reset:p=0.02:seed=7;latency=5@/api/v2/bql:after'),
    ).toEqual([
      { action: { kind: 'status', status: 503 }, method: 'GET', path: '/api/v2/monitoring/*', every: 3 },
      { action: { kind: 'reset' }, probability: 0.02, seed: 7 },
      { action: { kind: 'latency', ms: 5 }, path: '/api/v2/bql', after: true },
    ]);
    expect(parseFaultSpec('429@POST:retry-after=7')).toEqual([
      { action: { kind: 'status', status: 429, retryAfter: 7 }, method: 'POST' },
    ]);
  });
  it('names the rule and the problem in errors', () => {
    expect(() => parseFaultSpec('503;boom')).toThrow(FaultSpecError);
    expect(() => parseFaultSpec('503;boom')).toThrow(/fault rule 2 \("boom"\): unknown action "boom"/);
    expect(() => parseFaultSpec('200')).toThrow(/not an error status/);
    expect(() => parseFaultSpec('503:p=2')).toThrow(/p must be a number in 0..1/);
    expect(() => parseFaultSpec('503@FETCH:/x')).toThrow(/unknown method "FETCH"/);
    expect(() => parseFaultSpec('reset:retry-after=1')).toThrow(/retry-after only applies/);
  });
});

describe('fault triggers', () => {
  it('fires every Nth matching request only on the targeted route', async () => {
    emu.faults.add('503@GET:/api/v2/monitoring/*:every=3');
    expect(await statuses('/api/v2/monitoring/status', 6)).toEqual([200, 200, 503, 200, 200, 503]);
    expect(await statuses('/api/v2/sensors', 3)).toEqual([200, 200, 200]);
  });
  it('fires for the first N requests with Retry-After on 429', async () => {
    emu.faults.add('429@/api/v2/sensors:first=2:retry-after=3');
    const r = await call('GET', '/api/v2/sensors');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(await statuses('/api/v2/sensors', 2)).toEqual([429, 200]);
  });
  it('is reproducible with a probability and a seed', async () => {
    emu.faults.add('500@/api/v2/sensors:p=0.5:seed=42');
    const first = await statuses('/api/v2/sensors', 20);
    emu.faults.clear();
    emu.faults.add('500@/api/v2/sensors:p=0.5:seed=42');
    expect(await statuses('/api/v2/sensors', 20)).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });
  it('resets the connection before responding', async () => {
    emu.faults.add('reset@/api/v2/sensors:first=1');
    await expect(
      fetch(`${emu.url}/api/v2/sensors`, { headers: { Authorization: `Bearer ${emu.credentials.apiKey}` } }),
    ).rejects.toThrow();
    expect((await call('GET', '/api/v2/sensors')).status).toBe(200);
  });
  it('truncates the body (Content-Length larger than what arrives)', async () => {
    emu.faults.add('truncate@/api/v2/sensors:first=1');
    const res = await fetch(`${emu.url}/api/v2/sensors`, {
      headers: { Authorization: `Bearer ${emu.credentials.apiKey}` },
    });
    await expect(res.text()).rejects.toThrow();
  });
  it('adds latency without changing the answer', async () => {
    emu.faults.add('latency=20@/api/v2/sensors');
    expect(await statuses('/api/v2/sensors', 1)).toEqual([200]);
  });
  it('forces session expiry', async () => {
    const s = await SessionClient.login(emu.url, 'administrator', 'Administr@t0r');
    emu.faults.add('expire@/api/v2/monitoring/status:first=1');
    expect((await s.json('GET', '/api/v2/monitoring/status')).status).toBe(401);
    expect((await s.json('GET', '/api/v2/sensors')).status).toBe(401);
  });
});

describe('before and after modes', () => {
  it('a faulted POST before the handler changes nothing; in after mode the change happened', async () => {
    emu.faults.add('503@POST:/api/v2/replists:first=1');
    expect((await call('POST', '/api/v2/replists', { name: 'fault_before', type: 'ip' })).status).toBe(503);
    expect(((await call('GET', '/api/v2/replists?search=fault_before')).body as { count: number }).count).toBe(0);
    emu.faults.clear();
    emu.faults.add('502@POST:/api/v2/replists:first=1:after');
    expect((await call('POST', '/api/v2/replists', { name: 'fault_after', type: 'ip' })).status).toBe(502);
    expect(((await call('GET', '/api/v2/replists?search=fault_after')).body as { count: number }).count).toBe(1);
  });
});

describe('latency and close()', () => {
  it('close() does not wait for a pending latency fault', async () => {
    const other = await startSmall({ flows: 100, faults: 'latency=600000@/api/v2/sensors' });
    const pending = fetch(`${other.url}/api/v2/sensors`, {
      headers: { Authorization: `Bearer ${other.credentials.apiKey}` },
    });
    const failed = pending.then(
      () => false,
      () => true,
    );
    // Poll the counter (not the clock) until the request is inside the server.
    while (other.counters.total === 0) await new Promise((r) => setImmediate(r));
    await other.close();
    expect(await failed).toBe(true);
  });
});

describe('request counters', () => {
  it('counts requests per route, including faulted and unmatched ones', async () => {
    emu.counters.reset();
    emu.faults.add('500@/api/v2/replists/*:first=1');
    await call('GET', '/api/v2/replists/1');
    await call('GET', '/api/v2/replists/2');
    await call('GET', '/api/v2/nowhere');
    expect(emu.counters.get('GET', '/api/v2/replists/:id')).toBe(2);
    expect(emu.counters.snapshot()).toEqual({ 'GET /api/v2/replists/:id': 2, 'GET <unmatched>': 1 });
    expect(emu.counters.total).toBe(3);
  });
});
