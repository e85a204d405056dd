/**
 * Planted threat scenarios: a small, fixed share of flows built so that the shared example filters
 * (bql-examples.json) have real hits: telnet, SSH tunnels, cleartext domain credentials, TOR, top PT alerts,
 * ESC indicators, remote access tools, encrypted SMB, Telegram, miners and MultiScanner verdicts.
 */
import { addAlert, CLEAN_FINISHED, ephemeral, newFlow, ruleFor } from './flow-base.js';
import { peersOf, pickExternal, pickListPeer, pickOrgPeer } from './network.js';
import { addDns, addFtp, addHttp, addLdap, addMailCmds, addSmb, addSsh, addTls } from './protocols.js';
import { addDownload, alertTag, maybeAlert, type Scenario, ws } from './scenario-kit.js';

const telnet: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(2000, 600_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: rng.pick(peersOf(c.net, 'switch')),
    dport: 23,
    proto: 'TCP',
    app: 'telnet',
    sent: rng.int(300, 9000),
    recv: rng.int(1000, 90_000),
    flags: CLEAN_FINISHED,
  });
  f.credentials.push({
    login: rng.pick(['admin', 'cisco', 'netops']),
    password: rng.pick(['admin', 'cisco123', 'P@ssw0rd']),
    valid: 1,
    proto: 'telnet',
  });
  if (rng.chance(0.5)) alertTag(c, f, 'telnet');
  return f;
};

const sshTunnel: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(60_000, 1_700_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: pickOrgPeer(rng, c.net, rng.pick(['digitalocean', 'hetzner'])),
    dport: rng.pick([22, 443, 2222]),
    proto: 'TCP',
    app: 'ssh',
    sent: rng.logInt(50_000, 9_000_000),
    recv: rng.logInt(50_000, 90_000_000),
  });
  addSsh(c, f, { tunnel: true });
  alertTag(c, f, 'ssh', (r) => r.msg.includes('port forwarding'));
  return f;
};

const cleartextCreds: Scenario = (c, start) => {
  const { rng } = c;
  const src = ws(c);
  const user = `user${src.hostId ?? 1}`;
  const login = rng.pick([`CN=${user},OU=Staff,DC=corp,DC=local`, `${user}@corp.local`, `CORP\\${user}`]);
  const kind = rng.pick(['ldap', 'ftp', 'pop3', 'http'] as const);
  const dst =
    kind === 'ldap'
      ? rng.pick(peersOf(c.net, 'dc'))
      : kind === 'pop3'
        ? rng.pick(peersOf(c.net, 'mail'))
        : rng.pick(peersOf(c.net, kind === 'ftp' ? 'linux' : 'web'));
  const port = { ldap: 389, ftp: 21, pop3: 110, http: 80 }[kind];
  const f = newFlow(c, {
    start,
    durationMs: rng.int(20, 5000),
    src,
    sport: ephemeral(rng),
    dst,
    dport: port,
    proto: 'TCP',
    app: kind,
    sent: rng.int(300, 5000),
    recv: rng.int(300, 50_000),
    flags: CLEAN_FINISHED,
  });
  if (kind === 'ldap') addLdap(c, f, 'bindRequest', login, 'simple');
  if (kind === 'ftp')
    addFtp(c, f, [
      ['USER', login, 331],
      ['PASS', null, 230],
      ['RETR', 'backup.tar.gz', 226],
    ]);
  if (kind === 'pop3') addMailCmds(c, f, 'pop3', ['USER', 'PASS', 'STAT', 'RETR', 'QUIT']);
  if (kind === 'http') addHttp(c, f, { method: 'POST', host: dst.dns ?? dst.ip, url: '/login', code: 302 });
  f.credentials.push({ login, password: rng.pick(['Winter2024!', 'Qwerty123', 'corp#2024']), valid: 1, proto: kind });
  if (kind === 'ldap') alertTag(c, f, 'ldap', (r) => r.msg.includes('LDAP simple bind'));
  return f;
};

