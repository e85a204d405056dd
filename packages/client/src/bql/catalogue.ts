/**
 * The field catalogue as one `const` table: which fields `flow`, `alert` and the child tables have and the type
 * of each, from §10 of the API reference. Both the run-time validator (`fields.ts` builds its maps from it) and
 * the compile-time row types (`field-types.ts` reads `typeof CATALOGUE`) come from this table, so they cannot
 * drift. Field names are grouped by type in space-separated lists; keep them literal text or `as const`
 * template expressions, or the types lose the names.
 *
 * PT NAD versions differ, so the validator treats anything missing here as a warning, never an error. Fields
 * marked GUESS were not seen in real traffic; their names follow the protocol's detail objects (§10.2).
 */

/** The value types a field can have, as the catalogue writes them. */
export const FIELD_TYPES = [
  'ip',
  'port',
  'int',
  'float',
  'string',
  'bool',
  'datetime',
  'enum',
  'mac',
  'object',
  'unknown',
] as const;

/**
 * The value type of a field. `object` is a prefix (`src.geo`) or a child table (`http`): testable bare only.
 */
export type FieldType = (typeof FIELD_TYPES)[number];

/** A type as written in the catalogue: `string`, or `string[]` for a multi-valued field. */
export type FieldTypeSpec = FieldType | `${FieldType}[]`;

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

/** Transport protocols (`proto`). */
export const TRANSPORTS = ['TCP', 'UDP', 'ICMP'] as const;

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'] as const;
const SMB_COMMANDS = ['ENCRYPTED', 'NEGOTIATE', 'SESSION_SETUP', 'TREE_CONNECT', 'CREATE', 'READ'] as const;

/** The shape of one table of {@link CATALOGUE}. */
export interface TableSpec {
  /** Space-separated field paths (relative to the table) by type. */
  readonly fields: { readonly [T in FieldTypeSpec]?: string };
  /** Known values of `enum` fields (not exhaustive: other values only get a warning). */
  readonly values?: { readonly [field: string]: readonly string[] };
  /** Child tables reachable as `child.field`, `child(...)` and `EXISTS (SELECT * FROM child ...)`. */
  readonly children?: readonly string[];
  /** Prefixes whose any sub-path is a string field (HTTP header names: `rqs.Referer`). */
  readonly open?: readonly string[];
  /** The field `withTimeRange` filters on by default (`tx_time` when absent). */
  readonly time?: string;
  /** What the table holds, for editors. */
  readonly doc: string;
}

/** Fields every flow endpoint carries (`src.*`, `dst.*`). Host ids are strings on the wire (`"190"`). */
const endpoint = <P extends string>(p: P) =>
  `${p}.dns ${p}.geo.region ${p}.geo.city ${p}.geo.country ${p}.geo.org ${p}.name ${p}.host_id ${p}.country` as const;

/** Fields of an alert's attacker and victim. */
const party = <P extends string>(p: P) => `${p}.dns ${p}.host_id ${p}.geo.country ${p}.geo.org ${p}.geo.city` as const;

const smbSide = <P extends string>(p: P) =>
  `${p}.status ${p}.create.filename ${p}.create.action ${p}.tree_connect.tree_path ${p}.tree_connect.share_type` as const;

const rpcSide = <P extends string>(p: P) =>
  `${p}.ptype ${p}.interface ${p}.operation.name ${p}.auth.type ${p}.auth.level` as const;

/** Mail commands; `rqs.cmd.args`/`rsp.code` are a GUESS. Every protocol transaction has `id parent tx_id tx_time`. */
const mailProto = <C extends readonly string[]>(proto: string, cmds: C) =>
  ({
    fields: { string: 'id parent rqs.cmd.args rsp.code', int: 'tx_id', datetime: 'tx_time', enum: 'rqs.cmd.name' },
    values: { 'rqs.cmd.name': cmds },
    doc: `${proto} commands of a flow, one row per command (protocol transaction)`,
  }) as const;

