// BQL semantics of the emulator's engine, checked against plain-JS oracles over the default generated dataset.
import { beforeAll, describe, expect, it } from 'vitest';
import { executeBql } from '../src/engine/index.js';
import { generateDataset } from '../src/store/dataset.js';
import type { Dataset, FlowRecord } from '../src/store/types.js';

const NOW = new Date('2025-06-01T12:00:00Z');
let ds: Dataset;
let flows: FlowRecord[];

beforeAll(() => {
  ds = generateDataset({ seed: 1, flows: 20_000, now: NOW });
  flows = ds.flows;
});

const run = (text: string, defaultLimit?: number) => executeBql(text, { flows, now: NOW, defaultLimit });
const total = (where: string) => run(`SELECT id FROM flow WHERE ${where} LIMIT 0`).total;
const count = (pred: (f: FlowRecord) => boolean) => flows.filter(pred).length;
const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

describe('comparison operators', () => {
  it('== and != on numbers partition the flows', () => {
    const n = count((f) => f.dst.port === 443);
    expect(n).toBeGreaterThan(1000);
    expect(total('dst.port == 443')).toBe(n);
    expect(total('dst.port != 443')).toBe(flows.length - n);
    expect(total("dst.port == '443'")).toBe(n);
  });

  it('<, >, <=, >= compare numbers', () => {
    expect(total('bytes.total > 100000')).toBe(count((f) => f.bytes.total > 100000));
    expect(total('bytes.total >= 100000')).toBe(count((f) => f.bytes.total >= 100000));
    expect(total('pkts.recv < 2')).toBe(count((f) => f.pkts.recv < 2));
    expect(total('pkts.recv <= 2')).toBe(count((f) => f.pkts.recv <= 2));
  });

  it('== on strings is exact and case-sensitive; bare words and both quote styles are the same string', () => {
    const n = count((f) => f.app_proto === 'http');
    expect(total('app_proto == http')).toBe(n);
    expect(total("app_proto == 'http'")).toBe(n);
    expect(total('app_proto == "http"')).toBe(n);
    expect(total("app_proto == 'HTTP'")).toBe(0);
  });

  it('~ matches the whole value with * and ?, case-insensitively', () => {
    const deb = count((f) => f.files.some((x) => x.filename.endsWith('amd64.deb')));
    expect(deb).toBeGreaterThan(0);
    expect(total("files.filename ~ '*amd64.deb'")).toBe(deb);
    expect(total("files.filename ~ '*AMD64.DEB'")).toBe(deb);
    expect(total("files.filename ~ 'amd64.deb'")).toBe(0);
    const tg = count((f) => (f.tls ?? []).some((t) => t.server_name === 'api.telegram.org'));
    expect(total("tls.server_name ~ 'api.telegra?.org'")).toBe(tg);
    expect(total("tls.server_name ~ 'api.telegra?.or'")).toBe(0);
  });

  it('a backslash in a ~ pattern is literal', () => {
    const n = count((f) => f.credentials.some((c) => c.user.includes('\\')));
    expect(n).toBeGreaterThan(0);
    expect(total('credentials.login ~ "*\\\\*"')).toBe(n);
  });

  it('in [...] matches any listed value', () => {
    const n = count((f) => f.app_proto === 'telnet' || f.app_proto === 'ssh' || f.dst.port === 3389);
    expect(total('app_proto in [telnet, "ssh"] or dst.port in [3389]')).toBe(n);
  });
});

