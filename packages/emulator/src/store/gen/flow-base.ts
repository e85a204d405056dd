/**
 * The skeleton every generated flow starts from, and what finishes it: endpoints, counters, flags and state,
 * alerts that reference real rules, and reputation hits looked up in the seed lists' indicators.
 */
import type {
  AlertParty,
  AlertRecord,
  Endpoint,
  FlowRecord,
  ReplistRecord,
  RptHit,
  RuleRecord,
  TxBase,
} from '../types.js';
import type { Network, Peer } from './network.js';
import { esId, flowId, type Rng } from './random.js';
import type { RuleSet } from './rules.js';
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
}

const EMPTY = Object.freeze([]) as unknown as string[];
/** A shared empty string array (flows only read it). */
export const NONE: string[] = EMPTY;

const FINISHED = Object.freeze(['FINISHED']) as unknown as string[];
const EST_FINISHED = Object.freeze(['ESTABLISHED', 'FINISHED']) as unknown as string[];
const EST = Object.freeze(['ESTABLISHED']) as unknown as string[];

/** What a scenario decides about a new flow. */
export interface FlowSpec {
  start: number;
  durationMs: number;
  src: Peer;
  sport: number;
  dst: Peer;
  dport: number;
  proto: 'TCP' | 'UDP';
  app: string;
  service?: string | null;
  /** Client-to-server and server-to-client bytes. */
  sent: number;
  recv: number;
  /** Override of the default flags (`FINISHED`, sometimes with `MISSED_START`/`MISSED_END`). */
  flags?: string[];
}

/** A new flow with endpoints, counters, flags/state and no children yet. */
export function newFlow(c: GenCtx, s: FlowSpec): FlowRecord {
  const { rng } = c;
  const end = Math.min(s.start + s.durationMs, c.now - 1);
  const pktsSent = Math.max(1, Math.round(s.sent / rng.int(120, 1400)));
  const pktsRecv = s.recv === 0 ? 0 : Math.max(1, Math.round(s.recv / rng.int(120, 1400)));
  const flags = s.flags ?? defaultFlags(rng);
  const tcp = s.proto === 'TCP';
  return {
    id: flowId(rng),
    start: s.start,
    end,
    start_us: rng.int(0, 999),
    end_us: rng.int(0, 999),
    proto: s.proto,
    app_proto: s.app,
    app_protos: s.app === '' ? NONE : [s.app],
    app_service: s.service ?? null,
    src: endpoint(s.src, s.sport),
    dst: endpoint(s.dst, s.dport),
    bytes: { recv: s.recv, sent: s.sent, total: s.recv + s.sent },
    pkts: { recv: pktsRecv, sent: pktsSent, total: pktsRecv + pktsSent },
    state: tcp ? (flags.includes('FINISHED') ? EST_FINISHED : EST) : FINISHED,
    flags,
    errors: NONE,
    tcp: tcp ? TCP_INFO : null,
    has_files: false,
    false_positive: false,
    criticality: null,
    stag: null,
    _index: indexName(s.start),
    banner: NO_BANNER,
    os: osPair(s.src.os, s.dst.os),
    pcaps: rng.chance(0.6)
      ? [`${431716116 + rng.int(0, 99_999)}${String(rng.u32() % 1_000_000_000).padStart(9, '0')}`]
      : NONE,
    rpt: [],
    alert: [],
    files: [],
    credentials: [],
  };
}

// Objects many flows hold with the same content are shared (and frozen, since flows are read-only): fewer
// objects to allocate and to trace keeps 200,000-flow datasets quick to build.
const TCP_FLAGS = Object.freeze(['SYN', 'ACK', 'PSH', 'FIN']) as unknown as string[];
const TCP_INFO = Object.freeze({ flags: TCP_FLAGS, flags_tc: TCP_FLAGS, flags_ts: TCP_FLAGS });
const NO_BANNER = Object.freeze({ client: EMPTY, server: EMPTY });
const OS_PAIRS = new Map<string, { client: string[]; server: string[] }>();

