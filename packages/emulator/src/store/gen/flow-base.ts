/**
 * The skeleton every generated flow starts from, and what finishes it: endpoints, counters, flags and state,
 * alerts that reference real rules, and reputation hits looked up in the seed lists' indicators.
 */
import type {
  AlertParty,
  AlertRecord,
  DnsTx,
  Endpoint,
  FlowRecord,
  HttpTx,
  ReplistRecord,
  RptHit,
  RuleRecord,
} from '../types.js';
import type { Network, Peer } from './network.js';
import { esId, flowId, type Rng } from './random.js';
import { type RuleSet, ruleFits } from './rules.js';
import { countsFor, drawShape, SHAPES, STREAM_EVENTS, type TcpShape, UDP_SHAPE } from './tcp.js';
import { DAY, naiveIso } from './time.js';

/** Everything a scenario needs to make flows. */
export interface GenCtx {
  rng: Rng;
  net: Network;
  rules: RuleSet;
  now: number;
  /** The `malware` md5 list: planted malicious files add their hashes to it. */
  malwareList: ReplistRecord | undefined;
  fileNo: number;
  /** Shared pcap id lists by 10-minute capture window. */
  pcaps: Map<number, string[]>;
}

const EMPTY = Object.freeze([]) as unknown as string[];
/** A shared empty string array (flows only read it). */
export const NONE: string[] = EMPTY;
/** Shared empty child lists: a flow's `alert`, `rpt`, `files`, `credentials` until something is added. */
const NO_ITEMS = Object.freeze([]) as unknown as never[];

/** What a scenario decides about a new flow. */
export interface FlowSpec {
  start: number;
  durationMs: number;
  src: Peer;
  sport: number;
  dst: Peer;
  dport: number;
  proto: 'TCP' | 'UDP';
  /** Detected application protocol, `""` when none was detected. */
  app: string;
  service?: string | null;
  /** Client-to-server and server-to-client payload bytes (headers are added per packet). */
  sent: number;
  recv: number;
  /** How the TCP session went; default drawn (mostly clean, some resets and capture cuts). */
  shape?: TcpShape;
}

/** Appends to one of a flow's child lists, replacing the shared empty list on first use. */
export function append<K extends 'alert' | 'rpt' | 'files' | 'credentials'>(
  flow: FlowRecord,
  key: K,
  item: FlowRecord[K][number],
): void {
  const list = flow[key] as unknown[];
  if (list === NO_ITEMS) (flow as unknown as Record<K, unknown[]>)[key] = [item];
  else list.push(item);
}

type ChildKey = 'http' | 'dns' | 'tls' | 'ssh' | 'ldap';

/** Appends a protocol transaction; a flow's first one gets an exact one-element list (no spare capacity). */
export function pushChild<K extends ChildKey>(
  flow: FlowRecord,
  key: K,
  item: NonNullable<FlowRecord[K]>[number],
): void {
  const list = flow[key] as unknown[] | undefined;
  if (list === undefined) (flow as unknown as Record<K, unknown[]>)[key] = [item];
  else list.push(item);
}

/** A new flow with endpoints, counters, flags/state/TCP flags that agree, and no children yet. */
export function newFlow(c: GenCtx, s: FlowSpec): FlowRecord {
  const { rng } = c;
  const shape = s.proto === 'TCP' ? (s.shape === undefined ? drawShape(rng) : SHAPES[s.shape]) : UDP_SHAPE;
  // Handshake-only sessions carry no payload, so no application protocol can have been detected.
  const payload = shape.payload;
  const { pktsSent, pktsRecv, sent, recv } = countsFor(rng, shape, payload ? s.sent : 0, payload ? s.recv : 0);
  const app = payload ? s.app : '';
  const end = Math.min(s.start + (payload ? s.durationMs : Math.min(s.durationMs, 3000)), c.now - 1);
  const flow: FlowRecord = {
    id: flowId(rng),
    start: s.start,
    end,
    start_us: rng.int(0, 999),
    end_us: rng.int(0, 999),
    proto: s.proto,
    app_proto: app,
    app_protos: app === '' ? NONE : appList(app),
    app_service: s.service ?? null,
    src: endpoint(s.src, s.sport),
    dst: endpoint(s.dst, s.dport),
    bytes: byteCounts(sent, recv),
    pkts: packetCounts(pktsSent, pktsRecv),
    state: shape.state,
    flags: shape.flags,
    errors: NONE,
    tcp: shape.tcp,
    has_files: false,
    false_positive: null,
    criticality: null,
    stag: null,
    _index: indexName(s.start),
    banner: NO_BANNER,
    os: osPair(s.src.os, s.dst.os),
    pcaps: rng.chance(0.6) ? pcapOf(c, s.start) : NONE,
    rpt: NO_ITEMS,
    alert: NO_ITEMS,
    files: NO_ITEMS,
    credentials: NO_ITEMS,
    // The common protocol lists are declared up front (undefined until used) so that most flows share one hidden
    // class. The rare ones (smtp, pop3, imap, mail, smb, ftp, dcerpc, ntlm: under 10% of flows together) are added
    // by the builders that need them: declaring them too would cost 64 bytes on every flow (64 MB per million).
    http: undefined,
    dns: undefined,
    tls: undefined,
    ssh: undefined,
    ldap: undefined,
  };
  if (shape === SHAPES.full && rng.chance(0.004)) addStreamEvent(c, flow);
  return flow;
}

