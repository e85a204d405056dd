/**
 * The field catalogue: which fields `flow`, `alert` and the child tables have, and the type of each, from
 * §10 of the API reference. PT NAD versions differ, so the validator treats anything missing here as a
 * warning, never an error. Fields marked GUESS below were not seen in real traffic; their names follow the
 * protocol's detail objects (§10.2) and may be wrong on a given server.
 */

/** The value type of a field. `object` is a prefix (`src.geo`) or a child table (`http`): testable bare only. */
export type FieldType =
  | 'ip'
  | 'port'
  | 'int'
  | 'float'
  | 'string'
  | 'bool'
  | 'datetime'
  | 'enum'
  | 'mac'
  | 'object'
  | 'unknown';

/** One field of a table. */
export interface FieldInfo {
  /** Path relative to its table, e.g. `src.ip`, `rqs.method`. */
  name: string;
  type: FieldType;
  /** Multi-valued (`src.groups`, `flags`): comparisons match when any element matches. */
  array: boolean;
  /** Known values of an `enum` field (not exhaustive: other values only get a warning). */
  values?: readonly string[];
}

/** One queryable table (`FROM x`, `x(...)` nested filters, `x.field` dotted child paths). */
export interface TableInfo {
  name: string;
  fields: ReadonlyMap<string, FieldInfo>;
  /** Child tables reachable as `child.field`, `child(...)` and `EXISTS (SELECT * FROM child ...)`. */
  children: readonly string[];
  /** Prefixes whose any sub-path is a string field (HTTP header names: `rqs.Referer`). */
  openPrefixes: readonly string[];
  /** The field `withTimeRange` filters on by default. */
  timeField: string;
}

/** Known `app_proto` values (§10.1). */
export const APP_PROTOS = [
  'telnet',
  'http',
  'tls',
  'dns',
  'smtp',
  'pop3',
  'imap',
  'ftp',
  'ldap',
  'socks5',
  'openvpn',
  'bittorrent',
  'teamviewer',
  'nbns',
  'llmnr',
  'smb',
  'ssh',
  'unknown',
] as const;

/** Known `app_service` values (§10.1). */
export const APP_SERVICES = [
  'Anydesk',
  'Teamviewer',
  'MyAssistante',
  'RMS',
  'AmmyyAdmin',
  'Screen_connect',
  'Aeroadmin',
  'Radmin',
  'RemoteAdmin',
  'RustDesk',
] as const;

/** Known session `flags`/`state` values (§10.1). */
export const FLOW_FLAGS = ['FINISHED', 'MISSED_START', 'MISSED_END', 'ESTABLISHED'] as const;

type Spec = Array<[type: FieldType | `${FieldType}[]`, names: string, values?: readonly string[]]>;

function build(
  name: string,
  spec: Spec,
  options: { children?: string[]; open?: string[]; time?: string } = {},
): TableInfo {
  const fields = new Map<string, FieldInfo>();
  for (const [typeSpec, names, values] of spec) {
    const array = typeSpec.endsWith('[]');
    const type = (array ? typeSpec.slice(0, -2) : typeSpec) as FieldType;
    for (const n of names.split(/\s+/)) {
      if (n.length === 0) continue;
      fields.set(n, values === undefined ? { name: n, type, array } : { name: n, type, array, values });
    }
  }
  return {
    name,
    fields,
    children: options.children ?? [],
    openPrefixes: options.open ?? [],
    timeField: options.time ?? 'tx_time',
  };
}

/** Fields every protocol transaction carries (§10.2). */
const TX: Spec = [
  ['string', 'id parent'],
  ['int', 'tx_id'],
  ['datetime', 'tx_time'],
];

const endpoint = (p: string): string =>
  `${p}.dns ${p}.geo.region ${p}.geo.city ${p}.geo.country ${p}.geo.org ${p}.name ${p}.host_id ${p}.country`;

