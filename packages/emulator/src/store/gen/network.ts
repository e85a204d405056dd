/**
 * The synthetic network the flows run on: internal hosts in HOME_NET (workstations and role servers, each with a
 * host id the asset inventory reuses), external peers per organisation with geo, and peers that sit behind the
 * seed reputation lists' indicators. `indicators` maps an indicator value to the lists that hold it.
 */
import type { Endpoint, GeoInfo, ReplistRecord } from '../types.js';
import { geoOf, ipInOrg, ORGS, type OrgSpec, orgByKey } from './geo.js';
import { type Rng, WeightedTable } from './random.js';

/** What an internal host does (servers get role groups such as DNS_SERVERS). */
export type Role = 'workstation' | 'dc' | 'mail' | 'file' | 'web' | 'db' | 'proxy' | 'linux' | 'switch' | 'printer';

/** One address the flows use as an endpoint. */
export interface Peer {
  ip: string;
  dns: string | null;
  geo: GeoInfo | null;
  groups: string[];
  mac: string | null;
  /** Asset inventory id (internal hosts only). */
  hostId: number | null;
  name: string | null;
  role: Role | null;
  os: string | null;
  org: OrgSpec | null;
  /** The flow endpoints of this peer on its service ports, made on first use (flow-base.ts shares them). */
  endpoints?: Map<number, Endpoint>;
  /** The last of `endpoints` used: most peers serve one port, and this field is read without a map lookup. */
  lastEndpoint?: Endpoint | undefined;
}

/** Every endpoint flows can use, and the indicator index of the seed lists. */
export interface Network {
  workstations: Peer[];
  byRole: Map<Role, Peer[]>;
  internal: Peer[];
  /** Ordinary external peers per org key. */
  byOrg: Map<string, Peer[]>;
  /** Weighted choice of orgs for ordinary outbound traffic. */
  orgWeights: Array<readonly [OrgSpec, number]>;
  /** `orgWeights` prepared for {@link Rng.draw}. */
  orgTable: WeightedTable<OrgSpec>;
  /** Peers behind each ip list's items, and domains of each dn list, by list name. */
  listPeers: Map<string, Peer[]>;
  /** Indicator value -> lists holding it. */
  indicators: Map<string, ReplistRecord[]>;
}

const DOMAIN = 'corp.local';

function frozen(...groups: string[]): string[] {
  return Object.freeze(groups) as string[];
}

// Shared group arrays: thousands of flows point at the same few arrays instead of copying them.
const EXTERNAL = frozen('EXTERNAL_NET');
const HOME = frozen('HOME_NET');
const ROLE_GROUPS: Record<Role, string[]> = {
  workstation: HOME,
  dc: frozen('HOME_NET', 'DNS_SERVERS', 'AD_SERVERS'),
  mail: frozen('HOME_NET', 'SMTP_SERVERS'),
  file: frozen('HOME_NET', 'FILE_SERVERS'),
  web: frozen('HOME_NET', 'HTTP_SERVERS'),
  db: frozen('HOME_NET', 'SQL_SERVERS'),
  proxy: frozen('HOME_NET', 'HTTP_SERVERS'),
  linux: HOME,
  switch: frozen('HOME_NET', 'TELNET_SERVERS'),
  printer: HOME,
};

const SERVERS: ReadonlyArray<readonly [Role, string, string, string]> = [
  ['dc', '10.0.0.10', 'dc01', 'Windows Server 2019'],
  ['dc', '10.0.0.11', 'dc02', 'Windows Server 2019'],
  ['mail', '10.0.1.25', 'mx01', 'Windows Server 2016'],
  ['file', '10.0.2.20', 'fs01', 'Windows Server 2019'],
  ['file', '10.0.2.21', 'fs02', 'Windows Server 2012 R2'],
  ['web', '10.0.3.80', 'portal', 'Linux 5.x'],
  ['web', '10.0.3.81', 'jira', 'Linux 5.x'],
  ['db', '10.0.4.50', 'sql01', 'Windows Server 2016'],
  ['proxy', '10.0.5.3', 'proxy01', 'Linux 4.x'],
  ['linux', '10.0.6.10', 'build01', 'Linux 5.x'],
  ['linux', '10.0.6.11', 'repo01', 'Linux 5.x'],
  ['linux', '10.0.6.12', 'monitor01', 'Linux 5.x'],
  ['switch', '10.0.254.1', 'core-sw1', 'Cisco IOS 15'],
  ['switch', '10.0.254.2', 'core-sw2', 'Cisco IOS 15'],
  ['printer', '192.168.10.50', 'print-floor2', 'HP JetDirect'],
];

const WORKSTATION_COUNT = 320;
const PEERS_PER_ORG = 40;

