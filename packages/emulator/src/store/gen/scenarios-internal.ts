/**
 * Internal traffic: Windows services (SMB, LDAP, Kerberos, DCE/RPC), mail, SSH and RDP administration, NTP,
 * SQL and name-resolution broadcasts. A small share gets an alert.
 */
import { type FileExt, makeFile } from './files.js';
import { append, ephemeral, newFlow } from './flow-base.js';
import { broadcastPeer, pickExternal } from './network.js';
import { addDcerpc, addLdap, addMailCmds, addSmb, addSsh } from './protocols.js';
import { maybeAlert, role, type Scenario, type ScenarioDef, ws } from './scenario-kit.js';

const smbInternal: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(10, 900_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: role(c, 'file'),
    dport: 445,
    proto: 'TCP',
    app: 'smb',
    sent: rng.logInt(500, 2_000_000),
    recv: rng.logInt(500, 20_000_000),
  });
  const filename = rng.pick([
    '\\Finance\\budget.xlsx',
    '\\HR\\policy.docx',
    '\\Public\\scan_0012.pdf',
    '\\IT\\tools\\putty.exe',
  ]);
  addSmb(
    c,
    f,
    ['NEGOTIATE', 'SESSION_SETUP', 'TREE_CONNECT', 'CREATE', 'READ', 'CLOSE'],
    `\\\\${f.dst.name ?? 'fs01'}\\share`,
    filename,
  );
  if (rng.chance(0.04)) {
    c.fileNo++;
    const base = filename.split('\\').pop() ?? 'file.bin';
    const ext: FileExt = base.endsWith('.exe') ? 'exe' : base.endsWith('.pdf') ? 'pdf' : 'docx';
    append(
      f,
      'files',
      makeFile(rng, {
        flowId: f.id,
        filename: base,
        filepath: filename,
        ext,
        size: rng.logInt(500, 40_000),
        toClient: true,
        txId: 3,
        index: f._index,
        fileNo: c.fileNo,
      }),
    );
  }
  maybeAlert(c, f, 'smb-attack', 0.01);
  return f;
};

const ldapQuery: Scenario = (c, start) => {
  const { rng } = c;
  const src = ws(c);
  const f = newFlow(c, {
    start,
    durationMs: rng.int(5, 3000),
    src,
    sport: ephemeral(rng),
    dst: role(c, 'dc'),
    dport: 389,
    proto: 'TCP',
    app: 'ldap',
    sent: rng.int(300, 9000),
    recv: rng.int(500, 90_000),
  });
  addLdap(c, f, 'bindRequest', null, 'sasl');
  addLdap(c, f, 'searchRequest', null, null);
  maybeAlert(c, f, 'ldap-recon', 0.005);
  return f;
};

const kerberos: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.int(2, 200),
    src: ws(c),
    sport: ephemeral(rng),
    dst: role(c, 'dc'),
    dport: 88,
    proto: rng.chance(0.7) ? 'TCP' : 'UDP',
    app: 'kerberos',
    sent: rng.int(200, 2000),
    recv: rng.int(200, 3000),
  });
  maybeAlert(c, f, 'kerberoast', 0.003);
  return f;
};

const dcerpc: Scenario = (c, start) => {
  const { rng } = c;
  const src = ws(c);
  const f = newFlow(c, {
    start,
    durationMs: rng.int(5, 2000),
    src,
    sport: ephemeral(rng),
    dst: role(c, 'dc'),
    dport: 135,
    proto: 'TCP',
    app: 'dcerpc',
    sent: rng.int(300, 8000),
    recv: rng.int(300, 8000),
  });
  addDcerpc(
    c,
    f,
    rng.pick(['lsarpc', 'samr', 'netlogon', 'drsuapi']),
    rng.pick(['LsarLookupNames', 'SamrConnect5', 'NetrLogonSamLogonEx', 'DRSGetNCChanges']),
    `user${src.hostId ?? 0}`,
  );
  maybeAlert(c, f, 'lateral', 0.003);
  return f;
};

const ntp: Scenario = (c, start) => {
  const { rng } = c;
  return newFlow(c, {
    start,
    durationMs: rng.int(1, 50),
    src: role(c, 'dc'),
    sport: 123,
    dst: pickExternal(rng, c.net),
    dport: 123,
    proto: 'UDP',
    app: 'ntp',
    sent: 90,
    recv: 90,
  });
};