describe('boolean structure and quoting', () => {
  it('not/! negate, AND binds tighter than OR, and both spellings mix', () => {
    const tls = count((f) => f.app_proto === 'tls');
    expect(total("not app_proto == 'tls'")).toBe(flows.length - tls);
    expect(total("!(app_proto == 'tls')")).toBe(flows.length - tls);
    const mixed = count((f) => f.app_proto === 'telnet' || (f.app_proto === 'ssh' && f.dst.port === 22));
    expect(total("app_proto == 'telnet' OR app_proto == 'ssh' && dst.port == 22")).toBe(mixed);
    expect(total("app_proto == 'telnet' || (app_proto == 'ssh' and dst.port == 22)")).toBe(mixed);
  });

  it('accepts SB-style quoted identifiers (\'src.ip\', "dst.port") and the implicit alias form', () => {
    const n = count((f) => f.src.ip === '10.0.0.10');
    expect(run("SELECT id FROM 'flow' WHERE 'src.ip' == '10.0.0.10' LIMIT 0").total).toBe(n);
    const r = run('SELECT src.ip, dst.ip proto FROM "flow" WHERE "dst.port" == 389 LIMIT 3');
    expect(r.result.every((row) => row.length === 2)).toBe(true);
  });
});

describe('arrays, host.*, IPs and bare fields', () => {
  it('array fields match when any element matches; != means no element equals', () => {
    const home = count((f) => f.src.groups.includes('HOME_NET'));
    expect(total("src.groups == 'HOME_NET'")).toBe(home);
    expect(total("src.groups != 'HOME_NET'")).toBe(flows.length - home);
    const dns = count((f) => f.dst.groups.includes('DNS_SERVERS'));
    expect(dns).toBeGreaterThan(0);
    expect(total("dst.groups == 'DNS_SERVERS'")).toBe(dns);
  });

  it('paths through child arrays match any child (alert.pr, rpt.cat)', () => {
    expect(total('alert.pr == 1')).toBe(count((f) => f.alert.some((a) => a.pr === 1)));
    expect(total("rpt.cat == 'tor-relays'")).toBe(count((f) => f.rpt.some((r) => r.cat === 'tor-relays')));
  });

  it('host.* means either endpoint', () => {
    const ip = '10.0.0.10';
    expect(total(`host.ip == ${ip}`)).toBe(count((f) => f.src.ip === ip || f.dst.ip === ip));
    expect(total('host.port == 389')).toBe(count((f) => f.src.port === 389 || f.dst.port === 389));
  });

  it('IP literals match exactly or by CIDR, quoted or not', () => {
    expect(total('src.ip == 10.0.0.0/8')).toBe(count((f) => f.src.ip.startsWith('10.')));
    expect(total("src.ip == '192.168.0.0/16'")).toBe(count((f) => f.src.ip.startsWith('192.168.')));
    expect(total('dst.ip == "10.0.0.10"')).toBe(count((f) => f.dst.ip === '10.0.0.10'));
    expect(total("src.ip == 'garbage'")).toBe(0);
  });

  it('a bare field tests for a present, non-empty value', () => {
    expect(total('files')).toBe(count((f) => f.files.length > 0));
    expect(total('!dst.dns')).toBe(count((f) => f.dst.dns === null));
    expect(total('credentials.password')).toBe(count((f) => f.credentials.some((c) => !!c.password)));
    expect(total('has_files')).toBe(count((f) => f.has_files));
  });
});

