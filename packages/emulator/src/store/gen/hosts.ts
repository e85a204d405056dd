/**
 * The asset inventory, derived from the flows: every internal address that took part in a flow becomes a host
 * with its first/last sighting, names, OS, the services it served and used, and the logins seen from it.
 */
import type { Endpoint, FlowRecord, HostRecord } from '../types.js';
import type { Network, Peer } from './network.js';
import { isoZ } from './time.js';

/**
 * A service or login, with where its first and latest flows sit in the dataset's final order (start, then id, then
 * generation number): the inventory takes flows in generation order and uses these to give the answer a pass over
 * the sorted flows would give. The ranks are plain fields, not objects: they are compared for every flow. Times
 * (`firstStart`, `latestStart`, `last`, and `first`/`last` of a host) are relative to the inventory's base.
 */
interface Seen {
  firstStart: number;
  firstId: string;
  firstNo: number;
  latestStart: number;
  latestId: string;
  latestNo: number;
  last: number;
}

interface Service extends Seen {
  protocol: string;
  banner: string | null;
}

interface ServerService extends Service {
  port: number;
}

interface Login extends Seen {
  login: string;
  protocol: string;
}

interface Acc {
  peer: Peer;
  first: number;
  last: number;
  /** Keyed by protocol number and port. */
  server: Map<number, ServerService>;
  /** By protocol number. */
  client: Array<Service | undefined>;
  logins: Map<string, Login>;
}

/** (start, id, no) before (start2, id2, no2). */
function before(start: number, id: string, no: number, start2: number, id2: string, no2: number): boolean {
  if (start !== start2) return start < start2;
  if (id !== id2) return id < id2;
  return no < no2;
}

/**
 * Moves the first/latest marks of `s` to the flow (start, id, no) when it comes before/after them; true when it is
 * the latest. The flow's fields come as arguments: read through the flows' several hidden classes, each read of a
 * time would box a new heap number.
 */
