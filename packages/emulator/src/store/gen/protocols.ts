/**
 * Builders of the nested protocol transactions (§10.2): HTTP requests and responses, DNS queries, TLS
 * handshakes, mail commands, SSH, SMB, FTP, LDAP, DCE/RPC and NTLM. Each appends to the flow's array.
 */
import { createHash } from 'node:crypto';
import type { DnsTx, FlowRecord, FtpTx, HttpTx, LdapTx, MailCmdTx, SmbTx, SshTx, TlsTx } from '../types.js';
import { type GenCtx, NONE, pushChild, txTime } from './flow-base.js';
import { esId, hashString } from './random.js';

const STATUS: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
};

/** User-Agent strings of ordinary clients. */
export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Microsoft-CryptoAPI/10.0',
  'Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.50',
  'curl/8.4.0',
  'Debian APT-HTTP/1.3 (2.6.1)',
  'python-requests/2.31.0',
];

const SERVERS = ['nginx', 'Apache', 'Microsoft-IIS/10.0', 'cloudflare', 'ECS (dcb/7F3A)'];

/** What {@link addHttp} needs; unset fields get plausible defaults. */
export interface HttpSpec {
  method: string;
  host: string;
  url: string;
  code: number;
  rspType?: string | null;
  rqsType?: string | null;
  rspLen?: number;
  rqsLen?: number;
  ua?: string;
  referer?: string;
  server?: string | null;
}

/** Appends one HTTP transaction. */
export function addHttp(c: GenCtx, flow: FlowRecord, s: HttpSpec): HttpTx {
  const t: HttpTx = {
    id: esId(c.rng),
    parent: flow.id,
    tx_id: flow.http?.length ?? 0,
    tx_time: txTime(flow.start, flow.end, flow.http?.length ?? 0),
    rqs: {
      method: s.method,
      url: s.url,
      url_normalized: s.url.toLowerCase(),
      proto: 'HTTP/1.1',
      entity_len: s.rqsLen ?? (s.method === 'POST' ? c.rng.logInt(20, 20000) : 0),
      host: s.host,
      'content-type': s.rqsType ?? (s.method === 'POST' ? 'application/x-www-form-urlencoded' : null),
      'user-agent': s.ua ?? c.rng.pick(USER_AGENTS),
      ...(s.referer ? { Referer: s.referer } : {}),
    },
    rsp: {
      code: s.code,
      status: STATUS[s.code] ?? 'OK',
      proto: 'HTTP/1.1',
      entity_len: s.rspLen ?? c.rng.logInt(100, 200000),
      server: s.server === undefined ? c.rng.pick(SERVERS) : s.server,
      'content-type': s.rspType === undefined ? 'text/html; charset=utf-8' : s.rspType,
    },
  };
  pushChild(flow, 'http', t);
  return t;
}

/** Appends one DNS query and its answer. */
export function addDns(c: GenCtx, flow: FlowRecord, name: string, answer: string | null, type = 'A'): DnsTx {
  const n = flow.dns?.length ?? 0;
  const x = dnsExchange(name, type, answer);
  const t: DnsTx = {
    id: esId(c.rng),
    parent: flow.id,
    tx_id: n,
    tx_time: txTime(flow.start, flow.end, n),
    rqs: x.rqs,
    rsp: x.rsp,
  };
  pushChild(flow, 'dns', t);
  return t;
}

// A name resolves the same way in every query of the week: one shared (frozen) question and answer per
// (name, type, answer) keeps a million DNS flows from holding a million copies of each. Nested maps: no key text
// is built per query.
const DNS_EXCHANGES = new Map<string, Map<string, Map<string, Pick<DnsTx, 'rqs' | 'rsp'>>>>();

