/**
 * Planted protocol-hygiene scenarios for the example filters: inbound connections to odd ports, mail without
 * STARTTLS, BitTorrent, .deb downloads, non-DNS traffic on port 53, TLS off 443, HTTP off 80, OpenVPN and
 * SOCKS5, and mail attachments.
 */
import { makeFile } from './files.js';
import { append, CLEAN_FINISHED, ephemeral, newFlow } from './flow-base.js';
import { peersOf, pickExternal, pickOrgPeer } from './network.js';
import { addHttp, addMailCmds, addTls } from './protocols.js';
import { addDownload, alertTag, maybeAlert, type Scenario, type ScenarioDef, ws } from './scenario-kit.js';

const ODD_PORTS = [2222, 5900, 8443, 10050, 4899, 6379, 9200, 27017];

const oddInbound: Scenario = (c, start) => {
  const { rng } = c;
  const src = pickOrgPeer(rng, c.net, rng.pick(['hetzner', 'ovh', 'digitalocean', 'chinanet']));
  const sport = rng.int(1024, 65535);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(100, 600_000),
    src,
    sport: sport === 53 || sport === 443 || sport === 123 ? 40000 : sport,
    dst: rng.pick(peersOf(c.net, rng.pick(['web', 'linux', 'db'] as const))),
    dport: rng.pick(ODD_PORTS),
    proto: 'TCP',
    app: '',
    sent: rng.logInt(200, 90_000),
    recv: rng.logInt(200, 90_000),
    shape: CLEAN_FINISHED,
  });
  maybeAlert(c, f, 'scan', 0.3);
  return f;
};

const mailNoTls: Scenario = (c, start) => {
  const { rng } = c;
  const proto = rng.pick(['smtp', 'pop3', 'imap'] as const);
  const port = { smtp: 25, pop3: 110, imap: 143 }[proto];
  const dst = pickOrgPeer(rng, c.net, rng.pick(['yandex', 'ovh', 'hetzner']));
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(200, 60_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: port,
    proto: 'TCP',
    app: proto,
    sent: rng.logInt(300, 900_000),
    recv: rng.logInt(300, 900_000),
  });
  const cmds = {
    smtp: ['EHLO', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'QUIT'],
    pop3: ['USER', 'PASS', 'LIST', 'RETR', 'QUIT'],
    imap: ['CAPABILITY', 'LOGIN', 'SELECT', 'FETCH', 'LOGOUT'],
  }[proto];
  addMailCmds(c, f, proto, cmds);
  if (proto === 'smtp') {
    f.mail = [
      {
        id: f.id.slice(0, 12),
        from: 'accountant@corp.local',
        to: ['partner@example.com'],
        subject: 'Invoice',
        date: new Date(start)
          .toUTCString()
          .replace(/^\w+, /, '')
          .replace('GMT', '+0000'),
      },
    ];
  }
  maybeAlert(c, f, proto === 'smtp' ? 'smtp-auth' : 'pop3-creds', 0.3);
  return f;
};

const bittorrent: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(1000, 1_700_000),
    src: ws(c),
    sport: rng.int(6881, 6889),
    dst: pickExternal(rng, c.net),
    dport: rng.int(6881, 6999),
    proto: rng.chance(0.5) ? 'UDP' : 'TCP',
    app: 'bittorrent',
    sent: rng.logInt(1000, 90_000_000),
    recv: rng.logInt(1000, 90_000_000),
  });
  maybeAlert(c, f, 'bittorrent', 0.3);
  return f;
};

const debDownload: Scenario = (c, start) => {
  const { rng } = c;
  const dst = pickOrgPeer(rng, c.net, 'debian');
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(500, 120_000),
    src: rng.pick(peersOf(c.net, 'linux')),
    sport: ephemeral(rng),
    dst,
    dport: 80,
    proto: 'TCP',
    app: 'http',
    sent: rng.int(300, 3000),
    recv: rng.logInt(20_000, 9_000_000),
  });
  const pkg = rng.pick(['curl_7.88.1-10+deb12u5', 'openssl_3.0.11-1~deb12u2', 'nginx_1.22.1-9', 'python3.11_3.11.2-6']);
  addDownload(c, f, 'deb', `${pkg}_amd64.deb`);
  if (rng.chance(0.5)) alertTag(c, f, 'deb');
  return f;
};