/** Every table PT NAD is known to query, with its fields. */
export const CATALOGUE = {
  flow: {
    doc: 'Network sessions (flows): one row per connection seen by the sensor',
    time: 'end',
    fields: {
      ip: 'src.ip dst.ip host.ip host.ip6 tunnels.ip tunnels.ip6 tunnels.endpoints.ip tunnels.endpoints.ip6',
      port: 'src.port dst.port host.port tunnels.endpoints.port',
      mac: 'src.mac dst.mac',
      string: `${endpoint('src')} ${endpoint('dst')} host.dns host.name
        id _prn.id _chld.id _chld.type _reason _state tcp._state stag _type _index _ndx _sort tunnels.type`,
      'string[]': `src.groups dst.groups host.groups errors tcp.flags tcp.flags_tc tcp.flags_ts pcaps app_protos
        banner.client banner.server os.client os.server os_fp.client os_fp.server
        os_pt.client os_pt.server os_p0f.client os_p0f.server`,
      'enum[]': 'state flags',
      int: `src.geo.asn dst.geo.asn bytes.total bytes.recv bytes.sent pkts.total pkts.recv pkts.sent
        _prn.tx_id tunnels.level tunnels.vlan_id criticality tcplen_stat.trunc tcplen_stat.value`,
      float: 'duration',
      'float[]': 'src.geo.location dst.geo.location',
      bool: 'false_positive has_files',
      datetime: 'start end _ltime',
      enum: 'proto app_proto app_service',
    },
    values: {
      state: FLOW_FLAGS,
      flags: FLOW_FLAGS,
      proto: TRANSPORTS,
      app_proto: APP_PROTOS,
      app_service: APP_SERVICES,
    },
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
  },
  alert: {
    doc: 'Detections (attacks): one row per alert raised by a rule on a flow',
    time: 'ts',
    fields: {
      string: `id parent msg cls match_type payload success.affected ${party('attacker')} ${party('victim')}
        signature.vendor signature.rule signature.description.name`,
      ip: 'attacker.ip victim.ip',
      'string[]': 'att_ck malware_family attacker.groups victim.groups',
      int: 'gid sid rev pr tx_id',
      bool: 'false_positive to_server to_client',
      datetime: 'ts',
    },
    children: ['flow'],
  },
  http: {
    doc: 'HTTP transactions of a flow (request and response)',
    fields: {
      string: `id parent rqs.url rqs.url_normalized rqs.proto rqs.host rqs.content-type
        rsp.status rsp.proto rsp.server rsp.content-type`,
      int: 'tx_id rqs.entity_len rsp.code rsp.entity_len',
      datetime: 'tx_time',
      enum: 'rqs.method',
    },
    values: { 'rqs.method': HTTP_METHODS },
    open: ['rqs', 'rsp'],
  },
  files: {
    doc: 'Files carried by a flow (extracted from HTTP, SMB, mail, ...)',
    fields: {
      string: `id parent _index _ndx filename filepath magic md5 mime sha256 stag state
        _type.name _type.parent _parent_id`,
      int: 'file_id offset size tx_id',
      bool: 'to_client to_server',
    },
  },
  smb: {
    doc: 'SMB commands of a flow',
    fields: {
      string: `id parent ${smbSide('rqs')} ${smbSide('rsp')}`,
      int: 'tx_id',
      datetime: 'tx_time',
      enum: 'rqs.command rsp.command',
      'string[]': 'rqs.flags rsp.flags',
    },
    values: { 'rqs.command': SMB_COMMANDS, 'rsp.command': SMB_COMMANDS },
  },
  dns: {
    doc: 'DNS queries and answers of a flow (GUESS: fields beyond the names were not seen in the sources)',
    fields: {
      string: 'id parent rqs.name rqs.type rsp.code',
      int: 'tx_id',
      datetime: 'tx_time',
      'string[]': 'rsp.answers',
    },
  },
  tls: {
    doc: 'TLS handshakes of a flow (GUESS: fields other than server_name were not seen in the sources)',
    fields: {
      string: 'id parent server_name version cipher ja3 ja3s cert.subject cert.issuer',
      int: 'tx_id',
      datetime: 'tx_time',
    },
  },
  smtp: mailProto('SMTP', ['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'AUTH', 'STARTTLS', 'QUIT'] as const),
  pop3: mailProto('POP3', ['USER', 'PASS', 'STAT', 'LIST', 'RETR', 'DELE', 'STLS', 'QUIT'] as const),
  imap: mailProto('IMAP', ['LOGIN', 'AUTHENTICATE', 'SELECT', 'FETCH', 'STARTTLS', 'LOGOUT'] as const),
  ssh: {
    doc: 'SSH sessions of a flow',
    fields: {
      string: 'id parent cli.proto_ver cli.soft_ver srv.proto_ver srv.soft_ver',
      int: 'tx_id auth_pwd_failed',
      datetime: 'tx_time',
      bool: 'auth keypressed tunnel',
      'string[]': 'compression encryption',
    },
  },
  credentials: {
    doc: 'Credentials seen in a flow (logins of plain-text protocols)',
    fields: { string: 'login password user', bool: 'valid' },
  },
  rpt: {
    doc: 'Reputation-list matches of a flow (indicators of compromise)',
    fields: { string: 'where id type cat color verdict', datetime: 'rtime' },
  },
  dcerpc: {
    doc: 'DCE/RPC calls of a flow',
    fields: { string: `id parent ${rpcSide('rqs')} ${rpcSide('rsp')}`, int: 'tx_id', datetime: 'tx_time' },
  },
  ntlm: {
    doc: 'NTLM authentication messages of a flow',
    fields: {
      string: `id parent rqs.msg_type rqs.user_name rqs.host_name rqs.target_name rqs.os_version rqs.os_build
        rsp.msg_type rsp.target_name rsp.os_version rsp.os_build rsp.target_info.server_name
        rsp.target_info.domain_name rsp.target_info.dns_host_name rsp.target_info.dns_domain_name`,
      int: 'tx_id',
      datetime: 'tx_time',
    },
  },
  mail: {
    doc: 'Mail messages carried by a flow (SMTP, POP3, IMAP)',
    fields: {
      string: 'id parent from subject date',
      int: 'tx_id',
      datetime: 'tx_time',
      'string[]': 'to headers.key headers.value',
    },
  },
} as const satisfies { readonly [table: string]: TableSpec };

/** The catalogue's type: what the compile-time row types read. */
export type Catalogue = typeof CATALOGUE;

/** Tables of the catalogue. */
export type TableName = keyof Catalogue;

/** One-line descriptions of the common fields, shown by editors (hover, completion). Keyed `table:path`. */
export const FIELD_DOCS: { readonly [tableAndPath: string]: string } = {
  'flow:src.ip': 'IP address of the side that opened the session (client)',
  'flow:dst.ip': 'IP address of the side that accepted the session (server)',
  'flow:src.port': 'Client port',
  'flow:dst.port': 'Server port',
  'flow:host.ip': 'Either endpoint: matches when src.ip or dst.ip matches',
  'flow:src.groups': 'Address groups the client belongs to (e.g. HOME_NET)',
  'flow:dst.groups': 'Address groups the server belongs to (e.g. HOME_NET)',
  'flow:src.geo.location': 'Client location as [latitude, longitude]',
  'flow:dst.geo.location': 'Server location as [latitude, longitude]',
  'flow:src.host_id': 'Id of the client host in the inventory (a string such as "190")',
  'flow:dst.host_id': 'Id of the server host in the inventory (a string such as "190")',
  'flow:proto': 'Transport protocol: TCP, UDP or ICMP',
  'flow:app_proto': 'Application protocol detected by the sensor ("" when none was detected)',
  'flow:app_service': 'Remote-administration service detected in the session',
  'flow:start': 'Time of the first packet (epoch ms, YYYY.MM.DD or an ISO string in queries)',
  'flow:end': 'Time of the last packet; the field time windows filter on',
  'flow:duration': 'Session length in seconds',
  'flow:bytes.total': 'Bytes in both directions',
  'flow:bytes.recv': 'Bytes from server to client',
  'flow:bytes.sent': 'Bytes from client to server',
  'flow:pkts.total': 'Packets in both directions',
  'flow:pkts.recv': 'Packets from server to client',
  'flow:pkts.sent': 'Packets from client to server',
  'flow:flags': 'Session flags: FINISHED, MISSED_START, MISSED_END, ESTABLISHED',
  'flow:state': 'Session state flags',
  'flow:has_files': 'True when files were extracted from the session',
  'flow:false_positive': 'Marked as a false positive',
  'flow:stag': 'Storage tag of an offline (pcap) analysis, e.g. "Case_2.6"',
  'flow:_ndx': 'Storage index the flow lives in, e.g. "offline-000023"',
  'flow:_index': 'Storage index name',
  'flow:id': 'Flow id',
  'alert:msg': 'Rule message',
  'alert:cls': 'Rule class (classification)',
  'alert:pr': 'Priority: 1 is the highest',
  'alert:sid': 'Rule id',
  'alert:rev': 'Rule revision',
  'alert:ts': 'Time of the detection; the field time windows filter on',
  'alert:att_ck': 'MITRE ATT&CK technique ids',
  'alert:attacker.ip': 'IP address of the attacking side',
  'alert:victim.ip': 'IP address of the attacked side',
  'files:_ndx': 'Storage index the file lives in, e.g. "offline-000023"',
  'files:filename': 'File name as transferred',
  'files:sha256': 'SHA-256 of the content',
  'files:md5': 'MD5 of the content',
  'files:mime': 'MIME type detected from the content',
  'http:rqs.method': 'HTTP request method',
  'http:rqs.url': 'Request URL',
  'http:rsp.code': 'HTTP status code',
  'http:rqs.host': 'Host header of the request',
  'tls:server_name': 'Server name indication (SNI) of the handshake',
  'rpt:cat': 'Category of the reputation list that matched',
};