function dnsExchange(name: string, type: string, answer: string | null): Pick<DnsTx, 'rqs' | 'rsp'> {
  let byType = DNS_EXCHANGES.get(name);
  if (byType === undefined) {
    byType = new Map();
    DNS_EXCHANGES.set(name, byType);
  }
  let byAnswer = byType.get(type);
  if (byAnswer === undefined) {
    byAnswer = new Map();
    byType.set(type, byAnswer);
  }
  let x = byAnswer.get(answer ?? '');
  if (x === undefined) {
    const ttl = 30 + (hashString(`${name}|${type}|${answer ?? ''}`) % 3571);
    x = Object.freeze({
      rqs: Object.freeze({ name, type, class: 'IN' }),
      rsp: Object.freeze({
        rcode: answer === null ? 'NXDOMAIN' : 'NOERROR',
        answers: answer === null ? NONE : (Object.freeze([answer]) as unknown as string[]),
        ttl,
      }),
    }) as Pick<DnsTx, 'rqs' | 'rsp'>;
    byAnswer.set(answer ?? '', x);
  }
  return x;
}

// Client and server TLS fingerprints repeat heavily on a real network: a small fixed pool of each.
const fingerprints = (tag: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => createHash('md5').update(`${tag}-${i}`).digest('hex'));
const JA3 = fingerprints('ja3', 24);
const JA3S = fingerprints('ja3s', 12);

const CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'];

const ISSUERS = ["CN=R3, O=Let's Encrypt, C=US", 'CN=GTS CA 1C3, O=Google Trust Services LLC, C=US', ''];
const CERTS = new Map<string, Array<NonNullable<TlsTx['cert']> | undefined>>();

/** A server presents the same certificate to every client: one shared record per (name, issuer). */
function certFor(cn: string, issuer: number): NonNullable<TlsTx['cert']> {
  let byIssuer = CERTS.get(cn);
  if (byIssuer === undefined) {
    byIssuer = [];
    CERTS.set(cn, byIssuer);
  }
  let cert = byIssuer[issuer];
  if (cert === undefined) {
    const key = `${cn}|${issuer}`;
    const serial = (
      hashString(key).toString(16).toUpperCase() + hashString(`${key}#`).toString(16).toUpperCase()
    ).padStart(16, '0');
    cert = Object.freeze({
      subject: `CN=${cn}`,
      issuer: ISSUERS[issuer] || `CN=${cn}`,
      serial,
      not_before: '2024-01-01T00:00:00',
      not_after: '2026-01-01T00:00:00',
    });
    byIssuer[issuer] = cert;
  }
  return cert;
}

/** Appends one TLS handshake. */
export function addTls(c: GenCtx, flow: FlowRecord, serverName: string | null, version = 'TLS 1.3'): TlsTx {
  const { rng } = c;
  const cn = serverName ?? flow.dst.ip;
  const t: TlsTx = {
    id: esId(c.rng),
    parent: flow.id,
    tx_id: flow.tls?.length ?? 0,
    tx_time: txTime(flow.start, flow.end, flow.tls?.length ?? 0),
    version,
    server_name: serverName,
    ja3: rng.pick(JA3),
    ja3s: rng.pick(JA3S),
    cipher: rng.pick(CIPHERS),
    cert: version === 'TLS 1.3' ? null : certFor(cn, rng.int(0, 2)),
  };
  pushChild(flow, 'tls', t);
  return t;
}

/** Appends mail protocol commands (`smtp`, `pop3`, `imap`) with generic positive replies. */
export function addMailCmds(c: GenCtx, flow: FlowRecord, proto: 'smtp' | 'pop3' | 'imap', cmds: string[]): MailCmdTx[] {
  const list = flow[proto] ?? [];
  flow[proto] = list;
  for (const name of cmds) {
    const ok = proto === 'smtp' ? '250' : proto === 'pop3' ? '+OK' : 'OK';
    list.push({
      id: esId(c.rng),
      parent: flow.id,
      tx_id: list.length,
      tx_time: txTime(flow.start, flow.end, list.length),
      rqs:
        part(MAIL_RQS, name, null, null) ??
        keep(MAIL_RQS, name, null, null, { cmd: Object.freeze({ name, arg: argOf(name) }) }),
      rsp: part(MAIL_RSP, ok, null, null) ?? keep(MAIL_RSP, ok, null, null, { code: ok, text: 'completed' }),
    });
  }
  return list;
}

