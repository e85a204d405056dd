import { type Diagnostic, getTable, lookupField, parse, TABLES, validate } from 'ptnad-client/bql';
import { describe, expect, it } from 'vitest';

const check = (text: string, table?: string): Diagnostic[] =>
  validate(parse(text), table === undefined ? {} : { table });
const errors = (text: string, table?: string) => check(text, table).filter((d) => d.severity === 'error');
const warnings = (text: string, table?: string) => check(text, table).filter((d) => d.severity === 'warning');

describe('validate: type mismatches are errors', () => {
  it.each([
    ["dst.port == 'abc'", "'dst.port' is a number field", "'abc'"],
    ['src.ip == 300.1.1.1', "'src.ip' is an IP address field; 300.1.1.1 is not an IP address", '300.1.1.1'],
    ['src.ip == "garbage"', 'is not an IP address', '"garbage"'],
    ['dst.port ~ "8*"', "'~' is a wildcard text match; 'dst.port' is a port field", 'dst.port'],
    ['pkts.recv ~ 1', "'~' is a wildcard text match", 'pkts.recv'],
    ['start > "yesterday"', "'start' is a time field", '"yesterday"'],
    ['end < bittorrent', "'end' is a time field", 'bittorrent'],
    ['has_files == 2', "'has_files' is a boolean field", '2'],
    ['has_files > 0', "'>' does not apply to the boolean field", 'has_files'],
    ['dst.port == 1.5', 'holds integers', '1.5'],
    ['files == 1', "'files' is an object", 'files'],
    ['http(rsp.code == OK)', "'rsp.code' is a number field", 'OK'],
    ['alert.pr == high', "'alert.pr' is a number field", 'high'],
    ['dst.port in [80, "x"]', "'dst.port' is a number field", '"x"'],
    ['SELECT id FROM alert WHERE ts >= "2025-02-30T00:00:00"', "'ts' is a time field", '"2025-02-30T00:00:00"'],
    ['dst.port(a)', "'dst.port' is a port field, not an object", 'dst.port(a)'],
  ])('%s', (text, message, spanText) => {
    const errs = errors(text);
    expect(errs).toHaveLength(1);
    const [d] = errs;
    expect(d?.message).toContain(message);
    expect(d?.span && text.slice(d.span.start, d.span.end)).toBe(spanText);
  });

  it('accepts the value forms PT NAD accepts', () => {
    for (const ok of [
      'src.ip == 192.168.25.202',
      "src.ip == '192.168.25.202'",
      'src.ip == 10.0.0.0/8',
      'host.ip6 == fe80::1',
      'src.ip ~ "192.168.*"',
      'end > 2025.02.25',
      'end >= 1748600000000',
      "start > '2025-04-06T15:49:19'",
      "start > '2025-04-06T15:49:19.123456Z'",
      "start > '2025-04-06'",
      "start > '2024-02-29 23:59:59+03:00'",
      'dst.port == "80"',
      'credentials.valid == 1',
      'has_files == true',
      'ssh.tunnel == 1',
      'src.groups != "HOME_NET"',
      'flags == "FINISHED"',
      'http(rqs.method == POST && rsp.code == 200 && !rqs.Referer)',
      'alert.attacker.ip == 1.1.1.1',
      "SELECT attacker.ip, extract_raw_object('false_positive'), (SELECT app_proto FROM flow LIMIT 1) FROM alert WHERE EXISTS (SELECT * FROM flow WHERE end >= 1686171600000) ORDER BY ts desc LIMIT 100",
      "SELECT id, (SELECT id, tx_id, rsp.content-type FROM http WHERE tx_id >= 3 LIMIT 100) FROM flow WHERE id == 'P86qC9cOOElv1RPc~lYyC2' LIMIT 1",
    ]) {
      expect(check(ok), ok).toEqual([]);
    }
  });
});

describe('validate: the real query templates of §8.6 are clean', () => {
  const q = (fields: string) =>
    fields
      .split(', ')
      .map((f) => `"${f}"`)
      .join(', ');
  it.each([
    `SELECT ${q('attacker.geo.country, attacker.host_id, attacker.ip, cls')}, extract_raw_object('false_positive'), ${q('id, msg, pr, rev, sid, success.affected, ts, victim.geo.country, victim.host_id, victim.ip')}, (SELECT ${q('app_proto, dst.ip, dst.port, end, flags, has_files, id, rpt.cat, rpt.color, rpt.id, rpt.type, rpt.where, src.ip, src.port, start, state')} FROM "flow" LIMIT 1) FROM "alert" WHERE "id" == 'vRwB4Z4BaLX3hldUvkZ1' AND "ts" >= 1686171600000 AND "ts" <= 1686258000000 AND EXISTS (SELECT * FROM "flow" WHERE "end" >= 1686171600000 AND "end" <= 1686258000000 AND ('src.ip' == '192.168.25.202')) ORDER BY "ts" desc LIMIT 50`,
    `SELECT "id", (SELECT ${q('id, tx_id, tx_time, rqs.method, rqs.url, rqs.entity_len, rqs.content-type, rqs.host, rsp.code, rsp.status, rsp.entity_len, rsp.server, rsp.content-type')} FROM "http" WHERE "tx_id" >= 0 LIMIT 100) FROM "flow" WHERE "end" >= 1686171600000 AND "id" == 'P86qC9cOOElv1RPc~lYyC2' LIMIT 1`,
    "SELECT src.ip, dst.ip FROM flow WHERE start > '2025-04-06T15:49:19' AND end < '2025-04-07T00:00:00' AND (http(rqs.method==POST && rsp.code==200))",
    'SELECT id FROM flow WHERE (end >= 1748600000000 AND end <= 1748618000000) and (rpt.cat && alert) AND (dst.groups != \'HOME_NET\' && !dst.dns) ORDER BY "start" desc LIMIT 5000',
    "SELECT * FROM flow WHERE EXISTS (SELECT * FROM 'alert' WHERE 'msg' ~ '*PSEXEC*') AND EXISTS (SELECT * FROM 'files' WHERE 'filename' ~ '*.exe') AND EXISTS (SELECT * FROM smb WHERE 'rqs.create.filename' ~ '*')",
  ])('%s', (text) => {
    expect(check(text)).toEqual([]);
  });
});

