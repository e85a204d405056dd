/**
 * The asset inventory, derived from the flows: every internal address that took part in a flow becomes a host
 * with its first/last sighting, names, OS, the services it served and used, and the logins seen from it.
 */
import type { FlowRecord, HostRecord } from '../types.js';
import type { Network, Peer } from './network.js';
import { isoZ } from './time.js';

interface Acc {
  peer: Peer;
  first: number;
  last: number;
  /** Keyed by protocol and port (see `serviceKey`), in first-seen order. */
  server: Map<number, { protocol: string; port: number; banner: string | null; last: number }>;
  client: Map<string, { protocol: string; banner: string | null; last: number }>;
  logins: Map<string, { login: string; protocol: string; last: number }>;
}

const TYPES: Record<string, string> = {
  workstation: 'workstation',
  dc: 'server',
  mail: 'server',
  file: 'server',
  web: 'server',
  db: 'server',
  proxy: 'server',
  linux: 'server',
  switch: 'network_device',
  printer: 'printer',
};

const ROLES: Record<string, string[]> = {
  dc: ['domain_controller', 'dns_server'],
  mail: ['mail_server'],
  file: ['file_server'],
  web: ['web_server'],
  db: ['database_server'],
  proxy: ['proxy'],
};

/** Hosts sorted by id. */
export function deriveHosts(flows: readonly FlowRecord[], net: Network): HostRecord[] {
  const byIp = new Map(net.internal.map((p) => [p.ip, p]));
  const acc = new Map<number, Acc>();
  // Protocol names get small numbers so that a service key is one number, not a string built per flow.
  const protoNo = new Map<string, number>();
  const serviceKey = (proto: string, port: number): number => {
    let no = protoNo.get(proto);
    if (no === undefined) {
      no = protoNo.size;
      protoNo.set(proto, no);
    }
    return no * 0x10000 + port;
  };
  const touch = (ip: string, t: number): Acc | undefined => {
    const peer = byIp.get(ip);
    if (peer?.hostId == null) return undefined;
    let a = acc.get(peer.hostId);
    if (a === undefined) {
      a = { peer, first: t, last: t, server: new Map(), client: new Map(), logins: new Map() };
      acc.set(peer.hostId, a);
    }
    if (t < a.first) a.first = t;
    if (t > a.last) a.last = t;
    return a;
  };
  for (const f of flows) {
    const proto = f.app_proto || 'unknown';
    const srv = touch(f.dst.ip, f.end);
    if (srv) {
      // A service keeps its first-seen place in the map; its banner is the latest flow's, `last` the latest end.
      const key = serviceKey(proto, f.dst.port);
      const banner = f.banner.server[0] ?? null;
      const s = srv.server.get(key);
      if (s === undefined) srv.server.set(key, { protocol: proto, port: f.dst.port, banner, last: f.end });
      else {
        s.banner = banner;
        if (f.end > s.last) s.last = f.end;
      }
    }
    const cli = touch(f.src.ip, f.start);
    if (cli) {
      const banner = f.banner.client[0] ?? null;
      const s = cli.client.get(proto);
      if (s === undefined) cli.client.set(proto, { protocol: proto, banner, last: f.end });
      else {
        s.banner = banner;
        if (f.end > s.last) s.last = f.end;
      }
      for (const cred of f.credentials)
        cli.logins.set(`${proto}:${cred.user}`, { login: cred.user, protocol: proto, last: f.end });
    }
  }
  const hosts: HostRecord[] = [];
  for (const [id, a] of acc) {
    const { peer } = a;
    const seen = { first_seen: isoZ(a.first), last_seen: isoZ(a.last) };
    hosts.push({
      id: String(id),
      ip: [{ ip: peer.ip, ...seen }],
      hostname: peer.dns,
      user_hostname: null,
      dns: peer.dns ? [{ dns: peer.dns, ...seen }] : [],
      os: peer.os ? [{ name: peer.os, ...seen }] : [],
      server_services: [...a.server.values()]
        .sort((x, y) => y.last - x.last)
        .map((s) => ({ protocol: s.protocol, port: s.port, banner: s.banner, last_seen: isoZ(s.last) })),
      client_services: [...a.client.values()]
        .sort((x, y) => y.last - x.last)
        .map((s) => ({ protocol: s.protocol, banner: s.banner, last_seen: isoZ(s.last) })),
      credentials: [...a.logins.values()].map((l) => ({
        login: l.login,
        protocol: l.protocol,
        last_seen: isoZ(l.last),
      })),
      type: TYPES[peer.role ?? 'workstation'] ?? null,
      user_type: null,
      roles: ROLES[peer.role ?? ''] ?? [],
      groups: [...peer.groups],
      first_seen: seen.first_seen,
      last_seen: seen.last_seen,
      comment: null,
      has_redef: false,
    });
  }
  hosts.sort((x, y) => Number(x.id) - Number(y.id));
  return hosts;
}
