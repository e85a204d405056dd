// The default dataset as clients see it, pinned: digests of every flow and alert row BQL returns, of sampled flow
// and alert details, and of the hosts, storages and reputation lists, for one fixed seed. A change to how the
// generator builds or stores flows (speed, memory) must leave all of them equal; a deliberate change of the
// visible dataset updates the pins here and says why in its commit.
import { createHash } from 'node:crypto';
import type { Emulator } from 'ptnad-emulator';
import { startEmulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, walk } from './helpers.js';

const NOW = '2025-06-01T12:00:00Z';
let emu: Emulator;
let call: ReturnType<typeof bearer>;

beforeAll(async () => {
  emu = await startEmulator({ seed: 1, flows: 20_000, now: NOW, port: 0 });
  call = bearer(emu.url, emu.credentials.apiKey);
});
afterAll(() => emu.close());

/** sha256 of values as JSON (parsed and re-serialised, so only content counts, not the server's formatting). */
function digest(values: unknown): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 16);
}

async function bql(text: string): Promise<{ result: unknown[][]; total: number }> {
  const res = await fetch(`${emu.url}/api/v2/bql`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emu.credentials.apiKey}`, 'Content-Type': 'text/plain' },
    body: text,
  });
  const body = (await res.json()) as { result: unknown[][]; total: number };
  if (res.status !== 200) throw new Error(`${text}: ${res.status} ${JSON.stringify(body)}`);
  // `took` is the query's wall time: the only part of the answer that may differ between runs.
  return { result: body.result, total: body.total };
}

/** Every row of `SELECT * FROM <table>` in keyset pages of `ORDER BY <time> asc, id asc`. */
async function everyRow(table: 'flow' | 'alert', time: 'end' | 'ts'): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  let where = '';
  for (;;) {
    const page = await bql(`SELECT *, ${time}, id FROM ${table} ${where} ORDER BY ${time} asc, id asc LIMIT 2500`);
    rows.push(...page.result);
    if (page.result.length < 2500) return rows;
    const last = page.result[page.result.length - 1] as unknown[];
    const [t, id] = [last[1] as string, last[2] as string];
    where = `WHERE ${time} > '${t}' OR (${time} == '${t}' AND id > '${id}')`;
  }
}

describe('the default dataset (seed 1, 20,000 flows) is pinned', () => {
  it('every flow row of SELECT *', async () => {
    const rows = await everyRow('flow', 'end');
    expect(rows).toHaveLength(20_000);
    expect(digest(rows)).toBe('40ff50227d0dfe0a');
  });

  it('every alert row of SELECT *', async () => {
    const rows = await everyRow('alert', 'ts');
    expect(rows.length).toBeGreaterThan(500);
    expect(digest(rows)).toBe('2fe1749f9f39e2af');
  });

  it('projections, filters and aggregates the examples use', async () => {
    const answers = await Promise.all(
      [
        'SELECT start, end, src.ip, dst.ip, dst.port, app_proto, bytes.total, pkts.total, tcp.flags, state, flags FROM flow LIMIT 20000',
        "SELECT id, http.rqs.url, http.rsp.code FROM flow WHERE app_proto == 'http' LIMIT 20000",
        'SELECT id, dns.rqs.name, tls.server_name, files.md5, rpt.cat, credentials.user FROM flow LIMIT 20000',
        "SELECT count(*), dst.port FROM flow WHERE src.groups == 'HOME_NET' GROUP BY dst.port",
        'SELECT msg, sid, attacker.ip, victim.ip, ts FROM alert LIMIT 20000',
      ].map(bql),
    );
    expect(digest(answers)).toBe('9188033bbd4f3284');
  });

  it('flow and alert details of every 97th flow', async () => {
    const ids = (await bql('SELECT id FROM flow LIMIT 20000')).result.map((r) => r[0] as string);
    const details: unknown[] = [];
    for (let i = 0; i < ids.length; i += 97) {
      const flow = (await call('GET', `/api/v2/flow/${ids[i]}`)).body as { alert?: Array<{ id: string }> };
      details.push(flow);
      const alertId = flow.alert?.[0]?.id;
      if (alertId !== undefined) details.push((await call('GET', `/api/v2/flow/${ids[i]}/alert/${alertId}`)).body);
    }
    expect(digest(details)).toBe('da722f4252d0dd71');
  });

  it('hosts, storages and reputation lists', async () => {
    const hosts = await walk(`${emu.url}/api/v2/hosts?limit=100`, (u) => call('GET', u));
    const sources = (await call('GET', '/api/v2/sources')).body;
    const lists = (await call('GET', '/api/v2/replists')).body as { results: Array<{ id: number }> };
    const contents = [];
    for (const l of lists.results) contents.push((await call('GET', `/api/v2/replists/${l.id}`)).body);
    expect(digest({ hosts, sources, contents })).toBe('86451a1f9d27cec9');
  });
});