const torAlert: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(5000, 1_700_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: pickListPeer(rng, c.net, 'tor-relays'),
    dport: rng.pick([9001, 443, 9030]),
    proto: 'TCP',
    app: 'tls',
    sent: rng.logInt(5000, 900_000),
    recv: rng.logInt(5000, 9_000_000),
  });
  addTls(c, f, null, 'TLS 1.2');
  alertTag(c, f, 'tor', (r) => r.msg.startsWith('POLICY [PTsecurity] TOR'));
  return f;
};

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const torSni: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(5000, 1_700_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: pickListPeer(rng, c.net, 'tor-relays'),
    dport: 443,
    proto: 'TCP',
    app: 'tls',
    sent: rng.logInt(5000, 900_000),
    recv: rng.logInt(5000, 9_000_000),
  });
  // TOR clients send random `www.<letters>.com` SNIs: the shape the TOR example filter looks for.
  addTls(c, f, `www.${rng.chars(LETTERS, rng.int(6, 16))}.com`, 'TLS 1.2');
  return f;
};

const ptTopAlert: Scenario = (c, start) => {
  const { rng } = c;
  const dst = pickExternal(rng, c.net);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(100, 60_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: 443,
    proto: 'TCP',
    app: 'tls',
    sent: rng.logInt(600, 90_000),
    recv: rng.logInt(600, 900_000),
  });
  addTls(c, f, dst.dns, 'TLS 1.2');
  const rule = ruleFor(c, rng.pick(['c2', 'http-attack', 'smb']), (r) => r.vendor === 'PTSecurity' && r.priority === 1);
  if (rule) addAlert(c, f, rule, rng.chance(0.5));
  return f;
};

const escIndicator: Scenario = (c, start) => {
  const { rng } = c;
  const list = rng.pick(['ESC-manual-cobalt_strike-dns', 'ESC-auto-qakbot-dns']);
  const dst = pickListPeer(rng, c.net, list);
  const https = rng.chance(0.5);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(100, 60_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: https ? 443 : 80,
    proto: 'TCP',
    app: https ? 'tls' : 'http',
    sent: rng.logInt(600, 90_000),
    recv: rng.logInt(600, 900_000),
  });
  if (https) addTls(c, f, dst.dns, 'TLS 1.2');
  else
    addHttp(c, f, {
      method: rng.pick(['GET', 'POST']),
      host: dst.dns ?? dst.ip,
      url: '/jquery-3.3.1.min.js',
      code: 200,
      rspType: 'application/javascript',
    });
  maybeAlert(c, f, 'c2', 0.5);
  return f;
};

const escDnsQuery: Scenario = (c, start) => {
  const { rng } = c;
  const target = pickListPeer(
    rng,
    c.net,
    rng.pick(['ESC-manual-cobalt_strike-dns', 'ESC-auto-qakbot-dns', 'dga', 'miners']),
  );
  const f = newFlow(c, {
    start,
    durationMs: rng.int(1, 80),
    src: ws(c),
    sport: ephemeral(rng),
    dst: rng.pick(peersOf(c.net, 'dc')),
    dport: 53,
    proto: 'UDP',
    app: 'dns',
    sent: rng.int(60, 120),
    recv: rng.int(80, 300),
  });
  addDns(c, f, target.dns ?? 'unknown.invalid', target.ip);
  maybeAlert(c, f, 'dns', 0.3);
  return f;
};

const REMOTE: ReadonlyArray<readonly [string, string, number, string, string | null]> = [
  ['Anydesk', 'anydesk', 443, 'tls', 'boot.net.anydesk.com'],
  ['Teamviewer', 'teamviewer', 5938, 'teamviewer', null],
  ['RMS', 'hetzner', 5655, 'unknown', null],
  ['AmmyyAdmin', 'ovh', 443, 'unknown', null],
  ['RustDesk', 'digitalocean', 21116, 'unknown', null],
  ['Aeroadmin', 'ovh', 5500, 'unknown', null],
  ['Screen_connect', 'amazon', 8041, 'tls', 'instance-ab12cd.screenconnect.com'],
  ['MyAssistante', 'yandex', 443, 'tls', null],
];