/** A Suricata stream event on the session, and the SURICATA rule's alert that reports it. */
function addStreamEvent(c: GenCtx, flow: FlowRecord): void {
  const [event, sid] = c.rng.pick(STREAM_EVENTS);
  flow.errors = [event];
  const rule = c.rules.rules.find((r) => r.sid === sid);
  if (rule !== undefined) addAlert(c, flow, rule);
}

// By sent * 64 + recv, for counts under 64 each way.
const PKTS: Array<FlowRecord['pkts'] | undefined> = new Array(64 * 64).fill(undefined);

/**
 * Packet counts of short sessions repeat heavily (a DNS query is 1/1, a short session 4/3): one shared object per
 * pair under 64 packets each way (three in five flows). Larger pairs are nearly all unique (at 300k flows, 75k of
 * the 91k distinct pairs occur once): a table of them would cost more memory and lookups than it saves.
 */
function packetCounts(sent: number, recv: number): FlowRecord['pkts'] {
  if (sent >= 64 || recv >= 64) return { recv, sent, total: recv + sent };
  const key = sent * 64 + recv;
  let p = PKTS[key];
  if (p === undefined) {
    p = Object.freeze({ recv, sent, total: recv + sent });
    PKTS[key] = p;
  }
  return p;
}

const SMALL_BYTES = new Map<number, FlowRecord['bytes']>();

/**
 * Byte counts of small sessions repeat too (a third of all flows are DNS queries, probes and refused connections
 * under 1 KB each way): one shared object per pair there, a new one for larger sessions.
 */
function byteCounts(sent: number, recv: number): FlowRecord['bytes'] {
  if (sent >= 1024 || recv >= 1024) return { recv, sent, total: recv + sent };
  const key = sent * 1024 + recv;
  let b = SMALL_BYTES.get(key);
  if (b === undefined) {
    b = Object.freeze({ recv, sent, total: recv + sent });
    SMALL_BYTES.set(key, b);
  }
  return b;
}

/**
 * The capture file a flow was recorded into: the sensor rotates its pcap every 10 minutes, so the flows of one
 * window share one numeric-string id (shaped like the fixture's "431716116524895232").
 */
function pcapOf(c: GenCtx, start: number): string[] {
  const slot = Math.floor(start / 600_000);
  let ids = c.pcaps.get(slot);
  if (ids === undefined) {
    const digits = String(slot % 1_000_000_000).padStart(9, '0');
    ids = Object.freeze([`431716116${digits}`.slice(0)]) as unknown as string[];
    c.pcaps.set(slot, ids);
  }
  return ids;
}

const APP_LISTS = new Map<string, string[]>();
function appList(app: string): string[] {
  let list = APP_LISTS.get(app);
  if (list === undefined) {
    list = Object.freeze([app]) as unknown as string[];
    APP_LISTS.set(app, list);
  }
  return list;
}

// Objects many flows hold with the same content are shared (and frozen, since flows are read-only): fewer
// objects to allocate and to trace keeps million-flow datasets quick to build.
const NO_BANNER = Object.freeze({ client: EMPTY, server: EMPTY });
// By client OS, then server OS (nested maps: no key text is built per flow).
const OS_PAIRS = new Map<string, Map<string, { client: string[]; server: string[] }>>();

function osPair(client: string | null, server: string | null): { client: string[]; server: string[] } {
  let byServer = OS_PAIRS.get(client ?? '');
  if (byServer === undefined) {
    byServer = new Map();
    OS_PAIRS.set(client ?? '', byServer);
  }
  let pair = byServer.get(server ?? '');
  if (pair === undefined) {
    pair = Object.freeze({
      client: client ? (Object.freeze([client]) as unknown as string[]) : EMPTY,
      server: server ? (Object.freeze([server]) as unknown as string[]) : EMPTY,
    });
    byServer.set(server ?? '', pair);
  }
  return pair;
}

