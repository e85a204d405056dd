import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, InternalServerError, PTNADClient, TimeoutError } from '../src/index.js';
import { account, adminClient, emulator, hits } from './helpers/emulator.js';
import { memoryLogger } from './helpers/fake-fetch.js';

let emu: Emulator;
const clients: PTNADClient[] = [];
const track = (c: PTNADClient) => {
  clients.push(c);
  return c;
};

beforeAll(async () => {
  emu = await emulator({ tls: true });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emu.close();
});

function local(options: ConstructorParameters<typeof PTNADClient>[1] = {}) {
  const admin = account(emu, 'admin');
  return track(
    new PTNADClient(emu.url, {
      auth: { type: 'local', username: admin.username, password: admin.password },
      ...options,
    }),
  );
}

describe('TLS', () => {
  it('by default rejects the self-signed certificate with a clear, typed error', async () => {
    const err = (await local()
      .login()
      .catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.tls).toBe(true);
    expect(err.message).toMatch(
      /TLS certificate verification failed for https:\/\/127\.0\.0\.1:\d+\/api\/v2\/auth\/login/,
    );
    expect(err.message).toMatch(/"ca" option/);
  });

  it('verifySsl: false connects (and local auth passes the HTTPS Referer check on writes)', async () => {
    const c = local({ verifySsl: false, logLevel: 'off' });
    const list = await c.replists.createList({ name: 'tls-insecure', type: 'ip', color: '1' });
    await c.replists.deleteList(list.id);
  });

  it('ca: <pem> connects with verification on', async () => {
    expect(emu.caPem).toMatch(/BEGIN CERTIFICATE/);
    const c = local({ ca: emu.caPem });
    const status = await c.monitoring.getStatus();
    expect(typeof status.status).toBe('string');
  });
});

describe('retries under fault injection', () => {
  it('a GET after 503 is retried, waiting what Retry-After says', async () => {
    const log = memoryLogger();
    const c = adminClient(emu, { logger: log.logger, logLevel: 'debug' });
    track(c);
    await c.login();
    const before = hits(emu, 'GET', '/api/v2/sources');
    const ids = emu.faults.add('503@GET:/api/v2/sources:first=1:retry-after=1');
    try {
      const page = await c.sources.getSources();
      expect(page.results.length).toBeGreaterThan(0);
    } finally {
      for (const id of ids) emu.faults.remove(id);
    }
    expect(hits(emu, 'GET', '/api/v2/sources') - before).toBe(2);
    expect(log.lines.some((l) => /GET \S+\/api\/v2\/sources -> 503; retry 1 in 1000 ms \(Retry-After\)/.test(l))).toBe(
      true,
    );
  });

  it('the read-only BQL POST is retried', async () => {
    const c = track(adminClient(emu));
    await c.login();
    const ids = emu.faults.add('503@POST:/api/v2/bql:first=2:retry-after=0');
    try {
      const rows = await c.bql.execute('SELECT id FROM flow LIMIT 2');
      expect(rows).toHaveLength(2);
    } finally {
      for (const id of ids) emu.faults.remove(id);
    }
  });

  it('a state-changing POST that reached the server is not retried', async () => {
    const c = track(adminClient(emu));
    await c.login();
    const before = hits(emu, 'POST', '/api/v2/replists');
    // `after`: the handler runs (the list is created), then the reply is replaced by a 503.
    const ids = emu.faults.add('503@POST:/api/v2/replists:first=1:after:retry-after=0');
    try {
      await expect(c.replists.createList({ name: 'reached-once', type: 'ip', color: '5' })).rejects.toBeInstanceOf(
        InternalServerError,
      );
    } finally {
      for (const id of ids) emu.faults.remove(id);
    }
    expect(hits(emu, 'POST', '/api/v2/replists') - before).toBe(1);
    const found = (await c.replists.getLists({ search: 'reached-once' })).results;
    expect(found.map((l) => l.name)).toEqual(['reached-once']);
    await c.replists.deleteList((found[0] as { id: number }).id);
  });

  it('a connection reset on a POST is reported, not replayed; on a GET it is retried', async () => {
    const c = track(adminClient(emu));
    await c.login();
    let ids = emu.faults.add('reset@POST:/api/v2/variables:first=1');
    try {
      const err = await c.variables.createGroup({ name: 'RESET_NET', value: '10.9.0.0/16' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
    } finally {
      for (const id of ids) emu.faults.remove(id);
    }
    ids = emu.faults.add('reset@GET:/api/v2/sensors:first=1');
    try {
      expect(Array.isArray(await c.sensors.getSensors())).toBe(true);
    } finally {
      for (const id of ids) emu.faults.remove(id);
    }
  });

  it('timeout and abort are distinct errors', async () => {
    const c = track(adminClient(emu, { maxRetries: 0 }));
    await c.login();
    const ids = emu.faults.add('latency=3000@GET:/api/v2/signatures/stats');
    try {
      const timedOut = await c.signatures.getStats({ timeoutMs: 150 }).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(TimeoutError);
      const ac = new AbortController();
      const pending = c.signatures.getStats({ signal: ac.signal }).catch((e: unknown) => e);
      setImmediate(() => ac.abort());
      const aborted = await pending;
      expect(aborted).toBeInstanceOf(AbortError);
      expect(aborted).not.toBeInstanceOf(TimeoutError);
    } finally {
      for (const id of ids) emu.faults.remove(id);
    }
  });
});
