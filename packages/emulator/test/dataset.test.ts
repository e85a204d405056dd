// The deterministic dataset: same inputs give the same bytes, and the records hang together (rules, lists,
// classes, hosts, storages, files whose hashes are those of their bytes).
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_COUNT, fileBytes, generateDataset } from '../src/store/dataset.js';
import type { Dataset } from '../src/store/types.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const DAY = 86_400_000;
let ds: Dataset;

const digest = (d: Dataset) => createHash('sha256').update(JSON.stringify(d)).digest('hex');

beforeAll(() => {
  ds = generateDataset({ seed: 1, flows: DEFAULT_FLOW_COUNT, now: NOW });
});

describe('determinism', () => {
  it('same seed and now give a byte-identical dataset; another seed or now gives another', () => {
    const small = (seed: number, now = NOW) => digest(generateDataset({ seed, flows: 2000, now }));
    const a = small(7);
    expect(small(7)).toBe(a);
    expect(small(8)).not.toBe(a);
    expect(small(7, new Date(NOW.getTime() + 1000))).not.toBe(a);
  });

  it('rejects a bad flow count or date', () => {
    expect(() => generateDataset({ seed: 1, flows: -1, now: NOW })).toThrow(RangeError);
    expect(() => generateDataset({ seed: 1, flows: 1.5, now: NOW })).toThrow(/flows must be a non-negative integer/);
    expect(() => generateDataset({ seed: 1, flows: 10, now: new Date('nope') })).toThrow(/now must be a valid date/);
  });
});

describe('flows', () => {
  it('span the 7 days before now, sorted by start, with unique well-formed ids', () => {
    expect(ds.flows).toHaveLength(DEFAULT_FLOW_COUNT);
    const ids = new Set<string>();
    let prev = Number.NEGATIVE_INFINITY;
    for (const f of ds.flows) {
      expect(f.start).toBeGreaterThanOrEqual(NOW.getTime() - 7 * DAY);
      expect(f.end).toBeLessThan(NOW.getTime());
      expect(f.end).toBeGreaterThanOrEqual(f.start);
      expect(f.start).toBeGreaterThanOrEqual(prev);
      prev = f.start;
      expect(f.id).toMatch(/^[A-Za-z0-9_~]{22}$/);
      ids.add(f.id);
    }
    expect(ids.size).toBe(ds.flows.length);
  });

  it('cover the protocols the examples name', () => {
    const apps = new Set(ds.flows.map((f) => f.app_proto));
    for (const p of [
      'http',
      'tls',
      'dns',
      'smtp',
      'pop3',
      'imap',
      'ftp',
      'smb',
      'ssh',
      'ldap',
      'telnet',
      'bittorrent',
      'openvpn',
      'socks5',
      'nbns',
      'llmnr',
      'teamviewer',
      '',
    ]) {
      expect(apps, p).toContain(p);
    }
  });

  it('alerts reference real rules and classes', () => {
    const rules = new Map(ds.rules.map((r) => [r.sid, r]));
    const titles = new Set(ds.classes.map((c) => c.title));
    let n = 0;
    for (const f of ds.flows) {
      for (const a of f.alert) {
        n++;
        const rule = rules.get(a.sid);
        expect(rule?.msg).toBe(a.msg);
        expect(titles).toContain(a.cls);
        expect(a.parent).toBe(f.id);
        expect(a.signature.rule).toContain(`sid:${a.sid};`);
      }
    }
    expect(n).toBeGreaterThan(100);
  });

  it('reputation hits reference stored lists that hold the value', () => {
    const lists = new Map(ds.replists.map((l) => [l.id, l]));
    let n = 0;
    for (const f of ds.flows) {
      for (const hit of f.rpt) {
        if (hit.type === 'ms') continue;
        n++;
        const list = lists.get(hit.id);
        expect(list?.name).toBe(hit.cat);
        expect(list?.items.some((i) => i.value === hit.value)).toBe(true);
      }
    }
    expect(n).toBeGreaterThan(50);
  });

  it('file records carry the real size and hashes of their bytes', () => {
    const files = ds.flows.flatMap((f) => f.files);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files.slice(0, 200)) {
      const bytes = fileBytes(file);
      expect(bytes.length).toBe(file.size);
      expect(createHash('md5').update(bytes).digest('hex')).toBe(file.md5);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    }
    const deb = files.find((f) => f.filename.endsWith('.deb'));
    expect(deb && fileBytes(deb).subarray(0, 8).toString('latin1')).toBe('!<arch>\n');
  });
});

describe('reference data', () => {
  it('has the 49 real classes, hundreds of rules from both vendors, and real list names', () => {
    expect(ds.classes).toHaveLength(49);
    expect(ds.classes.find((c) => c.title === 'Attempt to gain administrator privileges')?.priority).toBe(2);
    expect(ds.rules.length).toBeGreaterThan(300);
    expect(ds.rules.find((r) => r.sid === 2007802)?.enabled).toBe(true);
    expect(new Set(ds.rules.map((r) => r.vendor))).toEqual(new Set(['ETOpen', 'PTSecurity']));
    expect(ds.rules.find((r) => r.sid === 2007802)?.cls).toBe('Network scan');
    const names = ds.replists.map((l) => l.name);
    for (const n of ['ESC-auto-cloudeye-ip', 'malware', 'tor-relays', 'miners']) expect(names).toContain(n);
    expect(ds.replists.some((l) => l.external_key !== null)).toBe(true);
    expect(ds.variables.find((v) => v.name === 'EXTERNAL_NET')?.value).toBe('!$HOME_NET');
  });

  it('derives hosts from the flows and keeps saved storages as subsets', () => {
    const internal = new Set(
      ds.flows
        .flatMap((f) => [f.src, f.dst])
        .filter((e) => e.host_id !== null)
        .map((e) => e.ip),
    );
    expect(new Set(ds.hosts.map((h) => h.ip[0]?.ip))).toEqual(internal);
    // One type for host ids everywhere: the string flows carry as src.host_id / dst.host_id.
    const hostIds = new Set(ds.hosts.map((h) => h.id));
    for (const h of ds.hosts) expect(h.id).toMatch(/^\d+$/);
    for (const f of ds.flows.slice(0, 2000))
      for (const e of [f.src, f.dst]) if (e.host_id !== null) expect(hostIds.has(e.host_id)).toBe(true);
    const ids = new Set(ds.flows.map((f) => f.id));
    const live = ds.storages.find((s) => s.id === 2);
    expect(live?.is_live).toBe(true);
    for (const s of ds.storages.filter((x) => !x.is_live)) {
      expect(s.flowIds?.length).toBeGreaterThan(0);
      for (const id of s.flowIds ?? []) expect(ids.has(id)).toBe(true);
    }
    expect(ds.triggers.map((t) => t.id)).toContain('updates[PTSecurity]');
    expect(ds.triggers.some((t) => t.status !== 'green')).toBe(true);
  });
});