function mark(s: Seen, start: number, id: string, no: number): boolean {
  if (before(start, id, no, s.firstStart, s.firstId, s.firstNo)) {
    s.firstStart = start;
    s.firstId = id;
    s.firstNo = no;
  }
  if (before(start, id, no, s.latestStart, s.latestId, s.latestNo)) return false;
  s.latestStart = start;
  s.latestId = id;
  s.latestNo = no;
  return true;
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

/**
 * The asset inventory, fed one flow at a time in any order (the generator adds each flow as it makes it, while the
 * flow is still in cache, instead of walking a million finished flows again). The answer equals a pass over the
 * flows sorted by (start, id): services and logins keep the order in which that pass would first meet them, a
 * service's banner and a login's time are those of its latest flow in that order.
 */
export class HostInventory {
  private readonly byIp: Map<string, Peer>;
  /** By host id. */
  private readonly acc: Array<Acc | undefined> = [];
  // Protocol names get small numbers so that a service key is one number, not a string built per flow.
  private readonly protoNo = new Map<string, number>();
  /**
   * Times are kept relative to the first flow's start: a week of milliseconds fits a small integer, which V8 stores
   * inside the object, where an epoch time is a separate heap number to chase on every comparison (this runs for
   * every flow, while the heap streams past and evicts those numbers from the cache).
   */
  private base: number | undefined;

  constructor(net: Network) {
    this.byIp = new Map(net.internal.map((p) => [p.ip, p]));
  }

  /** Adds a finished flow; `no` is its generation number (the last tie-breaker of the order). */
  add(f: FlowRecord, no: number): void {
    let base = this.base;
    if (base === undefined) {
      base = f.start;
      this.base = base;
    }
    const start = f.start - base;
    const end = f.end - base;
    const id = f.id;
    const proto = f.app_proto || 'unknown';
    const protoNo = this.protoNumber(proto);
    const dst = f.dst;
    const srv = this.touch(dst, end);
    if (srv) {
      const port = dst.port;
      const key = protoNo * 0x10000 + port;
      const banner = firstOf(f.banner.server);
      const s = srv.server.get(key);
      if (s === undefined) srv.server.set(key, { protocol: proto, port, banner, ...firstSeen(start, id, end, no) });
      else update(s, start, id, end, no, banner);
    }
    const cli = this.touch(f.src, start);
    if (cli) {
      const banner = firstOf(f.banner.client);
      const s = cli.client[protoNo];
      if (s === undefined) cli.client[protoNo] = { protocol: proto, banner, ...firstSeen(start, id, end, no) };
      else update(s, start, id, end, no, banner);
      const creds = f.credentials;
      for (let i = 0; i < creds.length; i++) {
        const cred = creds[i] as FlowRecord['credentials'][number];
        const key = `${proto}:${cred.user}`;
        const l = cli.logins.get(key);
        if (l === undefined)
          cli.logins.set(key, { login: cred.user, protocol: proto, ...firstSeen(start, id, end, no) });
        // The login's time is its latest flow's end (not the largest end).
        else if (mark(l, start, id, no)) l.last = end;
      }
    }
  }

  /** The hosts, sorted by id. */
  records(): HostRecord[] {
    const hosts: HostRecord[] = [];
    const base = this.base ?? 0;
    this.acc.forEach((a, id) => {
      if (a !== undefined) hosts.push(hostRecord(id, a, base));
    });
    hosts.sort((x, y) => Number(x.id) - Number(y.id));
    return hosts;
  }

  private protoNumber(proto: string): number {
    let no = this.protoNo.get(proto);
    if (no === undefined) {
      no = this.protoNo.size;
      this.protoNo.set(proto, no);
    }
    return no;
  }

  private touch(e: Endpoint, t: number): Acc | undefined {
    // Only internal hosts have a host id: the external side of a flow (most destinations) needs no lookup.
    if (e.host_id === null) return undefined;
    const peer = this.byIp.get(e.ip);
    if (peer?.hostId == null) return undefined;
    let a = this.acc[peer.hostId];
    if (a === undefined) {
      a = { peer, first: t, last: t, server: new Map(), client: [], logins: new Map() };
      this.acc[peer.hostId] = a;
    }
    if (t < a.first) a.first = t;
    if (t > a.last) a.last = t;
    return a;
  }
}

/** The marks of a service or login first met in the flow (start, id, end, no). */
function firstSeen(start: number, id: string, end: number, no: number): Seen {
  return {
    firstStart: start,
    firstId: id,
    firstNo: no,
    latestStart: start,
    latestId: id,
    latestNo: no,
    last: end,
  };
}

/** A service met again: the banner follows its latest flow, `last` is the largest end. */
function update(s: Service, start: number, id: string, end: number, no: number, banner: string | null): void {
  if (mark(s, start, id, no)) s.banner = banner;
  if (end > s.last) s.last = end;
}

/** Items in the order a pass over the sorted flows first met them. */
function inFirstSeenOrder<T extends Seen>(items: Iterable<T>): T[] {
  return [...items].sort((x, y) =>
    before(x.firstStart, x.firstId, x.firstNo, y.firstStart, y.firstId, y.firstNo)
      ? -1
      : before(y.firstStart, y.firstId, y.firstNo, x.firstStart, x.firstId, x.firstNo)
        ? 1
        : 0,
  );
}

/** Hosts sorted by id, from flows in any order. */
export function deriveHosts(flows: readonly FlowRecord[], net: Network): HostRecord[] {
  const inventory = new HostInventory(net);
  for (let i = 0; i < flows.length; i++) inventory.add(flows[i] as FlowRecord, i);
  return inventory.records();
}

/** The host record; the times in `a` are relative to `base`. */
function hostRecord(id: number, a: Acc, base: number): HostRecord {
  const { peer } = a;
  const seen = { first_seen: isoZ(a.first + base), last_seen: isoZ(a.last + base) };
  return {
    id: String(id),
    ip: [{ ip: peer.ip, ...seen }],
    hostname: peer.dns,
    user_hostname: null,
    dns: peer.dns ? [{ dns: peer.dns, ...seen }] : [],
    os: peer.os ? [{ name: peer.os, ...seen }] : [],
    server_services: inFirstSeenOrder(a.server.values())
      .sort((x, y) => y.last - x.last)
      .map((s) => ({ protocol: s.protocol, port: s.port, banner: s.banner, last_seen: isoZ(s.last + base) })),
    client_services: inFirstSeenOrder(a.client.filter((s): s is Service => s !== undefined))
      .sort((x, y) => y.last - x.last)
      .map((s) => ({ protocol: s.protocol, banner: s.banner, last_seen: isoZ(s.last + base) })),
    credentials: inFirstSeenOrder(a.logins.values()).map((l) => ({
      login: l.login,
      protocol: l.protocol,
      last_seen: isoZ(l.last + base),
    })),
    type: TYPES[peer.role ?? 'workstation'] ?? null,
    user_type: null,
    roles: ROLES[peer.role ?? ''] ?? [],
    groups: [...peer.groups],
    first_seen: seen.first_seen,
    last_seen: seen.last_seen,
    comment: null,
    has_redef: false,
  };
}

/**
 * The first item or null. A length test first: most flows hold the shared frozen empty list, and an out-of-bounds
 * read on it takes V8's slow path.
 */
function firstOf(list: readonly string[]): string | null {
  return list.length > 0 ? (list[0] as string) : null;
}
