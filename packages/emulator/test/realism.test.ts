// The default dataset looks like what a real sensor reports: every alert's rule fits its flow (protocol, ports,
// networks, direction), TCP flags, states and counters agree, values have the shapes the recorded fixtures show,
// and the real rules public filters name are present and found by those filters.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeBql } from '../src/engine/index.js';
import { DEFAULT_FLOW_COUNT, generateDataset } from '../src/store/dataset.js';
import type { Dataset, Endpoint, FlowRecord } from '../src/store/types.js';

const NOW = new Date('2025-06-01T12:00:00Z');
let ds: Dataset;

beforeAll(() => {
  ds = generateDataset({ seed: 1, flows: DEFAULT_FLOW_COUNT, now: NOW });
});

// An independent reading of a Suricata header: `action proto src sport -> dst dport (...)`.
function headerOf(rule: string) {
  const m = /^(\S+) (\S+) (\S+) (\S+) -> (\S+) (\S+) \(/.exec(rule);
  if (m === null) throw new Error(`unparsable rule: ${rule}`);
  const [, , proto = '', src = '', sport = '', dst = '', dport = ''] = m;
  return { proto, src, sport, dst, dport };
}

function portIn(spec: string, port: number, httpPorts: Set<number>): boolean {
  if (spec === 'any') return true;
  if (spec.startsWith('!')) return !portIn(spec.slice(1), port, httpPorts);
  if (spec === '$HTTP_PORTS') return httpPorts.has(port);
  return spec
    .replace(/[[\]]/g, '')
    .split(',')
    .some((p) =>
      p.includes(':') ? port >= Number(p.split(':')[0]) && port <= Number(p.split(':')[1]) : Number(p) === port,
    );
}

function netIn(spec: string, e: Endpoint): boolean {
  if (spec === 'any') return true;
  if (spec === '$EXTERNAL_NET') return !e.groups.includes('HOME_NET');
  if (spec.startsWith('$')) return e.groups.includes(spec.slice(1));
  return false;
}

const APP: Record<string, string> = { krb5: 'kerberos' };

describe('alerts fit their flows', () => {
  it('every alert rule matches the flow protocol, ports, networks and direction', () => {
    const httpVar = ds.variables.find((v) => v.name === 'HTTP_PORTS')?.value ?? '[]';
    const httpPorts = new Set(httpVar.slice(1, -1).split(',').map(Number));
    const rules = new Map(ds.rules.map((r) => [r.sid, r]));
    let n = 0;
    for (const f of ds.flows) {
      for (const a of f.alert) {
        n++;
        const rule = rules.get(a.sid);
        if (rule === undefined) throw new Error(`alert of unknown rule ${a.sid}`);
        const h = headerOf(rule.rule);
        const why = `${a.msg} on ${f.proto}/${f.app_proto} ${f.src.ip}:${f.src.port} -> ${f.dst.ip}:${f.dst.port}`;
        if (h.proto === 'tcp' || h.proto === 'udp') expect(f.proto, why).toBe(h.proto.toUpperCase());
        else if (h.proto !== 'ip') expect(f.app_proto, why).toBe(APP[h.proto] ?? h.proto);
        const [from, to] = a.to_server ? [f.src, f.dst] : [f.dst, f.src];
        expect(netIn(h.src, from) && netIn(h.dst, to), why).toBe(true);
        expect(portIn(h.sport, from.port, httpPorts) && portIn(h.dport, to.port, httpPorts), why).toBe(true);
        expect(rule.rule.includes('to_client') ? a.to_client : true, why).toBe(true);
      }
    }
    expect(n).toBeGreaterThan(300);
  });

  it('rule messages carry no generator artefacts and each attack has one name', () => {
    const subjects = new Map<string, string>();
    for (const r of ds.rules) {
      expect(r.msg).not.toMatch(/\(variant/i);
      const subject = r.msg.replace(/^(ET [A-Z_]+|[A-Z]+(?: AD)? \[PTsecurity\]|[A-Z]+) /, '');
      expect(subjects.get(subject) ?? r.msg, `${r.msg} vs ${subjects.get(subject)}`).toBe(r.msg);
      subjects.set(subject, r.msg);
    }
  });

  it('rule text is in the vendor format: PT metadata keys one by one, ET metadata in one list', () => {
    for (const r of ds.rules) {
      expect(r.rule).toContain(`sid:${r.sid};`);
      expect(r.rule).toContain(`rev:${r.rev};`);
      expect(r.rule).toContain(`classtype:${r.classtype};`);
      if (r.vendor === 'PTSecurity') {
        expect(r.rule).toMatch(
          /metadata:created_at \d{4}_\d\d_\d\d; metadata:updated_at \d{4}_\d\d_\d\d; metadata:attack_target (server|client);/,
        );
      } else {
        expect(r.rule).toMatch(/metadata:created_at \d{4}_\d\d_\d\d, updated_at \d{4}_\d\d_\d\d;\)$/);
      }
    }
    const shell = ds.rules.find((r) => r.sid === 10006379);
    expect(shell?.rule).toContain('metadata:created_at 2020_12_24; metadata:updated_at 2024_01_19;');
    const apt = ds.rules.find((r) => r.sid === 2013504);
    expect(apt?.signature.description['att&ck']).toBeNull();
    expect(apt?.signature.description.affected_os).not.toContain('Windows');
  });

  it('signature classes keep the appliance order (recorded from a real PT NAD)', () => {
    const titles = ds.classes.map((c) => c.title);
    expect(titles.slice(0, 7)).toEqual([
      'Not suspicious traffic',
      'Unknown traffic',
      'Potentially bad traffic',
      'Information leak attempt',
      'DoS attack attempt',
      'Attempt to gain user privileges',
      'Attempt to gain administrator privileges',
    ]);
    expect(titles.at(-1)).toBe('Possibly unwanted program');
    expect(titles).not.toEqual([...titles].sort());
  });
});

describe('TCP looks like TCP', () => {
  const tcp = () => ds.flows.filter((f) => f.proto === 'TCP');

  it('flags, states, TCP flags and counters agree on every flow', () => {
    for (const f of ds.flows) {
      const why = `${f.id} ${f.flags} ${f.state} ${f.tcp?.flags} ${f.pkts.sent}/${f.pkts.recv}`;
      expect(f.bytes.total, why).toBe(f.bytes.sent + f.bytes.recv);
      expect(f.pkts.total, why).toBe(f.pkts.sent + f.pkts.recv);
      expect(f.bytes.sent >= 54 * f.pkts.sent && f.bytes.recv >= 54 * f.pkts.recv, why).toBe(true);
      expect(f.pkts.recv === 0, why).toBe(f.bytes.recv === 0);
      if (f.proto !== 'TCP') {
        expect(f.tcp, why).toBeNull();
        continue;
      }
      const t = f.tcp;
      if (t === null) throw new Error(`TCP flow without tcp block: ${why}`);
      expect([...new Set([...t.flags_ts, ...t.flags_tc])].sort(), why).toEqual([...t.flags].sort());
      const missedStart = f.flags.includes('MISSED_START');
      expect(t.flags.includes('SYN'), why).toBe(!missedStart);
      if (f.flags.includes('MISSED_END')) {
        expect(t.flags.includes('FIN') || t.flags.includes('RST'), why).toBe(false);
        expect(f.state, why).not.toContain('FINISHED');
      }
      if (f.state.includes('ESTABLISHED')) {
        // An established session saw the server answer and the client send data.
        expect(f.pkts.recv >= 2 && f.pkts.sent >= 2, why).toBe(true);
        if (!missedStart) expect(t.flags_tc, why).toContain('SYN');
      } else {
        // No handshake: no payload, so no application protocol.
        expect(f.app_proto, why).toBe('');
        expect(f.pkts.total, why).toBeLessThanOrEqual(3);
      }
      if (f.errors.length > 0)
        expect(
          f.alert.some((a) => a.msg.startsWith('SURICATA STREAM')),
          why,
        ).toBe(true);
    }
  });

  it('has handshakes, resets, half-open scans, unanswered probes and sessions cut by the capture', () => {
    const has = (pred: (f: FlowRecord) => boolean) => tcp().filter(pred).length;
    expect(has((f) => f.tcp?.flags_tc.includes('RST') === true && f.state.includes('ESTABLISHED'))).toBeGreaterThan(50);
    expect(has((f) => f.tcp?.flags_ts.join() === 'SYN,RST' && f.tcp.flags_tc.join() === 'SYN,ACK')).toBeGreaterThan(10);
    expect(has((f) => f.pkts.total === 1 && f.tcp?.flags.join() === 'SYN')).toBeGreaterThan(10);
    expect(has((f) => f.tcp?.flags_tc.join() === 'ACK,RST' && f.pkts.total === 2)).toBeGreaterThan(5);
    expect(has((f) => f.flags.includes('MISSED_START'))).toBeGreaterThan(50);
    expect(has((f) => f.flags.includes('MISSED_END'))).toBeGreaterThan(50);
    expect(has((f) => f.errors.length > 0)).toBeGreaterThan(5);
  });
});

describe('values as real sensors report them', () => {
  it('app_proto is "" when undetected; false_positive mostly null', () => {
    expect(ds.flows.some((f) => f.app_proto === 'unknown')).toBe(false);
    expect(ds.flows.filter((f) => f.app_proto === '').length).toBeGreaterThan(100);
    expect(ds.flows.every((f) => f.false_positive === null)).toBe(true);
    const alerts = ds.flows.flatMap((f) => f.alert);
    expect(alerts.filter((a) => a.false_positive === null).length / alerts.length).toBeGreaterThan(0.9);
    const r = executeBql("SELECT extract_raw_object('false_positive') FROM alert LIMIT 50", {
      flows: ds.flows,
      now: NOW,
    });
    expect(r.result.filter((row) => row[0] === null).length).toBeGreaterThan(40);
  });

  it('flows of offline cases carry the case tag and index, like the fixture ("Case_2.6", "offline-000023")', () => {
    const case26 = ds.storages.find((s) => s.name === 'Case_2.6');
    const ids = new Set(case26?.flowIds ?? []);
    expect(ids.size).toBeGreaterThan(0);
    for (const f of ds.flows.filter((x) => ids.has(x.id))) {
      expect(f.stag).toBe('Case_2.6');
      expect(f._index).toBe('offline-000023');
      for (const file of f.files)
        expect([file.stag, file._index, file._ndx]).toEqual(['Case_2.6', 'offline-000023', 'offline-000023']);
    }
    const live = ds.flows.filter((f) => f.stag === null);
    expect(live.length).toBeGreaterThan(ds.flows.length * 0.9);
    for (const file of live.flatMap((f) => f.files).slice(0, 100)) expect(file._ndx).toBe(file._index);
  });

  it('credential items have the fixture key `user` (string), plus password and valid; filters still say login', () => {
    const creds = ds.flows.flatMap((f) => f.credentials);
    expect(creds.length).toBeGreaterThan(50);
    for (const c of creds) {
      expect(Object.keys(c).sort()).toEqual(['password', 'user', 'valid']);
      expect(typeof c.user).toBe('string');
    }
    const r = executeBql('SELECT credentials.login FROM flow WHERE credentials.login ~ "*@*" LIMIT 1', {
      flows: ds.flows,
      now: NOW,
    });
    expect(r.total).toBeGreaterThan(0);
  });
});

interface RealRule {
  msg: string;
  vendor: string;
  sid: number | null;
  rev: number | null;
  cls: string | null;
  filter: string;
}

const REAL = JSON.parse(
  readFileSync(new URL('../../../fixtures/real-rules.json', import.meta.url), 'utf8'),
) as RealRule[];

describe('real rules from public evidence', () => {
  it('lists the PT messages of the public filters and fixtures', () => {
    expect(REAL.filter((r) => r.vendor === 'PTSecurity').length).toBeGreaterThanOrEqual(22);
  });

  it.each(REAL.map((r) => [r.msg, r]))(
    '%s is a rule with its recorded sid, rev and class, and its filter finds flows',
    (_, real) => {
      const rule = ds.rules.find((r) => r.msg === real.msg);
      expect(rule?.vendor).toBe(real.vendor);
      if (real.sid !== null) expect(rule?.sid).toBe(real.sid);
      if (real.rev !== null) expect(rule?.rev).toBe(real.rev);
      if (real.cls !== null) expect(rule?.cls).toBe(real.cls);
      expect(rule?.enabled).toBe(true);
      expect(
        executeBql(`SELECT id FROM flow WHERE ${real.filter} LIMIT 0`, { flows: ds.flows, now: NOW }).total,
      ).toBeGreaterThan(0);
    },
  );
});