const remoteAccess: Scenario = (c, start) => {
  const { rng } = c;
  const radmin = rng.chance(0.15);
  const [service, orgKey, port, app, sni] = rng.pick(REMOTE);
  const dst = radmin ? rng.pick(c.net.workstations) : pickOrgPeer(rng, c.net, orgKey);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(10_000, 1_700_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: radmin ? 4899 : port,
    proto: 'TCP',
    app: radmin ? 'unknown' : app,
    service: radmin ? 'Radmin' : service,
    sent: rng.logInt(10_000, 9_000_000),
    recv: rng.logInt(10_000, 90_000_000),
  });
  if (!radmin && app === 'tls') addTls(c, f, sni, 'TLS 1.2');
  if (rng.chance(0.5)) alertTag(c, f, 'remote');
  return f;
};

const smbEncrypted: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(100, 600_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: rng.pick(peersOf(c.net, 'file')),
    dport: 445,
    proto: 'TCP',
    app: 'smb',
    sent: rng.logInt(1000, 900_000),
    recv: rng.logInt(1000, 9_000_000),
  });
  addSmb(
    c,
    f,
    ['NEGOTIATE', 'SESSION_SETUP', 'ENCRYPTED', 'ENCRYPTED', 'ENCRYPTED'],
    `\\\\${f.dst.name ?? 'fs01'}\\IPC$`,
    null,
  );
  return f;
};

const telegram: Scenario = (c, start) => {
  const { rng } = c;
  const dst = { ...pickOrgPeer(rng, c.net, 'telegram'), dns: 'api.telegram.org' };
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(200, 120_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: 443,
    proto: 'TCP',
    app: 'tls',
    sent: rng.logInt(800, 90_000),
    recv: rng.logInt(800, 90_000),
  });
  addTls(c, f, 'api.telegram.org', 'TLS 1.3');
  if (rng.chance(0.4)) alertTag(c, f, 'telegram');
  return f;
};

const miner: Scenario = (c, start) => {
  const { rng } = c;
  const dst = pickListPeer(rng, c.net, 'miners');
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(60_000, 1_700_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: rng.pick([3333, 4444, 14444, 5555]),
    proto: 'TCP',
    app: 'unknown',
    sent: rng.logInt(5000, 900_000),
    recv: rng.logInt(5000, 900_000),
  });
  alertTag(c, f, 'miner');
  return f;
};

const VERDICTS = [
  'Trojan.Win32.Agent.gen',
  'HEUR:Trojan-Downloader.Win32.Generic',
  'Backdoor.Win32.CobaltStrike.a',
  'Trojan-Spy.MSIL.AgentTesla',
];

const malwareDownload: Scenario = (c, start) => {
  const { rng } = c;
  const dst = pickOrgPeer(rng, c.net, rng.pick(['digitalocean', 'ovh', 'hetzner']));
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(200, 60_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: 80,
    proto: 'TCP',
    app: 'http',
    sent: rng.int(300, 2000),
    recv: rng.logInt(5000, 900_000),
  });
  addDownload(c, f, rng.pick(['exe', 'dll', 'ps1', 'xlsm'] as const));
  const file = f.files[f.files.length - 1];
  if (file) {
    // PT MultiScanner verdict on the extracted file; half of them are also on the `malware` hash list.
    f.rpt.push({
      where: 'files.md5',
      id: 0,
      type: 'ms',
      cat: 'malware',
      color: '1',
      verdict: rng.pick(VERDICTS),
      value: file.md5,
    });
    if (c.malwareList && rng.chance(0.5))
      c.malwareList.items.push({ value: file.md5, attrs: {}, modified: '2025-01-01T00:00:00.000000Z' });
  }
  alertTag(c, f, 'file');
  return f;
};

/** Planted threat scenarios with their weights (per ~10,000 flows). */
export const THREAT_SCENARIOS: ReadonlyArray<readonly [Scenario, number]> = [
  [telnet, 15],
  [sshTunnel, 10],
  [cleartextCreds, 20],
  [torAlert, 12],
  [torSni, 10],
  [ptTopAlert, 20],
  [escIndicator, 15],
  [escDnsQuery, 15],
  [remoteAccess, 30],
  [smbEncrypted, 15],
  [telegram, 15],
  [miner, 15],
  [malwareDownload, 15],
];
