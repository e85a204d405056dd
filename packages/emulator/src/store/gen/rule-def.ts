/**
 * The shape of a rule definition and how a rule's header is matched against a flow. A definition says where the
 * rule can fire (Suricata header: protocol, networks, ports, and the packet direction), so that alerts are only
 * ever attached to flows the rule fits: an SMB rule never fires on TLS, a POP3 rule never on port 25.
 */
import type { FlowRecord } from '../types.js';
import { HTTP_PORTS } from './infra.js';

/** One detection rule as the catalogue writes it. */
export interface RuleDef {
  sid: number;
  rev: number;
  msg: string;
  /** Snort classtype (classes.ts). */
  classtype: string;
  /** Header after the action: `tcp $HOME_NET any -> $EXTERNAL_NET 21`, `http any any -> $HOME_NET any`. */
  header: string;
  /** Direction of the matched packet: client to server, or server to client. */
  dir: 'to_server' | 'to_client';
  /** Who is attacked: `server` (the attacker is the client) or `client` (the attacker is the server). */
  target: 'server' | 'client';
  /** Detection options written between the header and the metadata (`content:"..."; nocase;`). */
  detect: string;
  /** Which scenario alerts with this rule. */
  tag: string;
  /** `YYYY_MM_DD`. */
  created: string;
  updated: string;
  /** The full rule text when public evidence shows it verbatim. */
  text?: string;
  reference?: string;
  family?: string;
  attck?: string[];
  priority?: number;
  enabled?: boolean;
}

/** A parsed rule header. */
export interface RuleHeader {
  proto: string;
  src: string;
  sport: string;
  dst: string;
  dport: string;
}

/** Splits `proto src sport -> dst dport`; throws on a malformed header (a catalogue bug). */
export function parseHeader(header: string): RuleHeader {
  const m = /^(\S+) (\S+) (\S+) -> (\S+) (\S+)$/.exec(header);
  if (m === null) throw new Error(`bad rule header: ${header}`);
  const [, proto = '', src = '', sport = '', dst = '', dport = ''] = m;
  return { proto, src, sport, dst, dport };
}

/** Ports of the `$HTTP_PORTS` group (the variable's value in infra.ts). */
export const HTTP_PORT_SET: ReadonlySet<number> = new Set(HTTP_PORTS.slice(1, -1).split(',').map(Number));

/** Application-layer header protocols and the flow `app_proto` they need. */
const APP_LAYER: ReadonlySet<string> = new Set(['http', 'tls', 'dns', 'smb', 'ftp', 'ssh', 'smtp', 'dcerpc', 'krb5']);

function netFits(spec: string, groups: readonly string[], ip: string): boolean {
  if (spec === 'any') return true;
  if (spec.startsWith('!')) return !netFits(spec.slice(1), groups, ip);
  if (spec === '$EXTERNAL_NET') return !groups.includes('HOME_NET');
  if (spec.startsWith('$')) return groups.includes(spec.slice(1));
  const prefixes = netPrefixes(spec);
  for (let i = 0; i < prefixes.length; i++) if (ip.startsWith(prefixes[i] as string)) return true;
  return false;
}

// Specs are parsed once: headers are matched for every candidate rule of every alert the generator considers.
const NET_PREFIXES = new Map<string, readonly string[]>();

/** The address prefixes of a network list (`[10.0.0.0/8,192.168.1.0/24]` gives `10.`, `192.168.1.`). */
function netPrefixes(spec: string): readonly string[] {
  let prefixes = NET_PREFIXES.get(spec);
  if (prefixes === undefined) {
    prefixes = spec
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map((net) => net.replace(/0\/\d+$/, ''));
    NET_PREFIXES.set(spec, prefixes);
  }
  return prefixes;
}

/** True when `port` is in a Suricata port spec (`any`, `80`, `[80,443]`, `5800:5820`, `$HTTP_PORTS`, `!80`). */
export function portFits(spec: string, port: number): boolean {
  if (spec === 'any') return true;
  if (spec.startsWith('!')) return !portFits(spec.slice(1), port);
  if (spec === '$HTTP_PORTS') return HTTP_PORT_SET.has(port);
  const ranges = portRanges(spec);
  for (let i = 0; i < ranges.length; i += 2) {
    if (port >= (ranges[i] as number) && port <= (ranges[i + 1] as number)) return true;
  }
  return false;
}

const PORT_RANGES = new Map<string, readonly number[]>();

/**
 * A port list as [from, to, from, to, ...]: `80` is [80, 80], `5800:5820` [5800, 5820]; a part that is not a number
 * or a pair becomes [NaN, NaN], which no port is in.
 */
function portRanges(spec: string): readonly number[] {
  let ranges = PORT_RANGES.get(spec);
  if (ranges === undefined) {
    ranges = spec
      .replace(/^\[|\]$/g, '')
      .split(',')
      .flatMap((p) => {
        const range = p.split(':');
        return range.length === 2 ? [Number(range[0]), Number(range[1])] : [Number(p), Number(p)];
      });
    PORT_RANGES.set(spec, ranges);
  }
  return ranges;
}

/** True when a rule with this header and direction can match a packet of the flow. */
export function headerFits(h: RuleHeader, dir: RuleDef['dir'], flow: FlowRecord): boolean {
  const from = dir === 'to_server' ? flow.src : flow.dst;
  const to = dir === 'to_server' ? flow.dst : flow.src;
  if (APP_LAYER.has(h.proto)) {
    const app = h.proto === 'krb5' ? 'kerberos' : h.proto;
    if (flow.app_proto !== app) return false;
  } else if (h.proto === 'tcp' || h.proto === 'udp') {
    if (flow.proto !== h.proto.toUpperCase()) return false;
  }
  return (
    netFits(h.src, from.groups, from.ip) &&
    netFits(h.dst, to.groups, to.ip) &&
    portFits(h.sport, from.port) &&
    portFits(h.dport, to.port)
  );
}
