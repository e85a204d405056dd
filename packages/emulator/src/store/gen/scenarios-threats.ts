/**
 * Planted threat scenarios: a small, fixed share of flows built so that the shared example filters
 * (bql-examples.json) have real hits: telnet, SSH tunnels, cleartext domain credentials, TOR, top PT alerts,
 * ESC indicators, remote access tools, encrypted SMB, Telegram, miners and MultiScanner verdicts.
 */
import { addAlert, append, CLEAN_FINISHED, ephemeral, newFlow, ruleFor } from './flow-base.js';
import { peerAs, peersOf, pickExternal, pickListPeer, pickOrgPeer } from './network.js';
import { addDns, addFtp, addHttp, addLdap, addMailCmds, addSmb, addSsh, addTls } from './protocols.js';
import { addDownload, alertTag, maybeAlert, type Scenario, type ScenarioDef, ws } from './scenario-kit.js';

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
    shape: CLEAN_FINISHED,
  });
  append(f, 'credentials', {
    user: rng.pick(['admin', 'cisco', 'netops']),
    password: rng.pick(['admin', 'cisco123', 'P@ssw0rd']),
    valid: 1,
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
  alertTag(c, f, 'ssh-tunnel');
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
    shape: CLEAN_FINISHED,
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
  append(f, 'credentials', { user: login, password: rng.pick(['Winter2024!', 'Qwerty123', 'corp#2024']), valid: 1 });
  if (kind === 'ldap') alertTag(c, f, 'ldap-bind');
  if (kind === 'pop3' && rng.chance(0.5)) alertTag(c, f, 'pop3-creds');
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
  const rule = ruleFor(c, f, 'c2', (r) => r.vendor === 'PTSecurity' && r.priority === 1);
  if (rule) addAlert(c, f, rule);
  return f;
};

const escIndicator: Scenario = (c, start) => {
  const { rng } = c;
  const list = rng.pick(['ESC-manual-cobalt_strike-dns', 'ESC-auto-qakbot-dns', 'ESC-auto-qakbot-dns', 'dga']);
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
  const list = rng.pick(['ESC-manual-cobalt_strike-dns', 'ESC-auto-qakbot-dns', 'dga', 'miners']);
  const target = pickListPeer(rng, c.net, list);
  // Sinkholed DGA domains resolve to a sinkhole address (the "DNS spoofing" filter looks for those answers).
  const answer = list === 'dga' && rng.chance(0.5) ? pickListPeer(rng, c.net, 'sinkholes').ip : target.ip;
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
  addDns(c, f, target.dns ?? 'unknown.invalid', answer);
  maybeAlert(c, f, 'dns', 0.3);
  return f;
};

// [app_service, org, port, app_proto, SNI, rule tag]
const REMOTE: ReadonlyArray<readonly [string | null, string, number, string, string | null, string]> = [
  ['Anydesk', 'anydesk', 443, 'tls', 'boot.net.anydesk.com', 'remote-anydesk'],
  ['Teamviewer', 'teamviewer', 5938, 'teamviewer', null, 'remote-teamviewer'],
  ['RMS', 'hetzner', 5655, '', null, 'remote-rms'],
  ['AmmyyAdmin', 'ovh', 443, '', null, 'remote-ammyy'],
  ['RustDesk', 'digitalocean', 21116, '', null, 'remote-rustdesk'],
  ['Aeroadmin', 'ovh', 5500, '', null, 'remote-aeroadmin'],
  [null, 'hetzner', 5650, '', null, 'remote-litemanager'],
  ['Screen_connect', 'amazon', 8041, 'tls', 'instance-ab12cd.screenconnect.com', ''],
  ['MyAssistante', 'yandex', 443, 'tls', null, ''],
];

const remoteAccess: Scenario = (c, start) => {
  const { rng } = c;
  const radmin = rng.chance(0.15);
  const [service, orgKey, port, app, sni, tag] = rng.pick(REMOTE);
  const dst = radmin ? rng.pick(c.net.workstations) : pickOrgPeer(rng, c.net, orgKey);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(10_000, 1_700_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: radmin ? 4899 : port,
    proto: 'TCP',
    app: radmin ? '' : app,
    service: radmin ? 'Radmin' : service,
    sent: rng.logInt(10_000, 9_000_000),
    recv: rng.logInt(10_000, 90_000_000),
    shape: CLEAN_FINISHED,
  });
  if (!radmin && app === 'tls') addTls(c, f, sni, 'TLS 1.2');
  if (!radmin && tag !== '' && rng.chance(0.8)) alertTag(c, f, tag);
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
  const base = pickOrgPeer(rng, c.net, 'telegram');
  const dst = peerAs(base, base.ip, 'api.telegram.org');
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
    app: '',
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
    append(f, 'rpt', {
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
  if (file && (file.filename.endsWith('.exe') || file.filename.endsWith('.dll'))) alertTag(c, f, 'pe-download');
  return f;
};

/** Planted threat scenarios with their weights (per ~10,000 flows) and the example filters they answer. */
export const THREAT_SCENARIOS: readonly ScenarioDef[] = [
  { name: 'telnet', make: telnet, weight: 15, examples: ["app_proto == 'telnet'"] },
  { name: 'ssh-tunnel', make: sshTunnel, weight: 10, examples: ['ssh.tunnel == 1'] },
  {
    name: 'cleartext-credentials',
    make: cleartextCreds,
    weight: 20,
    examples: [
      '(credentials.login ~ "CN=*" or credentials.login ~ "*@*" or credentials.login ~ "*\\\\*") and credentials.password and credentials.valid == 1',
      'credentials.valid == 1',
      "credentials.password and app_proto == 'ldap'",
      "credentials.valid == 1 and credentials.password != '' and app_proto == 'http' and dst.groups == 'HOME_NET'",
      "credentials.valid == 1 and credentials.password != '' and app_proto == 'ftp' and dst.groups == 'HOME_NET'",
    ],
  },
  {
    name: 'tor-alert',
    make: torAlert,
    weight: 12,
    examples: [
      "(rpt.cat == 'tor-relays' && app_proto == 'tls' and rpt.where == 'flow.dst') or alert.msg ~ '*[PTsecurity]*TOR*'",
      'alert.msg ~ "POLICY [PTsecurity] TOR*"',
    ],
  },
  {
    name: 'tor-sni',
    make: torSni,
    weight: 10,
    examples: [
      'rpt.cat == "tor-relays" and rpt.where == "flow.dst" and app_proto == "tls" and (tls.server_name ~ "www.????*.com" and not tls.server_name ~ "*-*" and not tls.server_name ~ "*0*" and not tls.server_name ~ "*1*" and not tls.server_name ~ "*8*" and not tls.server_name ~ "*9*" and not tls.server_name ~ "www.*.*.com")',
    ],
  },
  { name: 'pt-top-alert', make: ptTopAlert, weight: 20, examples: ['alert.pr == 1 and alert.msg ~ "*PTsecurity*"'] },
  {
    name: 'esc-indicator',
    make: escIndicator,
    weight: 15,
    examples: [
      '(rpt.cat ~ "ESC-manual-*-dns" or rpt.cat ~ "ESC-auto-*-dns") and not rpt.where == "dns"',
      'rpt.cat && alert',
      "rpt.cat == 'dga' && app_proto != 'dns'",
    ],
  },
  { name: 'esc-dns-query', make: escDnsQuery, weight: 15, examples: ["app_proto == dns and rpt.cat == 'sinkholes'"] },
  {
    name: 'remote-access',
    make: remoteAccess,
    weight: 30,
    examples: [
      'app_service in [ "Anydesk", "Teamviewer", "MyAssistante", "RMS", "AmmyyAdmin", "Screen_connect", "Aeroadmin", "Radmin", "RemoteAdmin", "RustDesk"]',
      'app_proto == teamviewer',
      "dst.dns ~ '*.teamviewer.com'",
      "alert.msg == 'REMOTE [PTsecurity] AeroAdmin'",
      "alert.msg == 'REMOTE [PTsecurity] LiteManager.RemoteUtilities'",
      "alert.msg == 'REMOTE [PTsecurity] RMS.Remote Utilities Access Tool'",
      "alert.msg == 'REMOTE [PTsecurity] AMMYY RAT'",
    ],
  },
  { name: 'smb-encrypted', make: smbEncrypted, weight: 15, examples: ['smb.rqs.command == ENCRYPTED'] },
  { name: 'telegram-api', make: telegram, weight: 15, examples: ['tls.server_name == "api.telegram.org"'] },
  { name: 'miner', make: miner, weight: 15, examples: ["rpt.cat == 'miners'"] },
  { name: 'malware-download', make: malwareDownload, weight: 15, examples: ["rpt.type == 'ms'", 'files'] },
];