describe('nested object filters and EXISTS', () => {
  it('obj(filter) needs ONE child satisfying the whole filter', () => {
    const nested = count((f) => (f.http ?? []).some((h) => h.rqs.method === 'POST' && h.rsp?.code === 200));
    const loose = count(
      (f) => (f.http ?? []).some((h) => h.rqs.method === 'POST') && (f.http ?? []).some((h) => h.rsp?.code === 200),
    );
    expect(nested).toBeGreaterThan(0);
    expect(loose).toBeGreaterThan(nested);
    expect(total('http(rqs.method == POST && rsp.code == 200)')).toBe(nested);
    expect(total('http.rqs.method == POST && http.rsp.code == 200')).toBe(loose);
  });

  it('EXISTS over a child table of a flow', () => {
    const n = count((f) => f.alert.some((a) => a.pr === 1 && a.msg.includes('PTsecurity')));
    expect(total("EXISTS (SELECT * FROM alert WHERE pr == 1 AND msg ~ '*PTsecurity*')")).toBe(n);
    expect(total("EXISTS (SELECT * FROM 'smb' WHERE rqs.command == ENCRYPTED)")).toBe(
      count((f) => (f.smb ?? []).some((s) => s.rqs.command === 'ENCRYPTED')),
    );
  });

  it('FROM alert reads bare alert fields; EXISTS (... FROM flow ...) restricts the parent flow', () => {
    const alerts = flows.flatMap((f) => f.alert.map((a) => ({ a, f })));
    expect(run('SELECT id FROM alert LIMIT 0').total).toBe(alerts.length);
    const r = run(
      'SELECT msg, pr, attacker.ip FROM alert WHERE pr == 1 AND EXISTS (SELECT * FROM flow WHERE dst.port == 443)',
    );
    expect(r.total).toBe(alerts.filter(({ a, f }) => a.pr === 1 && f.dst.port === 443).length);
    for (const [msg, pr, ip] of r.result) {
      expect(typeof msg).toBe('string');
      expect(pr).toBe(1);
      expect(typeof ip).toBe('string');
    }
  });
});

describe('subqueries and cells', () => {
  it('a scalar subquery over http returns the flow transactions as arrays of rows', () => {
    const f = flows.find((x) => (x.http ?? []).length >= 2);
    if (f === undefined) throw new Error('dataset has no flow with two http transactions');
    const r = run(
      `SELECT id, (SELECT tx_id, rqs.method, tx_time FROM http WHERE tx_id >= 1 LIMIT 100) FROM flow WHERE id == '${f.id}'`,
    );
    expect(r.total).toBe(1);
    const [id, cell] = r.result[0] ?? [];
    expect(id).toBe(f.id);
    const http = (f.http ?? []).filter((h) => h.tx_id >= 1);
    expect(cell).toEqual(http.map((h) => [h.tx_id, h.rqs.method, expect.stringMatching(ISO_MICROS)]));
  });

  it('(SELECT ... FROM flow LIMIT 1) inside FROM alert is the parent flow', () => {
    const r = run('SELECT parent, (SELECT id, app_proto, dst.ip, state FROM flow LIMIT 1) FROM alert LIMIT 20');
    expect(r.result.length).toBe(20);
    for (const [parent, cell] of r.result) {
      const f = flows.find((x) => x.id === parent);
      expect(cell).toEqual([[f?.id, f?.app_proto, f?.dst.ip, f?.state]]);
    }
  });

  it('renders times as naive ISO with microseconds, missing values as null, arrays as arrays', () => {
    const r = run(
      "SELECT start, end, src.groups, dst.dns, extract_raw_object('false_positive'), tunnels.ip FROM flow WHERE !dst.dns LIMIT 3",
    );
    for (const [start, end, groups, dns, fp, missing] of r.result) {
      expect(start).toMatch(ISO_MICROS);
      expect(end).toMatch(ISO_MICROS);
      expect(Array.isArray(groups)).toBe(true);
      expect(dns).toBeNull();
      // Unmarked flows: null, as the recorded fixtures show.
      expect(fp).toBeNull();
      expect(missing).toBeNull();
    }
    expect(typeof r.took).toBe('number');
  });

  it('SELECT * gives one cell holding the whole record', () => {
    const [row] = run('SELECT * FROM flow LIMIT 1').result;
    const cell = row?.[0] as Record<string, unknown>;
    expect(row?.length).toBe(1);
    expect(cell.id).toBe(flows[0]?.id);
    expect(cell.start).toMatch(ISO_MICROS);
  });
});