/** Builds the network from the seed lists. */
export function buildNetwork(rng: Rng, replists: readonly ReplistRecord[]): Network {
  let hostId = 1;
  const mac = (): string =>
    `00:50:56:${rng.chars('0123456789ABCDEF', 2)}:${rng.chars('0123456789ABCDEF', 2)}:${rng.chars('0123456789ABCDEF', 2)}`;
  const byRole = new Map<Role, Peer[]>();
  const internal: Peer[] = [];
  const addInternal = (peer: Peer): Peer => {
    internal.push(peer);
    const list = byRole.get(peer.role ?? 'workstation');
    if (list) list.push(peer);
    else byRole.set(peer.role ?? 'workstation', [peer]);
    return peer;
  };
  for (const [role, ip, name, os] of SERVERS) {
    addInternal({
      ip,
      dns: `${name}.${DOMAIN}`,
      geo: null,
      groups: ROLE_GROUPS[role],
      mac: mac(),
      hostId: hostId++,
      name,
      role,
      os,
      org: null,
    });
  }
  const seenIp = new Set(internal.map((p) => p.ip));
  const workstations: Peer[] = [];
  while (workstations.length < WORKSTATION_COUNT) {
    const ip = rng.chance(0.75)
      ? `10.10.${rng.int(1, 40)}.${rng.int(2, 254)}`
      : `192.168.${rng.int(1, 20)}.${rng.int(2, 254)}`;
    if (seenIp.has(ip)) continue;
    seenIp.add(ip);
    const n = workstations.length + 1;
    const name = `ws-${String(n).padStart(4, '0')}`;
    const peer = addInternal({
      ip,
      dns: rng.chance(0.85) ? `${name}.${DOMAIN}` : null,
      geo: null,
      groups: HOME,
      mac: mac(),
      hostId: hostId++,
      name,
      role: 'workstation',
      os: rng.weighted([
        ['Windows 10', 55],
        ['Windows 11', 30],
        ['macOS 14', 8],
        ['Linux 6.x', 7],
      ]),
      org: null,
    });
    workstations.push(peer);
  }

  const byOrg = new Map<string, Peer[]>();
  for (const org of ORGS) {
    const peers: Peer[] = [];
    const count = org.weight > 0 ? PEERS_PER_ORG : 8;
    for (let i = 0; i < count; i++) {
      const dns = org.domains.length > 0 && rng.chance(0.8) ? rng.pick(org.domains) : null;
      peers.push(externalPeer(ipInOrg(rng, org), dns, org));
    }
    byOrg.set(org.key, peers);
  }
  const orgWeights = ORGS.filter((o) => o.weight > 0).map((o) => [o, o.weight] as const);

  const indicators = new Map<string, ReplistRecord[]>();
  const listPeers = new Map<string, Peer[]>();
  for (const list of replists) {
    const peers: Peer[] = [];
    for (const item of list.items) {
      const holders = indicators.get(item.value);
      if (holders) holders.push(list);
      else indicators.set(item.value, [list]);
      if (list.type === 'ip') peers.push(externalPeer(item.value, null, orgOfIp(item.value)));
      if (list.type === 'dn')
        peers.push(externalPeer(ipInOrg(rng, orgByKey(dnOrg(list.name))), item.value, orgByKey(dnOrg(list.name))));
    }
    listPeers.set(list.name, peers);
  }
  const orgTable = new WeightedTable(orgWeights);
  return { workstations, byRole, internal, byOrg, orgWeights, orgTable, listPeers, indicators };
}

function dnOrg(listName: string): string {
  if (listName === 'miners') return 'pool';
  if (listName === 'opencti-indicators') return 'digitalocean';
  return 'bulletproof';
}

function externalPeer(ip: string, dns: string | null, org: OrgSpec | null): Peer {
  return {
    ip,
    dns,
    geo: org ? geoOf(org) : null,
    groups: EXTERNAL,
    mac: null,
    hostId: null,
    name: null,
    role: null,
    os: null,
    org,
  };
}

const ORG_BY_PREFIX = new Map<string, OrgSpec>();
for (const org of ORGS) for (const p of org.prefixes) ORG_BY_PREFIX.set(p, org);

/** The org whose prefix holds the address (null outside every known range). */
export function orgOfIp(ip: string): OrgSpec | null {
  const second = ip.indexOf('.', ip.indexOf('.') + 1);
  return ORG_BY_PREFIX.get(ip.slice(0, second)) ?? null;
}

/** A role's peers (throws for a role the network lacks: a generator bug). */
export function peersOf(net: Network, role: Role): Peer[] {
  const peers = net.byRole.get(role);
  if (peers === undefined || peers.length === 0) throw new Error(`network has no ${role}`);
  return peers;
}

/** An ordinary external peer, weighted by org traffic share. */
export function pickExternal(rng: Rng, net: Network): Peer {
  const org = rng.draw(net.orgTable);
  return rng.pick(net.byOrg.get(org.key) ?? []);
}

/** An external peer of a named org. */
export function pickOrgPeer(rng: Rng, net: Network, orgKey: string): Peer {
  return rng.pick(net.byOrg.get(orgKey) ?? []);
}

/** A peer behind an item of the named list. */
export function pickListPeer(rng: Rng, net: Network, listName: string): Peer {
  return rng.pick(net.listPeers.get(listName) ?? []);
}

const RENAMED = new WeakMap<Peer, Map<string, Peer>>();

/**
 * `base` seen under another address or name (a public resolver's anycast IP, an API name on a messenger's
 * address): the same Peer object for the same (base, ip, dns), so that flows share its endpoints.
 */
export function peerAs(base: Peer, ip: string, dns: string | null): Peer {
  let byKey = RENAMED.get(base);
  if (byKey === undefined) {
    byKey = new Map();
    RENAMED.set(base, byKey);
  }
  const key = `${ip}|${dns ?? ''}`;
  let peer = byKey.get(key);
  if (peer === undefined) {
    peer = { ...base, ip, dns, endpoints: undefined, lastEndpoint: undefined };
    byKey.set(key, peer);
  }
  return peer;
}

const BROADCASTS = new WeakMap<Peer, Map<string, Peer>>();

/** The broadcast or multicast address `ip` as the destination of `src`'s name queries: one Peer per (src, ip). */
export function broadcastPeer(src: Peer, ip: string): Peer {
  let byIp = BROADCASTS.get(src);
  if (byIp === undefined) {
    byIp = new Map();
    BROADCASTS.set(src, byIp);
  }
  let peer = byIp.get(ip);
  if (peer === undefined) {
    peer = {
      ...src,
      ip,
      dns: null,
      mac: null,
      hostId: null,
      name: null,
      os: null,
      endpoints: undefined,
      lastEndpoint: undefined,
    };
    byIp.set(ip, peer);
  }
  return peer;
}