const mailInternal: Scenario = (c, start) => {
  const { rng } = c;
  const proto = rng.pick(['smtp', 'imap', 'pop3'] as const);
  const port = proto === 'smtp' ? 587 : proto === 'imap' ? 143 : 110;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(50, 60_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: role(c, 'mail'),
    dport: port,
    proto: 'TCP',
    app: proto,
    sent: rng.logInt(200, 500_000),
    recv: rng.logInt(200, 2_000_000),
  });
  const cmds =
    proto === 'smtp' ? ['EHLO', 'STARTTLS'] : proto === 'imap' ? ['CAPABILITY', 'STARTTLS'] : ['CAPA', 'STLS'];
  addMailCmds(c, f, proto, cmds);
  return f;
};

const smtpOutbound: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(200, 30_000),
    src: role(c, 'mail'),
    sport: ephemeral(rng),
    dst: pickExternal(rng, c.net),
    dport: 25,
    proto: 'TCP',
    app: 'smtp',
    sent: rng.logInt(2000, 3_000_000),
    recv: rng.int(500, 3000),
  });
  addMailCmds(c, f, 'smtp', ['EHLO', 'STARTTLS']);
  return f;
};

const sshAdmin: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(1000, 1_700_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: role(c, 'linux'),
    dport: 22,
    proto: 'TCP',
    app: 'ssh',
    sent: rng.logInt(2000, 900_000),
    recv: rng.logInt(2000, 9_000_000),
  });
  addSsh(c, f);
  return f;
};

const rdp: Scenario = (c, start) => {
  const { rng } = c;
  return newFlow(c, {
    start,
    durationMs: rng.logInt(10_000, 1_700_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: role(c, rng.pick(['file', 'db', 'dc'] as const)),
    dport: 3389,
    proto: 'TCP',
    app: 'rdp',
    sent: rng.logInt(20_000, 9_000_000),
    recv: rng.logInt(50_000, 90_000_000),
  });
};

const nameBroadcast: Scenario = (c, start) => {
  const { rng } = c;
  const nbns = rng.chance(0.55);
  const src = ws(c);
  const dst = broadcastPeer(src, nbns ? `${src.ip.split('.').slice(0, 3).join('.')}.255` : '224.0.0.252');
  const f = newFlow(c, {
    start,
    durationMs: rng.int(1, 5),
    src,
    sport: nbns ? 137 : ephemeral(rng),
    dst,
    dport: nbns ? 137 : 5355,
    proto: 'UDP',
    app: nbns ? 'nbns' : 'llmnr',
    sent: rng.int(50, 90),
    recv: 0,
  });
  return f;
};

const sqlInternal: Scenario = (c, start) => {
  const { rng } = c;
  return newFlow(c, {
    start,
    durationMs: rng.logInt(10, 600_000),
    src: role(c, 'web'),
    sport: ephemeral(rng),
    dst: role(c, 'db'),
    dport: 1433,
    proto: 'TCP',
    app: 'tds',
    sent: rng.logInt(500, 900_000),
    recv: rng.logInt(500, 9_000_000),
  });
};

/** Internal scenarios with their weights (per ~10,000 flows). */
export const INTERNAL_SCENARIOS: readonly ScenarioDef[] = [
  { name: 'smb-internal', make: smbInternal, weight: 500, examples: [] },
  { name: 'ldap-query', make: ldapQuery, weight: 300, examples: [] },
  { name: 'kerberos', make: kerberos, weight: 250, examples: [] },
  { name: 'dcerpc', make: dcerpc, weight: 150, examples: [] },
  { name: 'ntp', make: ntp, weight: 150, examples: [] },
  { name: 'mail-internal', make: mailInternal, weight: 200, examples: [] },
  { name: 'smtp-outbound', make: smtpOutbound, weight: 100, examples: [] },
  { name: 'ssh-admin', make: sshAdmin, weight: 150, examples: [] },
  { name: 'rdp', make: rdp, weight: 80, examples: [] },
  {
    name: 'name-broadcast',
    make: nameBroadcast,
    weight: 250,
    examples: ["app_proto == 'nbns' or app_proto == 'llmnr'"],
  },
  { name: 'sql-internal', make: sqlInternal, weight: 80, examples: [] },
];