// Request and reply parts that depend only on a few values (a mail command, an SMB command on a share, an LDAP
// operation) repeat in thousands of flows: one frozen object per distinct content, as for DNS. One cache per kind of
// part, nested by the values it depends on (no key text is built per transaction).
type PartKey = string | number | null;
type PartCache<T> = Map<PartKey, Map<PartKey, Map<PartKey, T>>>;
const MAIL_RQS: PartCache<MailCmdTx['rqs']> = new Map();
const MAIL_RSP: PartCache<NonNullable<MailCmdTx['rsp']>> = new Map();
const SMB_RQS: PartCache<SmbTx['rqs']> = new Map();
const SMB_RSP: PartCache<NonNullable<SmbTx['rsp']>> = new Map();
const FTP_RQS: PartCache<FtpTx['rqs']> = new Map();
const FTP_RSP: PartCache<NonNullable<FtpTx['rsp']>> = new Map();
const LDAP_RQS: PartCache<LdapTx['rqs']> = new Map();
const LDAP_RSP: PartCache<NonNullable<LdapTx['rsp']>> = new Map();

/** The shared part for (a, b, c), or undefined before {@link keep} stored one. */
function part<T extends object>(cache: PartCache<T>, a: PartKey, b: PartKey, c: PartKey): T | undefined {
  return cache.get(a)?.get(b)?.get(c);
}

/**
 * Stores (frozen) and returns the part for (a, b, c). Call sites write `part(...) ?? keep(..., {literal})`: the
 * literal is built only when the part is new (a factory closure would be allocated on every transaction).
 */
function keep<T extends object>(cache: PartCache<T>, a: PartKey, b: PartKey, c: PartKey, value: T): T {
  let byB = cache.get(a);
  if (byB === undefined) {
    byB = new Map();
    cache.set(a, byB);
  }
  let byC = byB.get(b);
  if (byC === undefined) {
    byC = new Map();
    byB.set(b, byC);
  }
  const frozen = Object.freeze(value);
  byC.set(c, frozen);
  return frozen;
}

function argOf(cmd: string): string | null {
  if (cmd === 'EHLO' || cmd === 'HELO') return 'ws.corp.local';
  if (cmd === 'MAIL') return 'FROM:<user@corp.local>';
  if (cmd === 'RCPT') return 'TO:<partner@example.com>';
  return null;
}

/** Appends one SSH session record. */
export function addSsh(c: GenCtx, flow: FlowRecord, opts: { tunnel?: boolean; failed?: number } = {}): SshTx {
  const { rng } = c;
  const t: SshTx = {
    id: esId(c.rng),
    parent: flow.id,
    tx_id: flow.ssh?.length ?? 0,
    tx_time: txTime(flow.start, flow.end, flow.ssh?.length ?? 0),
    auth: opts.failed !== undefined && opts.failed > 5 ? 0 : 1,
    auth_pwd_failed: opts.failed ?? 0,
    keypressed: rng.int(0, 2000),
    tunnel: opts.tunnel ? 1 : 0,
    compression: NONE,
    encryption: [rng.pick(['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr'])],
    cli: { proto_ver: '2.0', soft_ver: rng.pick(['OpenSSH_9.6', 'PuTTY_Release_0.80', 'OpenSSH_for_Windows_8.1']) },
    srv: { proto_ver: '2.0', soft_ver: rng.pick(['OpenSSH_8.9p1 Ubuntu-3ubuntu0.6', 'OpenSSH_7.4']) },
  };
  pushChild(flow, 'ssh', t);
  flow.banner = { client: [`SSH-2.0-${t.cli.soft_ver}`], server: [`SSH-2.0-${t.srv.soft_ver}`] };
  return t;
}