describe('time literals', () => {
  it('epoch ms, YYYY.MM.DD and quoted ISO date-times agree', () => {
    const day = Date.UTC(2025, 4, 29);
    const expected = count((f) => f.end >= day && f.end < day + 86_400_000);
    expect(expected).toBeGreaterThan(0);
    expect(total(`end >= ${day} and end < ${day + 86_400_000}`)).toBe(expected);
    expect(total('end >= 2025.05.29 and end < 2025.05.30')).toBe(expected);
    expect(total("end >= '2025-05-29T00:00:00' and end < '2025-05-30T00:00:00.000000'")).toBe(expected);
    expect(total("end >= '2025-05-29' and end < '2025-05-30'")).toBe(expected);
  });
});

describe('time literals in child tables', () => {
  it('compare transaction times in EXISTS and subqueries', () => {
    const cut = flows[Math.floor(flows.length / 2)]?.start ?? 0;
    const iso = new Date(cut).toISOString().slice(0, 19);
    const expected = count((f) => (f.http ?? []).some((h) => h.tx_time >= cut - (cut % 1000)));
    expect(total(`EXISTS (SELECT * FROM http WHERE tx_time >= '${iso}')`)).toBe(expected);
    const r = run(`SELECT (SELECT tx_id FROM ftp WHERE tx_time > 0) FROM flow WHERE ftp LIMIT 3`);
    for (const [cell] of r.result) expect((cell as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('ORDER BY, LIMIT and total', () => {
  it('a LIMITed page is exactly the head of the fully sorted result, ties in storage order', () => {
    // Small pages take the bounded-heap path, the 20,000-row limit the full sort: they must agree row for row.
    for (const order of ['app_proto asc, dst.port desc', 'dst.port desc', 'end asc, id asc', 'src.geo.country desc']) {
      const all = run(`SELECT id FROM flow ORDER BY ${order} LIMIT 20000`).result.map((x) => x[0]);
      for (const k of [1, 7, 100, 1999]) {
        const page = run(`SELECT id FROM flow ORDER BY ${order} LIMIT ${k}`).result.map((x) => x[0]);
        expect(page).toEqual(all.slice(0, k));
      }
    }
  });

  it('orders by several keys, desc and asc', () => {
    const r = run('SELECT app_proto, bytes.total FROM flow ORDER BY app_proto asc, bytes.total desc LIMIT 500');
    const rows = r.result as Array<[string, number]>;
    for (let i = 1; i < rows.length; i++) {
      const [pa, ba] = rows[i - 1] as [string, number];
      const [pb, bb] = rows[i] as [string, number];
      expect(pa <= pb).toBe(true);
      if (pa === pb) expect(ba >= bb).toBe(true);
    }
    const byStart = run('SELECT start FROM flow ORDER BY start desc LIMIT 50').result.map((x) => x[0] as string);
    expect(byStart).toEqual([...byStart].sort().reverse());
  });

  it('puts nulls last in both directions', () => {
    for (const dir of ['asc', 'desc']) {
      const cells = run(`SELECT dst.dns FROM flow ORDER BY dst.dns ${dir} LIMIT 20000`).result.map((x) => x[0]);
      const firstNull = cells.indexOf(null);
      expect(firstNull).toBeGreaterThan(0);
      expect(cells.slice(firstNull).every((c) => c === null)).toBe(true);
    }
  });

  it('LIMIT pages the result while total counts every match; the default cap is 100', () => {
    const n = count((f) => f.app_proto === 'dns');
    expect(run('SELECT id FROM flow WHERE app_proto == dns LIMIT 5').result).toHaveLength(5);
    expect(run('SELECT id FROM flow WHERE app_proto == dns LIMIT 5').total).toBe(n);
    expect(run('SELECT id FROM flow WHERE app_proto == dns').result).toHaveLength(100);
    expect(run('SELECT id FROM flow WHERE app_proto == dns', 7).result).toHaveLength(7);
    expect(run('SELECT id FROM flow WHERE app_proto == dns LIMIT 0').result).toHaveLength(0);
    const few = run("SELECT id FROM flow WHERE app_proto == 'telnet' LIMIT 100000");
    expect(few.result).toHaveLength(few.total);
  });
});