describe('validate: unknown names are warnings with suggestions', () => {
  it('suggests the nearest field', () => {
    const [d] = check('dst.prot == 80');
    expect(d).toMatchObject({
      severity: 'warning',
      code: 'unknown-field',
      suggestion: 'dst.port',
      span: { start: 0, end: 8 },
    });
    expect(d?.message).toContain("did you mean 'dst.port'?");
    expect(warnings('app_prto == "http"')[0]?.suggestion).toBe('app_proto');
    expect(warnings('http(rqs.methd == POST)')[0]?.suggestion).toBe('rqs.method');
    expect(warnings('alert.mgs ~ "x"')[0]?.suggestion).toBe('alert.msg');
    expect(warnings('totally_unrelated_name')[0]).toMatchObject({ code: 'unknown-field' });
    expect(warnings('totally_unrelated_name')[0]?.suggestion).toBeUndefined();
  });

  it('warns about unknown tables, functions, enum values and suspicious values', () => {
    expect(warnings('SELECT a FROM flwo')[0]).toMatchObject({ code: 'unknown-table', suggestion: 'flow' });
    expect(warnings('SELECT nope(1) FROM flow')[0]).toMatchObject({ code: 'unknown-function' });
    expect(warnings('app_proto == htp')[0]).toMatchObject({ code: 'unknown-value', suggestion: 'http' });
    expect(warnings('dst.port == 70000')[0]).toMatchObject({ code: 'out-of-range' });
    expect(warnings('end > 1748600000')[0]).toMatchObject({ code: 'time-unit' });
    expect(warnings('a in []', 'alert')).toHaveLength(2);
    expect(warnings('SELECT * FROM alert WHERE EXISTS (SELECT * FROM flow LIMIT 1)')[0]).toMatchObject({
      code: 'exists-clause',
    });
  });

  it('resolves names against the right table', () => {
    expect(check('msg ~ "x" and pr == 1', 'alert')).toEqual([]);
    expect(warnings('msg ~ "x"')).toHaveLength(1);
    expect(check('SELECT * FROM flow WHERE EXISTS (SELECT * FROM alert WHERE msg ~ "x")')).toEqual([]);
    // Unknown tables: nothing inside can be checked, and nothing is made up.
    expect(check('SELECT x FROM mystery WHERE y == 1')).toHaveLength(1);
    expect(check('y == 1 and z', 'alrt')).toEqual([
      expect.objectContaining({ code: 'unknown-table', suggestion: 'alert' }),
    ]);
  });

  it('checks very long chains without recursion trouble', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `dst.port == ${i % 65536}`).join(' || ');
    expect(check(text)).toEqual([]);
  });
});

describe('field catalogue', () => {
  it('types the fields of flow, alert and the child tables', () => {
    expect(lookupField('flow', 'src.ip')).toMatchObject({ type: 'ip', array: false, table: 'flow' });
    expect(lookupField('flow', 'dst.port')).toMatchObject({ type: 'port' });
    expect(lookupField('flow', 'src.groups')).toMatchObject({ type: 'string', array: true });
    expect(lookupField('flow', 'flags')).toMatchObject({ type: 'enum', array: true });
    expect(lookupField('flow', 'end')).toMatchObject({ type: 'datetime' });
    expect(lookupField('flow', 'alert.pr')).toMatchObject({ name: 'pr', type: 'int', table: 'alert' });
    expect(lookupField('flow', 'http')).toMatchObject({ type: 'object', table: 'http' });
    expect(lookupField('flow', 'src.geo')).toMatchObject({ type: 'object' });
    expect(lookupField('http', 'rqs.Referer')).toMatchObject({ type: 'string', open: true });
    expect(lookupField('flow', 'nope')).toBeUndefined();
    expect(lookupField('nope', 'x')).toBeUndefined();
    for (const t of ['flow', 'alert', 'http', 'files', 'smb', 'dns', 'tls', 'smtp', 'pop3', 'imap', 'ssh']) {
      expect(getTable(t)?.fields.size, t).toBeGreaterThan(0);
    }
    for (const t of ['credentials', 'rpt', 'dcerpc', 'ntlm', 'mail']) expect(TABLES.has(t)).toBe(true);
    expect(getTable('flow')?.timeField).toBe('end');
    expect(getTable('alert')?.timeField).toBe('ts');
  });
});