const INDEX_NAMES = new Map<number, string>();

/** `flow-2025.05.29`: the daily index a flow is stored in (one shared string per day). */
function indexName(ms: number): string {
  const day = Math.floor(ms / DAY);
  let name = INDEX_NAMES.get(day);
  if (name === undefined) {
    name = `flow-${naiveIso(day * DAY)
      .slice(0, 10)
      .replaceAll('-', '.')}`;
    INDEX_NAMES.set(day, name);
  }
  return name;
}

/** Shape of a cleanly captured session with a handshake and a FIN each way. */
export const CLEAN_FINISHED: TcpShape = 'full';

// Server-side endpoints (a host on its service port) repeat across thousands of flows: one shared object each,
// kept on the peer itself (a WeakMap lookup per flow side cost more, and its entries are extra work for the GC).
function endpoint(p: Peer, port: number): Endpoint {
  const shared = port < 32768;
  if (shared) {
    // Most peers serve one port: the last endpoint used is the answer without a map lookup (the map's table is
    // seldom in cache while a large dataset is being built).
    const last = p.lastEndpoint;
    if (last !== undefined && last.port === port) return last;
  }
  let byPort = p.endpoints;
  if (byPort === undefined) {
    byPort = new Map();
    p.endpoints = byPort;
  }
  const cached = shared ? byPort.get(port) : undefined;
  if (cached !== undefined) {
    p.lastEndpoint = cached;
    return cached;
  }
  const e: Endpoint = {
    ip: p.ip,
    port,
    mac: p.mac,
    dns: p.dns,
    groups: p.groups,
    host_id: p.hostId === null ? null : String(p.hostId),
    name: p.name,
    geo: p.geo,
  };
  if (shared) {
    byPort.set(port, e);
    p.lastEndpoint = e;
  }
  return e;
}

/** An ephemeral client port. */
export function ephemeral(rng: Rng): number {
  return rng.int(49152, 65535);
}

/**
 * When transaction `txId` of a flow (start, end) happened. Builders write `id, parent, tx_id, tx_time` out in each
 * literal (not by spreading a shared base object): spread copies get a hidden class per object, which costs memory.
 * The builder reads the flow's times itself: read here, through every builder's flows, each read boxed a number.
 */
export function txTime(start: number, end: number, txId: number): number {
  const span = Math.max(1, end - start);
  return start + Math.floor((span * txId) / (txId + 2));
}

function party(e: Endpoint): AlertParty {
  return { ip: e.ip, dns: e.dns, groups: e.groups, host_id: e.host_id, geo: e.geo };
}

/**
 * Adds an alert of `rule` to the flow. The rule's direction gives `to_server`/`to_client`; its attack target
 * gives the sides: a server-targeting rule makes the client the attacker, a client-targeting one the server.
 */
export function addAlert(c: GenCtx, flow: FlowRecord, rule: RuleRecord, txId = 0): AlertRecord {
  const { rng } = c;
  const def = c.rules.fit.get(rule.sid)?.def;
  const attackerIsSrc = (def?.target ?? 'server') === 'server';
  const toServer = (def?.dir ?? 'to_server') === 'to_server';
  const span = Math.max(1, flow.end - flow.start);
  const alert: AlertRecord = {
    id: esId(rng),
    parent: flow.id,
    ts: flow.start + Math.floor(rng.next() * span),
    ts_us: rng.int(0, 999),
    msg: rule.msg,
    cls: rule.cls,
    gid: rule.gid,
    sid: rule.sid,
    rev: rule.rev,
    pr: rule.priority,
    payload: Buffer.from(payloadText(rule, flow), 'latin1').toString('base64'),
    malware_family: null,
    false_positive: rng.chance(0.02) ? rng.chance(0.5) : null,
    attacker: party(attackerIsSrc ? flow.src : flow.dst),
    victim: party(attackerIsSrc ? flow.dst : flow.src),
    to_server: toServer,
    to_client: !toServer,
    match_type: 'signature',
    tx_id: txId,
    att_ck: rule.signature.description['att&ck'] ?? NONE,
    success: { affected: null },
    signature: rule.signature,
  };
  append(flow, 'alert', alert);
  return alert;
}

