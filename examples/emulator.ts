/**
 * A test suite against the emulator (docs/guide/emulator.md): one emulator for the file on 127.0.0.1 port 0,
 * a fault that the SDK's retries ride out (proved with the request counters), session expiry without sleeping,
 * and live traffic moved by hand. Written with `node:test`, so it runs as a plain program; with vitest the same
 * goes into `beforeAll`/`afterAll` and `it`.
 *
 * Run: `npx tsx examples/emulator.ts` (always its own emulator). Exits non-zero when a test fails.
 */

import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PTNADClient } from 'ptnad-client';
import { type Emulator, startEmulator } from 'ptnad-emulator';

let emu: Emulator;
let client: PTNADClient;

before(async () => {
  // A small dataset with a fixed "now" and seed: the same data on every run.
  emu = await startEmulator({ flows: 2000, seed: 1, now: '2025-06-01T00:00:00Z', live: { rate: 10 } });
  const admin = emu.credentials.users.find((u) => u.role === 'admin' && u.source === 'local');
  if (!admin) throw new Error('the emulator has no local admin account');
  client = new PTNADClient(emu.url, { auth: { type: 'local', username: admin.username, password: admin.password } });
});

after(async () => {
  await client.close();
  await emu.close();
});

test('the seed-1 dataset is yellow with two problems', async () => {
  const status = await client.monitoring.getStatus();
  assert.equal(status.status, 'yellow');
  assert.equal(status.problems.length, 2);
});

test('two 503s in a row are retried by the SDK', async () => {
  emu.counters.reset();
  const [rule] = emu.faults.add('503@GET:/api/v2/monitoring/status:first=2');
  try {
    const status = await client.monitoring.getStatus();
    assert.equal(status.status, 'yellow');
    // Two failed attempts and the one that succeeded all reached the server.
    assert.equal(emu.counters.get('GET', '/api/v2/monitoring/status'), 3);
  } finally {
    if (rule !== undefined) emu.faults.remove(rule);
  }
});

test('an expired session is renewed without sleeping', async () => {
  await client.login();
  emu.advanceClock(2 * 3_600_000); // past the one-hour session lifetime
  emu.counters.reset();
  await client.sources.getSource(2);
  assert.equal(emu.counters.get('POST', '/api/v2/auth/login'), 1);
});

test('live flows become visible to BQL as emulator time passes', async () => {
  // `total` counts every match, whatever the LIMIT.
  const query = 'SELECT id FROM flow WHERE end > 2025.06.01 LIMIT 1';
  const before = (await client.bql.executeRaw(query)).total;
  const arrived = emu.live?.tick(60_000) ?? [];
  assert.ok(arrived.length > 0);
  const after = (await client.bql.executeRaw(query)).total;
  assert.equal(after - before, arrived.length);
});