/** Appends SMB commands; a `CREATE` carries the given file name, `TREE_CONNECT` the share. */
export function addSmb(
  c: GenCtx,
  flow: FlowRecord,
  commands: string[],
  share: string,
  filename: string | null,
): SmbTx[] {
  const list = flow.smb ?? [];
  flow.smb = list;
  for (const command of commands) {
    const create = command === 'CREATE' && filename ? filename : null;
    const tree = command === 'TREE_CONNECT' ? share : null;
    list.push({
      id: esId(c.rng),
      parent: flow.id,
      tx_id: list.length,
      tx_time: txTime(flow.start, flow.end, list.length),
      rqs:
        part(SMB_RQS, command, create, tree) ??
        keep(SMB_RQS, command, create, tree, {
          command,
          status: null,
          flags: NONE,
          create: create !== null ? Object.freeze({ filename: create, action: 'FILE_OPEN' }) : null,
          tree_connect: tree !== null ? Object.freeze({ tree_path: tree, share_type: 'DISK' }) : null,
        }),
      rsp:
        command === 'ENCRYPTED'
          ? null
          : (part(SMB_RSP, command, null, null) ??
            keep(SMB_RSP, command, null, null, { command, status: 'STATUS_SUCCESS', flags: NONE })),
    });
  }
  return list;
}

/** Appends FTP commands with their replies. */
export function addFtp(c: GenCtx, flow: FlowRecord, cmds: Array<[string, string | null, number]>): FtpTx[] {
  const list = flow.ftp ?? [];
  flow.ftp = list;
  for (const [cmd, arg, code] of cmds) {
    list.push({
      id: esId(c.rng),
      parent: flow.id,
      tx_id: list.length,
      tx_time: txTime(flow.start, flow.end, list.length),
      rqs: part(FTP_RQS, cmd, arg, null) ?? keep(FTP_RQS, cmd, arg, null, { cmd, arg }),
      rsp:
        part(FTP_RSP, code, null, null) ??
        keep(FTP_RSP, code, null, null, { code, text: code < 400 ? 'OK' : 'Failed' }),
    });
  }
  return list;
}

/** Appends one LDAP operation. */
export function addLdap(c: GenCtx, flow: FlowRecord, op: string, bindName: string | null, auth: string | null): LdapTx {
  const t: LdapTx = {
    id: esId(c.rng),
    parent: flow.id,
    tx_id: flow.ldap?.length ?? 0,
    tx_time: txTime(flow.start, flow.end, flow.ldap?.length ?? 0),
    rqs:
      part(LDAP_RQS, op, bindName, auth) ??
      keep(LDAP_RQS, op, bindName, auth, {
        op,
        base_dn: op === 'searchRequest' ? 'DC=corp,DC=local' : null,
        filter: op === 'searchRequest' ? '(&(objectClass=user)(sAMAccountName=*))' : null,
        bind_name: bindName,
        auth,
      }),
    rsp:
      part(LDAP_RSP, op, null, null) ??
      keep(LDAP_RSP, op, null, null, { op: op.replace('Request', 'Response'), result: 'success' }),
  };
  pushChild(flow, 'ldap', t);
  return t;
}

/** Appends a DCE/RPC call and the NTLM exchange that authenticated it. */
export function addDcerpc(c: GenCtx, flow: FlowRecord, iface: string, operation: string, user: string): void {
  const d = flow.dcerpc ?? [];
  flow.dcerpc = d;
  d.push({
    id: esId(c.rng),
    parent: flow.id,
    tx_id: d.length,
    tx_time: txTime(flow.start, flow.end, d.length),
    rqs: {
      ptype: 'request',
      interface: iface,
      operation: { name: operation },
      auth: { type: 'NTLMSSP', level: 'PKT_PRIVACY' },
    },
    rsp: { ptype: 'response' },
  });
  const n = flow.ntlm ?? [];
  flow.ntlm = n;
  n.push({
    id: esId(c.rng),
    parent: flow.id,
    tx_id: n.length,
    tx_time: txTime(flow.start, flow.end, n.length),
    rqs: { msg_type: 'NTLMSSP_AUTH', user_name: user, host_name: flow.src.name, target_name: 'CORP' },
    rsp: {
      msg_type: 'NTLMSSP_CHALLENGE',
      target_name: 'CORP',
      target_info: { domain_name: 'CORP', dns_host_name: flow.dst.dns ?? flow.dst.ip },
    },
  });
}
