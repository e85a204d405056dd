/**
 * Planted scenarios for the real PT and ET rules that public filters and fixtures name (rules-real.ts): each
 * builds the traffic its rule describes (a Meterpreter HTTP response, PsExec over SMB, a DCSync request, a MySQL
 * password guess, ...) and alerts with it, so `alert.msg == '<the real message>'` finds the flow.
 */
import type { FlowRecord } from '../types.js';
import type { FileExt } from './files.js';
import { append, ephemeral, type FlowSpec, type GenCtx, newFlow } from './flow-base.js';
import { type Peer, peerAs, peersOf, pickOrgPeer } from './network.js';
import { addDcerpc, addFtp, addHttp, addSmb, type HttpSpec } from './protocols.js';
import { addDownload, alertAll, alertTag, type ScenarioDef, ws } from './scenario-kit.js';
import type { TcpShape } from './tcp.js';

interface Leg {
  src: Peer;
  dst: Peer;
  dport: number;
  app: string;
  proto?: 'TCP' | 'UDP';
  shape?: TcpShape;
  ms?: [number, number];
}

/** A session between two peers with plausible sizes. */
function session(c: GenCtx, start: number, leg: Leg): FlowRecord {
  const { rng } = c;
  const [lo, hi] = leg.ms ?? [80, 60_000];
  const spec: FlowSpec = {
    start,
    durationMs: rng.logInt(lo, hi),
    src: leg.src,
    sport: ephemeral(rng),
    dst: leg.dst,
    dport: leg.dport,
    proto: leg.proto ?? 'TCP',
    app: leg.app,
    sent: rng.logInt(300, 60_000),
    recv: rng.logInt(300, 600_000),
    shape: leg.shape ?? 'full',
  };
  return newFlow(c, spec);
}

const external = (c: GenCtx, orgs: readonly string[]): Peer => pickOrgPeer(c.rng, c.net, c.rng.pick(orgs));
const web = (c: GenCtx): Peer => c.rng.pick(peersOf(c.net, 'web'));
const host = (p: Peer): string => p.dns ?? p.ip;

/** An HTTP session with one transaction. */
function httpSession(c: GenCtx, start: number, leg: Omit<Leg, 'app'>, spec: Omit<HttpSpec, 'host'>): FlowRecord {
  const f = session(c, start, { ...leg, app: 'http' });
  addHttp(c, f, { host: host(leg.dst), ...spec });
  return f;
}

const msgIs = (msg: string) => `alert.msg == '${msg}'`;