function payloadText(rule: RuleRecord, flow: FlowRecord): string {
  const content = /content:"([^"|]*)"/.exec(rule.rule)?.[1] ?? '';
  return `${content} ${flow.dst.dns ?? flow.dst.ip}\r\n`;
}

/** A rule with the tag that fits the flow (and `filter`), or undefined when none does. */
export function ruleFor(
  c: GenCtx,
  flow: FlowRecord,
  tag: string,
  filter?: (r: RuleRecord) => boolean,
): RuleRecord | undefined {
  const all = c.rules.byTag.get(tag) ?? [];
  const fit = all.filter((r) => ruleFits(c.rules, r, flow) && (filter ? filter(r) : true));
  if (fit.length === 0) return undefined;
  return c.rng.pick(fit);
}

/** Reputation hits: indicator lookups for the flow's addresses, names, URLs and file hashes. */
export function finishFlow(c: GenCtx, flow: FlowRecord): FlowRecord {
  const ind = c.net.indicators;
  hit(ind, flow, 'flow.dst', flow.dst.ip);
  hit(ind, flow, 'flow.src', flow.src.ip);
  hit(ind, flow, 'flow.dst', flow.dst.dns);
  // Indexed loops: `for...of` over the shared frozen lists (DNS answers) allocates an iterator per loop.
  const dns = flow.dns;
  if (dns !== undefined) {
    for (let i = 0; i < dns.length; i++) {
      const q = dns[i] as DnsTx;
      hit(ind, flow, 'dns', q.rqs.name);
      const answers = q.rsp?.answers ?? NONE;
      for (let j = 0; j < answers.length; j++) hit(ind, flow, 'dns', answers[j]);
    }
  }
  const tls = flow.tls;
  if (tls !== undefined) for (let i = 0; i < tls.length; i++) hit(ind, flow, 'tls.server_name', tls[i]?.server_name);
  const http = flow.http;
  if (http !== undefined) {
    for (let i = 0; i < http.length; i++) {
      const { host, url } = (http[i] as HttpTx).rqs;
      hit(ind, flow, 'http.rqs.host', host);
      // `http://host/...` can only be an indicator when some URL indicator has that host: skip building the text
      // otherwise (the exact lookup still runs for any URL or host the shortcut cannot reason about).
      if (url[0] !== '/' || host.includes('/') || urlHosts(ind).has(host)) {
        hit(ind, flow, 'http.rqs.url', `http://${host}${url}`);
      }
    }
  }
  const files = flow.files;
  for (let i = 0; i < files.length; i++) hit(ind, flow, 'files.md5', files[i]?.md5);
  // Written only when they differ from newFlow's `false` and `null` (most flows): a store through the flows'
  // several hidden classes costs more than the test.
  if (files.length > 0) flow.has_files = true;
  const alerts = flow.alert;
  if (alerts.length > 0) {
    let pr = 5;
    for (let i = 0; i < alerts.length; i++) pr = Math.min(pr, (alerts[i] as AlertRecord).pr);
    if (pr <= 4) flow.criticality = pr;
  }
  return flow;
}

/** Adds a reputation hit for each list holding `value` (a top-level function: no closure per flow). */
function hit(ind: Map<string, ReplistRecord[]>, flow: FlowRecord, where: string, value: string | null | undefined) {
  if (!value) return;
  const lists = ind.get(value);
  if (lists === undefined) return;
  for (const l of lists) {
    append(flow, 'rpt', {
      where,
      id: l.id,
      type: l.type,
      cat: l.name,
      color: l.color,
      verdict: null,
      value,
    } satisfies RptHit);
  }
}

const URL_HOSTS = new WeakMap<Map<string, ReplistRecord[]>, Set<string>>();
// The last answer of urlHosts: a dataset asks about one indicator map for every HTTP request.
let lastIndicators: Map<string, ReplistRecord[]> | undefined;
let lastHosts: Set<string> | undefined;

/** Hosts of the `http://host/...` indicators, so that most HTTP requests need no URL text built to look up. */
function urlHosts(ind: Map<string, ReplistRecord[]>): Set<string> {
  if (ind === lastIndicators && lastHosts !== undefined) return lastHosts;
  let hosts = URL_HOSTS.get(ind);
  if (hosts === undefined) {
    hosts = new Set();
    for (const value of ind.keys()) {
      const m = /^http:\/\/([^/]*)/.exec(value);
      if (m?.[1] !== undefined) hosts.add(m[1]);
    }
    URL_HOSTS.set(ind, hosts);
  }
  lastIndicators = ind;
  lastHosts = hosts;
  return hosts;
}