const dnsPortNotDns: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(1000, 600_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: pickOrgPeer(rng, c.net, rng.pick(['digitalocean', 'hetzner'])),
    dport: 53,
    proto: rng.chance(0.5) ? 'TCP' : 'UDP',
    app: rng.pick(['openvpn', '']),
    sent: rng.logInt(2000, 900_000),
    recv: rng.logInt(2000, 900_000),
    shape: CLEAN_FINISHED,
  });
  if (f.app_proto === 'openvpn') alertTag(c, f, 'openvpn');
  return f;
};

const tlsOddPort: Scenario = (c, start) => {
  const { rng } = c;
  const dst = pickExternal(rng, c.net);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(100, 600_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: rng.pick([8443, 993, 995, 465, 4443, 9443]),
    proto: 'TCP',
    app: 'tls',
    sent: rng.logInt(600, 90_000),
    recv: rng.logInt(600, 900_000),
  });
  addTls(c, f, dst.dns, 'TLS 1.2');
  return f;
};

const httpOddPort: Scenario = (c, start) => {
  const { rng } = c;
  const dst = pickExternal(rng, c.net);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(50, 60_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: rng.pick([8080, 8000, 8888, 81, 3128]),
    proto: 'TCP',
    app: 'http',
    sent: rng.logInt(300, 20_000),
    recv: rng.logInt(300, 900_000),
  });
  addHttp(c, f, {
    method: rng.chance(0.3) ? 'POST' : 'GET',
    host: `${dst.dns ?? dst.ip}:${f.dst.port}`,
    url: '/api/status',
    code: 200,
    rspType: 'application/json',
  });
  return f;
};

const openvpnSocks: Scenario = (c, start) => {
  const { rng } = c;
  const socks = rng.chance(0.5);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(5000, 1_700_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: pickOrgPeer(rng, c.net, rng.pick(['digitalocean', 'hetzner', 'ovh'])),
    dport: socks ? 1080 : 1194,
    proto: socks ? 'TCP' : 'UDP',
    app: socks ? 'socks5' : 'openvpn',
    sent: rng.logInt(5000, 9_000_000),
    recv: rng.logInt(5000, 90_000_000),
  });
  if (socks && rng.chance(0.6)) append(f, 'credentials', { user: `proxy${rng.int(1, 40)}`, password: null, valid: 1 });
  return f;
};

const emailAttachment: Scenario = (c, start) => {
  const { rng } = c;
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(500, 30_000),
    src: pickExternal(rng, c.net),
    sport: ephemeral(rng),
    dst: rng.pick(peersOf(c.net, 'mail')),
    dport: 25,
    proto: 'TCP',
    app: 'smtp',
    sent: rng.logInt(20_000, 900_000),
    recv: rng.int(500, 2000),
  });
  addMailCmds(c, f, 'smtp', ['EHLO', 'STARTTLS', 'MAIL', 'RCPT', 'DATA']);
  c.fileNo++;
  const ext = rng.pick(['pdf', 'docx', 'xlsm', 'zip'] as const);
  append(
    f,
    'files',
    makeFile(rng, {
      flowId: f.id,
      filename: `document_${rng.int(100, 999)}.${ext}`,
      filepath: '',
      ext,
      size: rng.logInt(2000, 48_000),
      toClient: false,
      txId: 4,
      index: f._index,
      fileNo: c.fileNo,
    }),
  );
  return f;
};