export const REAL_RULE_SCENARIOS: readonly ScenarioDef[] = [
  {
    name: 'meterpreter-http',
    weight: 4,
    examples: [
      msgIs('TOOLS [PTsecurity] Meterpreter HTTP session opened: AES key exchange. Response.'),
      "alert.msg ~ 'METASPLOIT [PTsecurity]*'",
    ],
    make: (c, start) => {
      const f = httpSession(
        c,
        start,
        { src: ws(c), dst: external(c, ['digitalocean', 'hetzner']), dport: c.rng.pick([8080, 80]) },
        {
          method: 'POST',
          url: `/${c.rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 24)}/`,
          code: 200,
          rspType: 'application/octet-stream',
          server: 'Apache',
          ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/114.0',
        },
      );
      alertTag(c, f, 'meterpreter');
      alertTag(c, f, 'metasploit');
      return f;
    },
  },
  {
    name: 'frigate-proxy',
    weight: 3,
    examples: [msgIs('APP [PTsecurity] FriGate Proxy')],
    make: (c, start) => {
      const base = external(c, ['ovh', 'hetzner']);
      const dst = peerAs(base, base.ip, 'fri-gate.org');
      const f = httpSession(
        c,
        start,
        { src: ws(c), dst, dport: 80 },
        { method: 'GET', url: '/config.txt', code: 200, rspType: 'text/plain' },
      );
      alertTag(c, f, 'frigate');
      return f;
    },
  },
  {
    name: 'msi-download',
    weight: 4,
    examples: [msgIs('POLICY [PTsecurity] Executable application_x-msi Download')],
    make: (c, start) => {
      const f = session(c, start, {
        src: ws(c),
        dst: external(c, ['amazon', 'microsoft', 'akamai']),
        dport: 80,
        app: 'http',
      });
      addDownload(c, f, 'msi' satisfies FileExt);
      alertTag(c, f, 'msi');
      return f;
    },
  },
  {
    name: 'powershell-http',
    weight: 3,
    examples: [msgIs('SUSPICIOUS [PTsecurity] CMD/Powershell.Download HTTPHeader (WIN7)')],
    make: (c, start) => {
      const f = httpSession(
        c,
        start,
        { src: ws(c), dst: external(c, ['digitalocean', 'bulletproof']), dport: 80 },
        {
          method: 'GET',
          url: '/a.ps1',
          code: 200,
          rspType: 'text/plain',
          ua: 'Mozilla/5.0 (Windows NT; Windows NT 6.1; en-US) WindowsPowerShell/5.1.14409.1018',
        },
      );
      alertTag(c, f, 'powershell-http');
      return f;
    },
  },
  {
    name: 'python-http',
    weight: 3,
    examples: [msgIs('SUSPICIOUS [PTsecurity] Python Request HTTP Header')],
    make: (c, start) => {
      const f = httpSession(
        c,
        start,
        { src: c.rng.pick(peersOf(c.net, 'linux')), dst: external(c, ['digitalocean', 'amazon']), dport: 80 },
        { method: 'GET', url: '/api/v1/data', code: 200, rspType: 'application/json', ua: 'python-requests/2.31.0' },
      );
      alertTag(c, f, 'python-http');
      return f;
    },
  },
  {
    name: 'webshell-wget',
    weight: 3,
    examples: [msgIs('SHELL [PTsecurity] Possible webshell: WGET command in POST body')],
    make: (c, start) => {
      const f = httpSession(
        c,
        start,
        { src: external(c, ['chinanet', 'bulletproof']), dst: web(c), dport: 80 },
        { method: 'POST', url: '/uploads/img.php', code: 200, rqsType: 'application/x-www-form-urlencoded' },
      );
      alertTag(c, f, 'webshell');
      return f;
    },
  },
  {
    name: 'telegram-mtproto',
    weight: 5,
    examples: [
      "alert.msg == 'APP [PTsecurity] Telegram Messenger v3 HTTP' || alert.msg == 'APP [PTsecurity] Telegram Messenger v2' || alert.msg == 'APP [PTsecurity] Telegram Messenger'",
      msgIs('APP [PTsecurity] Telegram Messenger'),
      msgIs('APP [PTsecurity] Telegram Messenger v2'),
      msgIs('APP [PTsecurity] Telegram Messenger v3 HTTP'),
    ],
    make: (c, start) => {
      const dst = pickOrgPeer(c.rng, c.net, 'telegram');
      const kind = c.rng.int(0, 2);
      if (kind === 2) {
        const f = httpSession(
          c,
          start,
          { src: ws(c), dst, dport: 80 },
          {
            method: 'POST',
            url: '/api',
            code: 200,
            rspType: 'application/octet-stream',
            rqsType: 'application/octet-stream',
          },
        );
        alertTag(c, f, 'telegram-http');
        return f;
      }
      const f = session(c, start, { src: ws(c), dst, dport: c.rng.pick([443, 80]), app: '', ms: [5000, 1_700_000] });
      alertTag(c, f, 'telegram-mtproto', (r) => r.msg.endsWith(kind === 0 ? 'Messenger' : 'v2'));
      return f;
    },
  },
  {
    name: 'viber',
    weight: 3,
    examples: [msgIs('APP [PTsecurity] VIBER messenger connection')],
    make: (c, start) => {
      const f = session(c, start, {
        src: ws(c),
        dst: external(c, ['amazon']),
        dport: c.rng.pick([5242, 4244]),
        app: '',
        ms: [5000, 1_700_000],
      });
      alertTag(c, f, 'viber');
      return f;
    },
  },
  {
    name: 'mysql-bruteforce',
    weight: 3,
    examples: [msgIs('LOGIN [PTsecurity] MySQL login bruteforce (20 in a minute)')],
    make: (c, start) => {
      const f = session(c, start, {
        src: external(c, ['chinanet', 'bulletproof']),
        dst: c.rng.pick(peersOf(c.net, 'db')),
        dport: 3306,
        app: 'mysql',
        shape: 'reset',
        ms: [20, 900],
      });
      f.credentials = [
        {
          user: c.rng.pick(['root', 'admin', 'mysql']),
          password: c.rng.pick(['123456', 'root', 'password']),
          valid: 0,
        },
      ];
      alertTag(c, f, 'mysql-bruteforce', (r) => r.vendor === 'PTSecurity');
      if (c.rng.chance(0.5)) alertTag(c, f, 'mysql-bruteforce', (r) => r.vendor === 'ETOpen');
      return f;
    },
  },
  {
    name: 'wordpress-bruteforce',
    weight: 3,
    examples: [msgIs('LOGIN [PTsecurity] Wordpress XMLRPC Login Bruteforce (wp.getUsersBlogs)')],
    make: (c, start) => {
      const f = httpSession(
        c,
        start,
        { src: external(c, ['chinanet', 'ovh', 'bulletproof']), dst: web(c), dport: 80, ms: [50, 2000] },
        { method: 'POST', url: '/xmlrpc.php', code: 200, rqsType: 'text/xml', rspType: 'text/xml; charset=UTF-8' },
      );
      alertTag(c, f, 'wp-bruteforce');
      return f;
    },
  },
  {
    name: 'psexec',
    weight: 4,
    examples: [
      msgIs('ATTACK AD [PTsecurity] SCM Create remote service'),
      msgIs('ATTACK AD [PTsecurity] SCM Start of remote service'),
    ],
    make: (c, start) => {
      const src = ws(c);
      const f = session(c, start, {
        src,
        dst: c.rng.pick(peersOf(c.net, c.rng.pick(['file', 'db'] as const))),
        dport: 445,
        app: 'smb',
        ms: [300, 20_000],
      });
      addSmb(
        c,
        f,
        ['NEGOTIATE', 'SESSION_SETUP', 'TREE_CONNECT', 'CREATE', 'IOCTL', 'CLOSE'],
        `\\\\${f.dst.name ?? 'fs01'}\\IPC$`,
        'svcctl',
      );
      addDcerpc(c, f, 'svcctl', 'CreateServiceW', `user${src.hostId ?? 0}`);
      addDcerpc(c, f, 'svcctl', 'StartServiceW', `user${src.hostId ?? 0}`);
      alertAll(c, f, 'psexec');
      return f;
    },
  },
  {
    name: 'dcsync',
    weight: 3,
    examples: [msgIs('ATTACK AD [PTsecurity] Malicious DCSync. KRBTGT Ticket Stealing attempt')],
    make: (c, start) => {
      const src = ws(c);
      const f = session(c, start, {
        src,
        dst: c.rng.pick(peersOf(c.net, 'dc')),
        dport: c.rng.pick([49667, 49668]),
        app: 'dcerpc',
        ms: [50, 3000],
      });
      addDcerpc(c, f, 'drsuapi', 'DRSGetNCChanges', `user${src.hostId ?? 0}`);
      alertTag(c, f, 'dcsync');
      return f;
    },
  },
  {
    name: 'zgrab',
    weight: 4,
    examples: [msgIs('SCAN [PTsecurity] zgrab Banner Grabber User-Agent Detected')],
    make: (c, start) => {
      const f = httpSession(
        c,
        start,
        { src: external(c, ['chinanet', 'digitalocean']), dst: web(c), dport: 80, ms: [10, 500] },
        { method: 'GET', url: '/', code: 200, ua: 'Mozilla/5.0 zgrab/0.x' },
      );
      alertTag(c, f, 'zgrab');
      return f;
    },
  },
  {
    name: 'wscript-html',
    weight: 3,
    examples: [msgIs('ATTACK [PTsecurity] WScript.Shell Run HTML Code Execution Attempt')],
    make: (c, start) => {
      const f = httpSession(
        c,
        start,
        { src: ws(c), dst: external(c, ['bulletproof', 'ovh']), dport: 80 },
        { method: 'GET', url: '/invoice.hta', code: 200, rspType: 'application/hta' },
      );
      alertTag(c, f, 'wscript');
      return f;
    },
  },
  {
    name: 'winrm',
    weight: 3,
    examples: [msgIs('ATTACK [PTsecurity] Remote access via WinRM')],
    make: (c, start) => {
      const f = httpSession(
        c,
        start,
        {
          src: ws(c),
          dst: c.rng.pick(peersOf(c.net, c.rng.pick(['file', 'db', 'dc'] as const))),
          dport: 5985,
          ms: [500, 600_000],
        },
        {
          method: 'POST',
          url: '/wsman',
          code: 200,
          rqsType: 'application/soap+xml;charset=UTF-8',
          rspType: 'application/soap+xml;charset=UTF-8',
          ua: 'Microsoft WinRM Client',
          server: 'Microsoft-HTTPAPI/2.0',
        },
      );
      alertTag(c, f, 'winrm', (r) => c.rng.chance(0.8) === r.msg.startsWith('ATTACK'));
      if (f.alert.length === 0) alertTag(c, f, 'winrm');
      return f;
    },
  },
  {
    name: 'cmd-shell',
    weight: 3,
    examples: [msgIs('SHELL [PTsecurity] CMD.EXE Shell banner'), 'alert.pr == 1 and alert.msg ~ "*PTsecurity*"'],
    make: (c, start) => {
      const f = session(c, start, {
        src: ws(c),
        dst: external(c, ['digitalocean', 'bulletproof', 'hetzner']),
        dport: c.rng.pick([4444, 2222, 8443]),
        app: '',
        ms: [2000, 1_700_000],
      });
      alertTag(c, f, 'shell', (r) => r.sid === 10006379);
      if (c.rng.chance(0.3)) alertTag(c, f, 'metasploit');
      return f;
    },
  },
  {
    name: 'ftp-scan',
    weight: 3,
    examples: ['alert.msg == "ET SCAN Grim\'s Ping ftp scanning tool"'],
    make: (c, start) => {
      const f = session(c, start, {
        src: external(c, ['chinanet', 'ovh']),
        dst: c.rng.pick(peersOf(c.net, 'linux')),
        dport: 21,
        app: 'ftp',
        ms: [50, 3000],
      });
      const grim = c.rng.chance(0.6);
      addFtp(c, f, [
        ['USER', grim ? 'anonymous' : c.rng.pick(['root', 'administrator']), 331],
        ['PASS', grim ? 'gpuser@home.com' : null, grim ? 230 : 530],
      ]);
      append(f, 'credentials', {
        user: grim ? 'anonymous' : 'root',
        password: grim ? 'gpuser@home.com' : '123456',
        valid: grim ? 1 : 0,
      });
      alertTag(c, f, grim ? 'grims-ping' : 'ftp-bruteforce');
      return f;
    },
  },
];