const FLOW = build(
  'flow',
  [
    ['ip', 'src.ip dst.ip host.ip host.ip6 tunnels.ip tunnels.ip6 tunnels.endpoints.ip tunnels.endpoints.ip6'],
    ['port', 'src.port dst.port host.port tunnels.endpoints.port'],
    ['mac', 'src.mac dst.mac'],
    ['string', `${endpoint('src')} ${endpoint('dst')} host.dns host.name`],
    ['string', 'id _prn.id _chld.id _chld.type _reason _state tcp._state stag _type _index _sort tunnels.type'],
    ['string[]', 'src.groups dst.groups host.groups errors tcp.flags tcp.flags_tc tcp.flags_ts pcaps app_protos'],
    ['string[]', 'banner.client banner.server os.client os.server os_fp.client os_fp.server'],
    ['string[]', 'os_pt.client os_pt.server os_p0f.client os_p0f.server'],
    ['enum[]', 'state flags', FLOW_FLAGS],
    ['int', 'src.geo.asn dst.geo.asn bytes.total bytes.recv bytes.sent pkts.total pkts.recv pkts.sent'],
    ['int', '_prn.tx_id tunnels.level tunnels.vlan_id _ndx criticality tcplen_stat.trunc tcplen_stat.value'],
    ['float', 'duration'],
    ['bool', 'false_positive has_files'],
    ['datetime', 'start end _ltime'],
    ['enum', 'proto', ['TCP', 'UDP', 'ICMP']],
    ['enum', 'app_proto', APP_PROTOS],
    ['enum', 'app_service', APP_SERVICES],
  ],
  {
    children: [
      'alert',
      'files',
      'http',
      'smb',
      'dns',
      'tls',
      'smtp',
      'pop3',
      'imap',
      'ssh',
      'credentials',
      'rpt',
      'dcerpc',
      'ntlm',
      'mail',
    ],
    time: 'end',
  },
);

const party = (p: string): string => `${p}.dns ${p}.host_id ${p}.geo.country ${p}.geo.org ${p}.geo.city`;

const ALERT = build(
  'alert',
  [
    ['string', `id parent msg cls match_type payload success.affected ${party('attacker')} ${party('victim')}`],
    ['string', 'signature.vendor signature.rule signature.description.name'],
    ['ip', 'attacker.ip victim.ip'],
    ['string[]', 'att_ck malware_family attacker.groups victim.groups'],
    ['int', 'gid sid rev pr tx_id'],
    ['bool', 'false_positive to_server to_client'],
    ['datetime', 'ts'],
  ],
  { children: ['flow'], time: 'ts' },
);