/** Staff reading corporate mail from home: an external client logs in to the mail server in cleartext. */
const mailExternalClient: Scenario = (c, start) => {
  const { rng } = c;
  const imap = rng.chance(0.6);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(500, 120_000),
    src: pickOrgPeer(rng, c.net, rng.pick(['rostelecom', 'yandex'])),
    sport: ephemeral(rng),
    dst: rng.pick(peersOf(c.net, 'mail')),
    dport: imap ? 143 : 110,
    proto: 'TCP',
    app: imap ? 'imap' : 'pop3',
    sent: rng.logInt(300, 5000),
    recv: rng.logInt(2000, 900_000),
    shape: CLEAN_FINISHED,
  });
  addMailCmds(
    c,
    f,
    imap ? 'imap' : 'pop3',
    imap ? ['CAPABILITY', 'LOGIN', 'SELECT', 'FETCH', 'LOGOUT'] : ['USER', 'PASS', 'STAT', 'RETR', 'QUIT'],
  );
  append(f, 'credentials', {
    user: `user${rng.int(1, 320)}@corp.local`,
    password: rng.pick(['Summer2024', 'Pa$$w0rd1']),
    valid: 1,
  });
  return f;
};

/** Planted hygiene scenarios with their weights (per ~10,000 flows) and the example filters they answer. */
export const HYGIENE_SCENARIOS: readonly ScenarioDef[] = [
  {
    name: 'odd-inbound',
    make: oddInbound,
    weight: 25,
    examples: [
      "src.groups != 'HOME_NET' && dst.port != 80 && dst.port != 443 && dst.port != 25 && src.port != 53 && src.port != 443 && src.port != 123 && (flags == 'FINISHED' && !(flags == 'MISSED_START' || flags == 'MISSED_END')) && pkts.recv > 0",
    ],
  },
  {
    name: 'mail-without-tls',
    make: mailNoTls,
    weight: 20,
    examples: [
      "(app_proto == 'smtp' || app_proto == 'pop3' || app_proto == 'imap') && !(smtp.rqs.cmd.name == 'STARTTLS' || pop3.rqs.cmd.name == 'STLS' || imap.rqs.cmd.name == 'STARTTLS') && dst.groups != 'HOME_NET'",
    ],
  },
  {
    name: 'bittorrent',
    make: bittorrent,
    weight: 15,
    examples: ["app_proto == bittorrent and src.groups == 'HOME_NET'"],
  },
  { name: 'deb-download', make: debDownload, weight: 12, examples: ["files.filename ~ '*amd64.deb'"] },
  {
    name: 'port-53-not-dns',
    make: dnsPortNotDns,
    weight: 12,
    examples: [
      "dst.port == 53 && app_proto != 'dns' && (flags == 'FINISHED' && !(flags == 'MISSED_START' || flags == 'MISSED_END')) && pkts.recv > 0",
    ],
  },
  {
    name: 'tls-odd-port',
    make: tlsOddPort,
    weight: 20,
    examples: ["app_proto == 'tls' && dst.port != 443 && dst.groups != 'HOME_NET'"],
  },
  {
    name: 'http-odd-port',
    make: httpOddPort,
    weight: 20,
    examples: ["app_proto == 'http' && dst.port != 80 && dst.groups != 'HOME_NET'"],
  },
  {
    name: 'openvpn-socks5',
    make: openvpnSocks,
    weight: 15,
    examples: ['app_proto == openvpn', "app_proto == 'socks5' and credentials.login"],
  },
  { name: 'email-attachment', make: emailAttachment, weight: 20, examples: ['files'] },
  {
    name: 'mail-external-client',
    make: mailExternalClient,
    weight: 8,
    examples: [
      "credentials.password and (app_proto == 'smtp' or app_proto == 'pop3' or app_proto == 'imap') and src.groups == 'EXTERNAL_NET' && dst.groups == 'HOME_NET' and credentials.valid == 1",
      "(app_proto == 'smtp' || app_proto == 'pop3' || app_proto == 'imap') && credentials.valid == 1",
    ],
  },
];
