import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bql } from 'ptnad-client/bql';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BqlQueryError, CommitError, NotFoundError, type PTNADClient, ValidationError } from '../src/index.js';
import { adminClient, emulator } from './helpers/emulator.js';

let emu: Emulator;
let c: PTNADClient;
let dir: string;

beforeAll(async () => {
  emu = await emulator();
  c = adminClient(emu);
  dir = await mkdtemp(join(tmpdir(), 'ptnad-client-it-'));
});
afterAll(async () => {
  await c.close();
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

const WEEK_START = Date.parse('2025-05-25T00:00:00Z');
const WEEK_END = Date.parse('2025-06-01T00:00:00Z');

describe('bql', () => {
  it('execute runs the README usage query; executeRaw gives total and took', async () => {
    const rows = await c.bql.execute('SELECT src.ip, dst.ip, proto FROM flow WHERE end > 2025.05.29 LIMIT 10');
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row).toHaveLength(3);
    const raw = await c.bql.executeRaw('SELECT id FROM flow LIMIT 1');
    expect(raw.result).toHaveLength(1);
    expect(raw.total).toBeGreaterThan(1);
  });

  it('query maps rows to objects; the builder result is accepted', async () => {
    const objects = await c.bql.query(bql`SELECT src.ip, dst.port FROM flow WHERE dst.port == ${53} LIMIT 5`);
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) expect(Object.keys(o)).toEqual(['src.ip', 'dst.port']);
    for (const o of objects) expect(o['dst.port']).toBe(53);
  });

  it('a query the server rejects is a BqlQueryError', async () => {
    await expect(c.bql.execute('SELECT src.ip FROM nosuchtable')).rejects.toBeInstanceOf(BqlQueryError);
  });

  it('validate works offline and suggests fixes', () => {
    const diags = c.bql.validate('SELECT src.ip FROM flow WHERE dst.prot == 80');
    expect(diags.some((d) => d.suggestion === 'dst.port')).toBe(true);
    expect(c.bql.validate('SELECT FROM')[0]?.severity).toBe('error');
  });

  it('stream pages with keyset conditions and yields every matching row exactly once', async () => {
    const filter = "app_proto == 'dns' || app_proto == 'http'";
    const all = await c.bql.execute(`SELECT id, end FROM flow WHERE ${filter} LIMIT 100000`);
    expect(all.length).toBeGreaterThan(37 * 3);
    const streamed: string[] = [];
    for await (const [id] of c.bql.stream(`SELECT id FROM flow WHERE ${filter}`, { pageSize: 37 })) {
      streamed.push(String(id));
    }
    expect(new Set(streamed).size).toBe(streamed.length);
    expect([...streamed].sort()).toEqual(all.map((r) => String(r[0])).sort());
    const capped: unknown[] = [];
    for await (const row of c.bql.stream(`SELECT src.ip FROM flow WHERE ${filter} LIMIT 50`, { pageSize: 20 })) {
      capped.push(row);
    }
    expect(capped).toHaveLength(50);
    await expect(c.bql.stream('SELECT * FROM flow').next()).rejects.toBeInstanceOf(ValidationError);
  });

  it('stream works on alerts too (keyset on ts, id)', async () => {
    const all = await c.bql.execute('SELECT id FROM alert WHERE pr <= 2 LIMIT 100000');
    expect(all.length).toBeGreaterThan(25);
    const ids: string[] = [];
    for await (const [id] of c.bql.stream('SELECT id, msg FROM alert WHERE pr <= 2', { pageSize: 25 })) {
      ids.push(String(id));
    }
    expect(ids.length).toBe(all.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(all.map((r) => String(r[0])).sort());
  });

  it('filters.compile turns a UI filter into BQL', async () => {
    const compiled = await c.filters.compile("app_proto == 'http' && dst.port != 80");
    expect(typeof compiled).toBe('string');
    expect(compiled).toContain('app_proto');
  });
});

describe('monitoring', () => {
  it('status with rendered messages and the trigger helpers', async () => {
    const status = await c.monitoring.getStatus();
    for (const p of status.problems) expect(p.message).not.toMatch(/\{[A-Za-z_]+\}/);
    const triggers = await c.monitoring.getTriggers();
    expect(triggers.length).toBeGreaterThan(0);
    const first = triggers[0];
    if (!first) throw new Error('no triggers');
    expect((await c.monitoring.getTriggerById(first.id))?.id).toBe(first.id);
    expect(await c.monitoring.getTriggerById('no-such-trigger')).toBeUndefined();
    const active = await c.monitoring.getActiveTriggers();
    expect(active.every((t) => t.status !== 'green')).toBe(true);
    const stats = await c.monitoring.getTriggersByType('stats');
    expect(stats.every((t) => t.type === 'stats')).toBe(true);
  });
});

describe('signatures', () => {
  it('classes, rules with filters, one rule, update, stats, commit and rollback', async () => {
    const classes = await c.signatures.getClasses();
    expect(classes.results.length).toBeGreaterThan(0);
    const page = await c.signatures.getRules({ limit: 5 });
    expect(page.results).toHaveLength(5);
    const rule = page.results[0];
    if (!rule) throw new Error('no rules');
    const filtered = await c.signatures.getRules({ sid: rule.sid });
    expect(filtered.results.map((r) => r.sid)).toEqual([rule.sid]);
    expect((await c.signatures.getRule(rule.sid)).sid).toBe(rule.sid);
    const updated = await c.signatures.updateRule(rule.sid, { enabled: !rule.enabled });
    expect(updated.sid).toBe(rule.sid);
    expect(typeof (await c.signatures.getStats())).toBe('object');
    const commit = await c.signatures.applyChanges();
    expect(typeof commit.hashsum).toBe('string');
    await c.signatures.updateRule(rule.sid, { enabled: rule.enabled });
    await c.signatures.revertChanges();
    await expect(c.signatures.getRule(999_999_999)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('signatures commit failure', () => {
  it('applyChanges throws a CommitError with fatalError and otherErrors; revertChanges discards', async () => {
    const bad = await c.variables.createGroup({ name: 'BROKEN_NET', type: 'ip', value: 'not-an-ip' });
    const worse = await c.variables.createGroup({ name: 'BROKEN_PORTS', type: 'port', value: '70000' });
    const err = (await c.signatures.applyChanges().catch((e: unknown) => e)) as CommitError;
    expect(err).toBeInstanceOf(CommitError);
    expect(err.status).toBe(400);
    expect(err.fatalError).toMatch(/BROKEN_NET|BROKEN_PORTS/);
    expect(err.otherErrors.length).toBeGreaterThanOrEqual(1);
    expect(err.message).toMatch(/^Failed to apply signature changes: 400 commit failed: /);
    await c.signatures.revertChanges();
    await expect(c.variables.getGroup(bad.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.variables.getGroup(worse.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(typeof (await c.signatures.applyChanges()).hashsum).toBe('string');
  });
});

describe('replists', () => {
  it('static lists: create, get, update, list, stats, delete', async () => {
    const list = await c.replists.createList({
      name: 'it-static',
      type: 'ip',
      color: '3',
      description: 'integration',
      content: ['198.51.100.1', '198.51.100.2'],
    });
    expect(list.id).toBeGreaterThan(0);
    expect((await c.replists.getList(list.id)).items_count).toBe(2);
    const updated = await c.replists.updateList(list.id, { description: 'changed', color: 5 });
    expect(updated.description).toBe('changed');
    expect(updated.color).toBe('5');
    const found = await c.replists.getLists({ search: 'it-static' });
    expect(found.results.map((l) => l.id)).toContain(list.id);
    const all = await c.replists.getAllLists({ limit: 7 });
    expect(all.length).toBe(found.count === undefined ? all.length : all.length);
    expect(all.map((l) => l.id)).toContain(list.id);
    expect(typeof (await c.replists.getStats())).toBe('object');
    await c.replists.deleteList(list.id);
    await expect(c.replists.getList(list.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('dynamic lists: hostile values stay one path segment and round-trip', async () => {
    await c.replists.createList({ name: 'it-uri', type: 'uri', color: '1', externalKey: 'it/uri?k#1' });
    const hostile = ['http://x/a?b#c', 'http://evil.example/../../x', 'http://h/%2e%2e/'];
    for (const value of hostile) await c.replists.addDynamicListItem('it/uri?k#1', value, { score: 1 });
    await c.replists.bulkAddItems('it/uri?k#1', ['http://bulk/1', { value: 'http://bulk/2', attrs: { tag: 'x' } }]);
    const values = (await c.replists.getDynamicListItems('it/uri?k#1', { ordering: 'value' })).results.map(
      (i) => i.value,
    );
    expect(values.sort()).toEqual([...hostile, 'http://bulk/1', 'http://bulk/2'].sort());
    await c.replists.removeItem('it/uri?k#1', 'http://x/a?b#c');
    await c.replists.bulkDeleteItems('it/uri?k#1', ['http://bulk/1', 'http://bulk/2']);
    const left = (await c.replists.getDynamicListItems('it/uri?k#1')).results.map((i) => i.value);
    expect(left.sort()).toEqual(['http://evil.example/../../x', 'http://h/%2e%2e/']);
  });
});

describe('sources, sensors, variables, hosts', () => {
  it('sources', async () => {
    const sources = await c.sources.getSources();
    expect(sources.results.length).toBeGreaterThan(0);
    const live = await c.sources.getSource(2);
    expect(live.id).toBe(2);
  });

  it('sensors', async () => {
    const sensors = await c.sensors.getSensors();
    expect(sensors.length).toBeGreaterThan(0);
    const id = sensors[0]?.id;
    if (id === undefined) throw new Error('sensor without id');
    expect((await c.sensors.getSensor(id)).id).toBe(id);
  });

  it('variables: create, get, update, list, stats, delete (commit flag)', async () => {
    const g = await c.variables.createGroup({ name: 'IT_NET', value: '10.20.0.0/16', comment: 'it' });
    expect((await c.variables.getGroup(g.id)).name).toBe('IT_NET');
    expect((await c.variables.updateGroup(g.id, { comment: 'changed' })).comment).toBe('changed');
    const found = await c.variables.getGroups({ search: 'IT_NET' });
    expect(found.results.map((x) => x.id)).toContain(g.id);
    expect(typeof (await c.variables.getStats())).toBe('object');
    expect(typeof (await c.variables.deleteGroup(g.id))).toBe('boolean');
    await expect(c.variables.createGroup({ name: 'X', type: 'mac' as never })).rejects.toThrow(/"ip" or "port"/);
  });

  it('hosts: one page, every page via the cursor, one host', async () => {
    const first = await c.hosts.getHosts({ limit: 10 });
    expect(first.results).toHaveLength(10);
    const ids: Array<string | number> = [];
    for await (const h of c.hosts.getHosts({ limit: 25 })) ids.push(h.id);
    expect(new Set(ids).size).toBe(ids.length);
    if (first.count !== undefined) expect(ids.length).toBe(first.count);
    expect((await c.hosts.getAllHosts({ limit: 50 })).length).toBe(ids.length);
    const id = first.results[0]?.id;
    if (id === undefined) throw new Error('host without id');
    expect((await c.hosts.getHost(id, { historyDepth: -1 })).id).toBe(id);
  });
});

describe('flows, files, tasks', () => {
  it('flows.get and flows.getAlert', async () => {
    const [row] = await c.bql.execute('SELECT id, start, end FROM flow WHERE alert LIMIT 1');
    if (!row) throw new Error('no flow with alerts in the dataset');
    const [id, start, end] = row as [string, string, string];
    const window = { start: Date.parse(`${start}Z`) - 1000, end: Date.parse(`${end}Z`) + 1000 };
    const flow = await c.flows.get(id, window);
    expect(flow.id).toBe(id);
    const alertId = flow.alert?.[0]?.id;
    if (!alertId) throw new Error('flow detail without alerts');
    const alert = await c.flows.getAlert(id, alertId, window);
    expect(alert.id).toBe(alertId);
    expect(alert.parent ?? id).toBe(id);
  });

  it('files.extract -> tasks.wait -> download streams a ZIP to disk', async () => {
    const [row] = await c.bql.execute('SELECT id, start, end FROM flow WHERE files LIMIT 1');
    if (!row) throw new Error('no flow with files in the dataset');
    const [id, start, end] = row as [string, string, string];
    const task = await c.files.extract({ flowId: id, start: `${start}`, end: Date.parse(`${end}Z`) + 1000 });
    const states: string[] = [];
    const done = await c.tasks.wait(task.id, { pollMs: 0, onProgress: (t) => states.push(String(t.state)) });
    expect(done.state).toBe('SUCCESS');
    expect(states.at(-1)).toBe('SUCCESS');
    const dest = join(dir, 'flow.zip');
    const result = await c.files.download(done.id, dest);
    expect(result.bytes).toBeGreaterThan(0);
    const handle = await open(dest, 'r');
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    await handle.close();
    expect(head.toString('latin1')).toBe('PK');
  });
});

describe('storage.saveFlows', () => {
  it('saves once, skips on re-run, and recovers a batch a crash left uncertain', async () => {
    const target = (await c.sources.getSources()).results.find((s) => s.is_live === false);
    if (!target) throw new Error('no persistent storage in the dataset');
    const stateDir = join(dir, 'state');
    const params = {
      filter: bql`app_proto == ${'dns'}`,
      persistIdx: target.id,
      startTime: WEEK_START,
      endTime: WEEK_END,
      stateDir,
      maxFlows: 5,
      pollMs: 0,
    };
    const first = await c.storage.saveFlows(params);
    expect(first).toMatchObject({ found: 5, alreadySaved: 0, more: true, state: 'SUCCESS' });
    expect(first.submitted).toHaveLength(5);
    // The window holds more DNS flows than one run takes: a re-run skips the saved ones and takes the next five.
    const second = await c.storage.saveFlows(params);
    expect(second).toMatchObject({ found: 10, alreadySaved: 5, more: true });
    expect(second.submitted).toHaveLength(5);
    expect(second.submitted.filter((id) => first.submitted.includes(id))).toEqual([]);

    // The server takes the batch but the connection dies before the answer: the outcome is uncertain. The
    // emulator runs a task only when it is polled, so that orphaned task never saves anything; the next run asks
    // the target storage, finds none of the flows there, and saves them (exactly once).
    const more = { ...params, filter: "app_proto == 'http'", maxFlows: 3 };
    const ids = emu.faults.add('reset@POST:/api/v2/sources/save:first=1:after');
    try {
      await expect(c.storage.saveFlows(more)).rejects.toThrow(/could not reach/);
    } finally {
      for (const id of ids) emu.faults.remove(id);
    }
    const third = await c.storage.saveFlows(more);
    expect(third.recovered).toBe(0);
    expect(third.submitted).toHaveLength(3);
    expect(third.state).toBe('SUCCESS');
    const inTarget = await c.bql.execute(bql`SELECT id FROM flow WHERE id in ${third.submitted}`, String(target.id));
    expect(inTarget.map((r) => r[0]).sort()).toEqual([...third.submitted].sort());
    const fourth = await c.storage.saveFlows(more);
    expect(fourth).toMatchObject({ found: 6, alreadySaved: 3 });
    expect(fourth.submitted.filter((id) => third.submitted.includes(id))).toEqual([]);
    const journal = await readFile(join(stateDir, 'ptnad-saved-flows.jsonl'), 'utf8');
    expect(
      journal
        .trim()
        .split('\n')
        .every((l) => JSON.parse(l).t !== undefined),
    ).toBe(true);
    await expect(c.storage.saveFlows({ ...params, deltaHours: 1 })).rejects.toThrow(/not both/);
    await expect(c.storage.saveFlows({ ...params, maxFlows: 0 })).rejects.toThrow(/maxFlows must be a positive/);
  });

  it('a window with more matches than maxFlows is saved over several runs: every flow once, oldest first', async () => {
    const target = (await c.sources.getSources()).results.find((s) => s.is_live === false);
    if (!target) throw new Error('no persistent storage in the dataset');
    const filter = "app_proto == 'ssh'";
    const window = `end >= ${WEEK_START} AND end <= ${WEEK_END}`;
    const all = await c.bql.execute(`SELECT id FROM flow WHERE ${window} AND ${filter} ORDER BY end, id LIMIT 100000`);
    const expected = all.map((r) => String(r[0]));
    expect(expected.length).toBeGreaterThan(12);
    const maxFlows = Math.ceil(expected.length / 4);
    const params = { filter, persistIdx: target.id, startTime: WEEK_START, endTime: WEEK_END, pollMs: 0, maxFlows };
    const stateDir = join(dir, 'windowed');
    const runs = [];
    for (;;) {
      const report = await c.storage.saveFlows({ ...params, stateDir });
      runs.push(report);
      if (!report.more || runs.length > 10) break;
    }
    expect(runs.map((r) => r.submitted.length)).toEqual(
      [maxFlows, maxFlows, maxFlows, expected.length - 3 * maxFlows].filter((n) => n > 0),
    );
    expect(runs.flatMap((r) => r.submitted)).toEqual(expected);
    const last = await c.storage.saveFlows({ ...params, stateDir });
    expect(last).toMatchObject({ found: expected.length, alreadySaved: expected.length, submitted: [], more: false });
  });
});