const HTTP = build(
  'http',
  [
    ...TX,
    ['enum', 'rqs.method', ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE']],
    ['string', 'rqs.url rqs.url_normalized rqs.proto rqs.host rqs.content-type'],
    ['string', 'rsp.status rsp.proto rsp.server rsp.content-type'],
    ['int', 'rqs.entity_len rsp.code rsp.entity_len'],
  ],
  { open: ['rqs', 'rsp'] },
);

const FILES = build('files', [
  ['string', 'id parent _index filename filepath magic md5 mime sha256 stag state _type.name _type.parent _parent_id'],
  ['int', '_ndx file_id offset size tx_id'],
  ['bool', 'to_client to_server'],
]);

const smbSide = (p: string): string =>
  `${p}.status ${p}.create.filename ${p}.create.action ${p}.tree_connect.tree_path ${p}.tree_connect.share_type`;
const SMB = build('smb', [
  ...TX,
  ['enum', 'rqs.command rsp.command', ['ENCRYPTED', 'NEGOTIATE', 'SESSION_SETUP', 'TREE_CONNECT', 'CREATE', 'READ']],
  ['string', `${smbSide('rqs')} ${smbSide('rsp')}`],
  ['string[]', 'rqs.flags rsp.flags'],
]);

const rpcSide = (p: string): string => `${p}.ptype ${p}.interface ${p}.operation.name ${p}.auth.type ${p}.auth.level`;
const DCERPC = build('dcerpc', [...TX, ['string', `${rpcSide('rqs')} ${rpcSide('rsp')}`]]);

const NTLM = build('ntlm', [
  ...TX,
  ['string', 'rqs.msg_type rqs.user_name rqs.host_name rqs.target_name rqs.os_version rqs.os_build'],
  ['string', 'rsp.msg_type rsp.target_name rsp.os_version rsp.os_build rsp.target_info.server_name'],
  ['string', 'rsp.target_info.domain_name rsp.target_info.dns_host_name rsp.target_info.dns_domain_name'],
]);

const SSH = build('ssh', [
  ...TX,
  ['bool', 'auth keypressed tunnel'],
  ['int', 'auth_pwd_failed'],
  ['string', 'cli.proto_ver cli.soft_ver srv.proto_ver srv.soft_ver'],
  ['string[]', 'compression encryption'],
]);

/** Mail commands; `rqs.cmd.args`/`rsp.code` are a GUESS. */
const mailProto = (name: string, cmds: readonly string[]): TableInfo =>
  build(name, [...TX, ['enum', 'rqs.cmd.name', cmds], ['string', 'rqs.cmd.args rsp.code']]);

const SMTP = mailProto('smtp', ['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'AUTH', 'STARTTLS', 'QUIT']);
const POP3 = mailProto('pop3', ['USER', 'PASS', 'STAT', 'LIST', 'RETR', 'DELE', 'STLS', 'QUIT']);
const IMAP = mailProto('imap', ['LOGIN', 'AUTHENTICATE', 'SELECT', 'FETCH', 'STARTTLS', 'LOGOUT']);

const MAIL = build('mail', [...TX, ['string', 'from subject date'], ['string[]', 'to headers.key headers.value']]);

/** GUESS: DNS and TLS transaction fields other than `tls.server_name` were not seen in the sources. */
const DNS = build('dns', [...TX, ['string', 'rqs.name rqs.type rsp.code'], ['string[]', 'rsp.answers']]);
const TLS = build('tls', [...TX, ['string', 'server_name version cipher ja3 ja3s cert.subject cert.issuer']]);

const CREDENTIALS = build('credentials', [
  ['string', 'login password user'],
  ['bool', 'valid'],
]);

const RPT = build('rpt', [
  ['string', 'where id type cat color verdict'],
  ['datetime', 'rtime'],
]);

/** Every table of the catalogue, by name. */
export const TABLES: ReadonlyMap<string, TableInfo> = new Map(
  [FLOW, ALERT, HTTP, FILES, SMB, DNS, TLS, SMTP, POP3, IMAP, SSH, CREDENTIALS, RPT, DCERPC, NTLM, MAIL].map((t) => [
    t.name,
    t,
  ]),
);

/** The catalogue entry of a table, or undefined for a table this catalogue does not know. */
export function getTable(name: string): TableInfo | undefined {
  return TABLES.get(name);
}

/** A field as resolved against a table: the field, and the table it belongs to (a child for `alert.msg`). */
export interface ResolvedField extends FieldInfo {
  table: string;
  /** True when only an open prefix vouches for it (`rqs.<any header>`): typos there are likely. */
  open?: boolean;
}

/**
 * Resolves a field path against a table: the table's own fields, their prefixes (`src.geo` is an object),
 * child tables (`http` is an object, `alert.msg` is alert's `msg`) and open prefixes (`rqs.Referer`).
 * Returns undefined when the catalogue does not know the path.
 * @example lookupField('flow', 'alert.pr') // { name: 'pr', type: 'int', array: false, table: 'alert' }
 */
export function lookupField(table: string, path: string): ResolvedField | undefined {
  const t = TABLES.get(table);
  if (t === undefined) return undefined;
  const own = t.fields.get(path);
  if (own !== undefined) return { ...own, table };
  if (prefixesOf(t).has(path)) return { name: path, type: 'object', array: false, table };
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  if (t.children.includes(head)) {
    if (dot < 0) return { name: path, type: 'object', array: true, table: head };
    return lookupField(head, path.slice(dot + 1));
  }
  if (t.openPrefixes.includes(head) && dot > 0) return { name: path, type: 'string', array: false, table, open: true };
  return undefined;
}

const prefixCache = new WeakMap<TableInfo, Set<string>>();

function prefixesOf(t: TableInfo): Set<string> {
  let set = prefixCache.get(t);
  if (set === undefined) {
    set = new Set();
    for (const name of t.fields.keys()) {
      for (let i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1)) set.add(name.slice(0, i));
    }
    prefixCache.set(t, set);
  }
  return set;
}

/** Every path `lookupField(table, ·)` knows without open prefixes: own fields, then `child.field` paths. */
export function fieldPaths(table: string): string[] {
  const t = TABLES.get(table);
  if (t === undefined) return [];
  const out = [...t.fields.keys(), ...t.children];
  for (const child of t.children) {
    const c = TABLES.get(child);
    if (c !== undefined) for (const f of c.fields.keys()) out.push(`${child}.${f}`);
  }
  return out;
}

/** The time field a table is usually filtered on: `end` for flow, `ts` for alert, `tx_time` for transactions. */
export function defaultTimeField(table: string): string | undefined {
  return TABLES.get(table)?.timeField;
}
