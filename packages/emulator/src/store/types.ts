/**
 * Record types of the emulator's dataset. Flows and their children use PT NAD's wire field names
 * (`rqs.content-type`, `_index`, ...) so that a BQL path walks the record directly; times inside flows are
 * epoch-millisecond numbers (the engine and `flowDetail` render them as naive ISO with microseconds, taking
 * the sub-millisecond digits from the matching `*_us` field). Flows are read-only: many of them share
 * frozen sub-objects (geo blocks, group arrays, TCP flags). The smaller collections live in dataset-types.ts.
 */

// ------------------------------------------------------------------ flows

/** Geo enrichment of an endpoint; external peers only (internal hosts have `geo: null`). */
export interface GeoInfo {
  country: string | null;
  city: string | null;
  region: string | null;
  asn: number | null;
  org: string | null;
  /** [latitude, longitude]. */
  location: [number, number] | null;
}

/** One side of a flow (`src`, `dst`). */
export interface Endpoint {
  ip: string;
  port: number;
  mac: string | null;
  /** Resolved DNS name, null when unknown (`!dst.dns` tests for that). */
  dns: string | null;
  /** IP groups the address belongs to (`HOME_NET`, `EXTERNAL_NET`, `DNS_SERVERS`, ...). */
  groups: string[];
  host_id: string | null;
  name: string | null;
  geo: GeoInfo | null;
}

/** `bytes` / `pkts` counters. `sent` is client to server, `recv` server to client. */
export interface Counters {
  recv: number;
  sent: number;
  total: number;
}

/** A reputation hit: the flow touched an item of a stored reputation list (or a MultiScanner verdict). */
export interface RptHit {
  /** Where the indicator was seen: `flow.dst`, `flow.src`, `dns`, `http.rqs.url`, `files.md5`, `tls.server_name`. */
  where: string;
  /** Id of the reputation list (0 for MultiScanner verdicts, which have no list). */
  id: number;
  /** `ip | dn | uri | md5`, or `ms` for a PT MultiScanner verdict on an extracted file. */
  type: string;
  /** The list name acting as category (`tor-relays`, `miners`, `ESC-auto-cloudeye-ip`, ...). */
  cat: string;
  /** List colour "0".."7". */
  color: string;
  /** Verdict text for MultiScanner hits, null otherwise. */
  verdict: string | null;
  /** The indicator value that matched. */
  value: string;
}

/** Base of every nested protocol transaction: `id, parent, tx_id, tx_time` (§10.2). */
export interface TxBase {
  id: string;
  /** The flow id. */
  parent: string;
  tx_id: number;
  /** Epoch ms. */
  tx_time: number;
}

/** An HTTP request and its response (null when none was seen). */
export interface HttpTx extends TxBase {
  rqs: {
    method: string;
    url: string;
    url_normalized: string;
    proto: string;
    entity_len: number;
    host: string;
    'content-type': string | null;
    'user-agent': string | null;
    /** Header-name fields keep their case (`rqs.Referer`). */
    Referer?: string;
  };
  rsp: {
    code: number;
    status: string;
    proto: string;
    entity_len: number;
    server: string | null;
    'content-type': string | null;
  } | null;
}

/** A DNS query and its answer. */
export interface DnsTx extends TxBase {
  rqs: { name: string; type: string; class: string };
  rsp: { rcode: string; answers: string[]; ttl: number } | null;
}

/** A TLS handshake: version, SNI, JA3 fingerprints and the certificate (null for TLS 1.3). */
export interface TlsTx extends TxBase {
  version: string;
  server_name: string | null;
  ja3: string;
  ja3s: string;
  cipher: string;
  cert: { subject: string; issuer: string; serial: string; not_before: string; not_after: string } | null;
}

/** A mail protocol command (`smtp`, `pop3`, `imap`): `rqs.cmd.name` is what filters test (`STARTTLS`, `STLS`). */
export interface MailCmdTx extends TxBase {
  rqs: { cmd: { name: string; arg: string | null } };
  rsp: { code: string; text: string } | null;
}

/** A mail message seen in an SMTP session. */
export interface MailMessage {
  id: string;
  from: string;
  to: string[];
  subject: string;
  /** RFC 2822 date, e.g. "10 Jun 2023 12:57:52 +0300". */
  date: string;
}

/** An SSH session summary. */
export interface SshTx extends TxBase {
  auth: number;
  auth_pwd_failed: number;
  keypressed: number;
  /** 1 when the session forwards ports (an SSH tunnel). */
  tunnel: number;
  compression: string[];
  encryption: string[];
  cli: { proto_ver: string; soft_ver: string };
  srv: { proto_ver: string; soft_ver: string };
}

/** An SMB command; `rqs.command == ENCRYPTED` for SMB3 encrypted transforms. */
export interface SmbTx extends TxBase {
  rqs: {
    command: string;
    status: string | null;
    flags: string[];
    create: { filename: string; action: string } | null;
    tree_connect: { tree_path: string; share_type: string } | null;
  };
  rsp: { command: string; status: string; flags: string[] } | null;
}

/** An FTP command and its reply. */
export interface FtpTx extends TxBase {
  rqs: { cmd: string; arg: string | null };
  rsp: { code: number; text: string } | null;
}