function osPair(client: string | null, server: string | null): { client: string[]; server: string[] } {
  const key = `${client ?? ''}|${server ?? ''}`;
  let pair = OS_PAIRS.get(key);
  if (pair === undefined) {
    pair = Object.freeze({
      client: client ? (Object.freeze([client]) as unknown as string[]) : EMPTY,
      server: server ? (Object.freeze([server]) as unknown as string[]) : EMPTY,
    });
    OS_PAIRS.set(key, pair);
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
const MISSED_START = Object.freeze(['FINISHED', 'MISSED_START']) as unknown as string[];
const MISSED_END = Object.freeze(['MISSED_END']) as unknown as string[];

function defaultFlags(rng: Rng): string[] {
  const r = rng.next();
  if (r < 0.04) return MISSED_START;
  if (r < 0.07) return MISSED_END;
  return FINISHED;
}

/** Flags of a cleanly captured, finished flow. */
export const CLEAN_FINISHED: string[] = FINISHED;

function endpoint(p: Peer, port: number): Endpoint {
  return {
    ip: p.ip,
    port,
    mac: p.mac,
    dns: p.dns,
    groups: p.groups,
    host_id: p.hostId === null ? null : String(p.hostId),
    name: p.name,
    geo: p.geo,
  };
}

/** An ephemeral client port. */
export function ephemeral(rng: Rng): number {
  return rng.int(49152, 65535);
}

/** The id/parent/tx_id/tx_time block of the flow's next transaction. */
export function tx(c: GenCtx, flow: FlowRecord, txId: number): TxBase {
  const span = Math.max(1, flow.end - flow.start);
  return {
    id: esId(c.rng),
    parent: flow.id,
    tx_id: txId,
    tx_time: flow.start + Math.floor((span * txId) / (txId + 2)),
  };
}

function party(e: Endpoint): AlertParty {
  return { ip: e.ip, dns: e.dns, groups: e.groups, host_id: e.host_id, geo: e.geo };
}

/** Adds an alert of `rule` to the flow; `attackerIsSrc` says which side attacked. */
export function addAlert(c: GenCtx, flow: FlowRecord, rule: RuleRecord, attackerIsSrc = true, txId = 0): AlertRecord {
  const { rng } = c;
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
    malware_family: rule.signature.description.malware_family ? [rule.signature.description.malware_family] : null,
    false_positive: rng.chance(0.03),
    attacker: party(attackerIsSrc ? flow.src : flow.dst),
    victim: party(attackerIsSrc ? flow.dst : flow.src),
    to_server: attackerIsSrc,
    to_client: !attackerIsSrc,
    match_type: 'signature',
    tx_id: txId,
    att_ck: rule.signature.description['att&ck'],
    success: { affected: null },
    signature: rule.signature,
  };
  flow.alert.push(alert);
  return alert;
}

function payloadText(rule: RuleRecord, flow: FlowRecord): string {
  const content = /content:"([^"]*)"/.exec(rule.rule)?.[1] ?? 'data';
  return `${flow.app_proto.toUpperCase()} ${content} ${flow.dst.dns ?? flow.dst.ip}\r\n`;
}

/** A rule for the tag, preferring enabled ones; `filter` narrows the choice. */
export function ruleFor(c: GenCtx, tag: string, filter?: (r: RuleRecord) => boolean): RuleRecord | undefined {
  const all = c.rules.byTag.get(tag) ?? [];
  const fit = all.filter((r) => (filter ? filter(r) : true));
  if (fit.length === 0) return undefined;
  return c.rng.pick(fit);
}

/** Reputation hits: indicator lookups for the flow's addresses, names, URLs and file hashes. */
export function finishFlow(c: GenCtx, flow: FlowRecord): FlowRecord {
  const ind = c.net.indicators;
  const hit = (where: string, value: string | null | undefined) => {
    if (!value) return;
    const lists = ind.get(value);
    if (lists === undefined) return;
    for (const l of lists) {
      flow.rpt.push({
        where,
        id: l.id,
        type: l.type,
        cat: l.name,
        color: l.color,
        verdict: null,
        value,
      } satisfies RptHit);
    }
  };
  hit('flow.dst', flow.dst.ip);
  hit('flow.src', flow.src.ip);
  hit('flow.dst', flow.dst.dns);
  for (const q of flow.dns ?? []) hit('dns', q.rqs.name);
  for (const t of flow.tls ?? []) hit('tls.server_name', t.server_name);
  for (const h of flow.http ?? []) {
    hit('http.rqs.host', h.rqs.host);
    hit('http.rqs.url', `http://${h.rqs.host}${h.rqs.url}`);
  }
  for (const f of flow.files) hit('files.md5', f.md5);
  flow.has_files = flow.files.length > 0;
  let pr = 5;
  for (const a of flow.alert) pr = Math.min(pr, a.pr);
  flow.criticality = pr <= 4 ? pr : null;
  return flow;
}