/** An LDAP operation (bind names carry credentials for simple binds). */
export interface LdapTx extends TxBase {
  rqs: { op: string; base_dn: string | null; filter: string | null; bind_name: string | null; auth: string | null };
  rsp: { op: string; result: string } | null;
}

/** A DCE/RPC call. */
export interface DcerpcTx extends TxBase {
  rqs: { ptype: string; interface: string; operation: { name: string }; auth: { type: string; level: string } };
  rsp: { ptype: string } | null;
}

/** An NTLM authentication exchange. */
export interface NtlmTx extends TxBase {
  rqs: { msg_type: string; user_name: string | null; host_name: string | null; target_name: string | null };
  rsp: { msg_type: string; target_name: string | null; target_info: { domain_name: string; dns_host_name: string } };
}

/**
 * Credentials seen in cleartext in a flow. The recorded fixture (sb0rka/ir imap-session.json) shows items as
 * `{"user": ...}`; filters name the same value `credentials.login` (the engine maps that path to `user`).
 */
export interface Credential {
  user: string;
  password: string | null;
  /** 1 when the server accepted it, 0 when rejected (filters write `credentials.valid == 1`). */
  valid: number;
}

/** An extracted file (§10.4); `md5`/`sha256`/`size` are the real hashes/size of `fileBytes(file)`. */
export interface FileRecord {
  _index: string;
  _ndx: string;
  file_id: number;
  filename: string;
  filepath: string;
  /** 20-char Elasticsearch-style id; also the seed of the file's bytes. */
  id: string;
  magic: string;
  md5: string;
  mime: string;
  offset: number;
  parent: string;
  sha256: string;
  size: number;
  stag: string | null;
  state: string;
  to_client: boolean;
  to_server: boolean;
  tx_id: number;
  _type: { name: string; parent: string };
  _parent_id: string;
}

/**
 * The signature block of an alert; one shared object per rule. The description fields are null where the
 * recorded fixtures show null (`name`, `att&ck`, dates, `performance_impact`, `ruleset` of PT rules).
 */
export interface AlertSignature {
  vendor: string;
  /** Full rule text in the vendor's format. */
  rule: string;
  description: {
    name: string | null;
    attack_target: string;
    description: string | null;
    recommendation: string | null;
    malware_family: string | null;
    attack_flag: boolean;
    disabled: boolean;
    affected_os: string[];
    affected_soft: string[];
    'att&ck': string[] | null;
    creation_date: string | null;
    last_modified_date: string | null;
    performance_impact: string | null;
    ruleset: string | null;
  };
}

/** An alert party (`attacker`, `victim`). */
export interface AlertParty {
  ip: string;
  dns: string | null;
  groups: string[];
  host_id: string | null;
  geo: GeoInfo | null;
}

/** One alert of a flow (§10.3). */
export interface AlertRecord {
  id: string;
  parent: string;
  /** Epoch ms. */
  ts: number;
  ts_us: number;
  msg: string;
  /** Class title (e.g. "Attempt to gain administrator privileges"). */
  cls: string;
  gid: number;
  sid: number;
  rev: number;
  pr: number;
  /** Base64 of the matched payload. */
  payload: string;
  malware_family: string[] | null;
  /** Null until an analyst marks the alert (`extract_raw_object('false_positive')` is null in the fixtures). */
  false_positive: boolean | null;
  attacker: AlertParty;
  victim: AlertParty;
  to_server: boolean;
  to_client: boolean;
  match_type: string;
  tx_id: number;
  att_ck: string[];
  success: { affected: string | null };
  signature: AlertSignature;
}

/** One flow (session). Protocol arrays are absent when the flow has none (memory). */
export interface FlowRecord {
  /** 22-char id from `[A-Za-z0-9_~]`. */
  id: string;
  /** Epoch ms. */
  start: number;
  end: number;
  /** Sub-millisecond microseconds (0..999) of `start`/`end`, for the wire's 6-digit fraction. */
  start_us: number;
  end_us: number;
  proto: string;
  app_proto: string;
  app_protos: string[];
  app_service: string | null;
  src: Endpoint;
  dst: Endpoint;
  bytes: Counters;
  pkts: Counters;
  state: string[];
  flags: string[];
  errors: string[];
  tcp: { flags: string[]; flags_tc: string[]; flags_ts: string[] } | null;
  has_files: boolean;
  /** Null unless an analyst marked the flow. */
  false_positive: boolean | null;
  criticality: number | null;
  /** The offline storage's tag (`Case_2.6`) for flows of a saved case, null for live traffic. */
  stag: string | null;
  _index: string;
  banner: { client: string[]; server: string[] };
  os: { client: string[]; server: string[] };
  pcaps: string[];
  rpt: RptHit[];
  alert: AlertRecord[];
  files: FileRecord[];
  credentials: Credential[];
  http?: HttpTx[];
  dns?: DnsTx[];
  tls?: TlsTx[];
  smtp?: MailCmdTx[];
  pop3?: MailCmdTx[];
  imap?: MailCmdTx[];
  mail?: MailMessage[];
  ssh?: SshTx[];
  smb?: SmbTx[];
  ftp?: FtpTx[];
  ldap?: LdapTx[];
  dcerpc?: DcerpcTx[];
  ntlm?: NtlmTx[];
}

export type * from './dataset-types.js';
