/**
 * Seed reputation lists, named like the real ones (T121/T131: `ESC-auto-cloudeye-ip`, `malware`, ...) plus the
 * categories the example filters name (`tor-relays`, `miners`, `ESC-*-dns`). Item values come from the org
 * prefixes of geo.ts, so the network generator can make peers that actually hit them.
 */
import type { ReplistItem, ReplistRecord } from '../types.js';
import { ipInOrg, orgByKey } from './geo.js';
import type { Rng } from './random.js';
import { DAY, isoZ } from './time.js';

type ListType = ReplistRecord['type'];

interface ListSpec {
  name: string;
  type: ListType;
  color: string;
  description: string;
  externalKey: string | null;
  vendor: string | null;
  count: number;
  /** Org keys for ip lists, TLDs for dn lists. */
  source: readonly string[];
}

const LISTS: readonly ListSpec[] = [
  {
    name: 'ESC-auto-cloudeye-ip',
    type: 'ip',
    color: '7',
    description: 'CloudEye C2 servers (auto)',
    externalKey: 'esc-auto-cloudeye-ip',
    vendor: 'PT ESC',
    count: 19,
    source: ['digitalocean', 'bulletproof'],
  },
  {
    name: 'malware',
    type: 'md5',
    color: '1',
    description: 'Hashes of known malware samples',
    externalKey: null,
    vendor: 'PT ESC',
    count: 80,
    source: [],
  },
  {
    name: 'ESC-exploitation_iocs-ip',
    type: 'ip',
    color: '5',
    description: 'Hosts seen exploiting public services',
    externalKey: null,
    vendor: 'PT ESC',
    count: 200,
    source: ['chinanet', 'bulletproof', 'ovh'],
  },
  {
    name: 'ET_alert_rules_APT28',
    type: 'dn',
    color: '3',
    description: 'APT28 domains from ET rules',
    externalKey: null,
    vendor: 'ETOpen',
    count: 40,
    source: ['.com', '.net', '.org'],
  },
  {
    name: 'unknown_apt_031525_ip',
    type: 'ip',
    color: '2',
    description: '',
    externalKey: null,
    vendor: null,
    count: 25,
    source: ['hetzner', 'bulletproof'],
  },
  {
    name: 'ESC-manual-cobalt_strike-dns',
    type: 'dn',
    color: '1',
    description: 'Cobalt Strike team servers (manual)',
    externalKey: null,
    vendor: 'PT ESC',
    count: 30,
    source: ['.com', '.net', '.xyz'],
  },
  {
    name: 'ESC-auto-qakbot-dns',
    type: 'dn',
    color: '1',
    description: 'QakBot distribution domains (auto)',
    externalKey: 'esc-auto-qakbot-dns',
    vendor: 'PT ESC',
    count: 30,
    source: ['.top', '.xyz', '.info'],
  },
  {
    name: 'tor-relays',
    type: 'ip',
    color: '4',
    description: 'TOR relay and exit nodes',
    externalKey: 'tor-relays',
    vendor: null,
    count: 150,
    source: ['tor', 'frantech'],
  },
  {
    name: 'miners',
    type: 'dn',
    color: '6',
    description: 'Crypto mining pools',
    externalKey: null,
    vendor: null,
    count: 12,
    source: ['pool'],
  },
  {
    name: 'dga',
    type: 'dn',
    color: '3',
    description: 'Domains from domain generation algorithms',
    externalKey: null,
    vendor: 'PT ESC',
    count: 60,
    source: ['.com', '.net', '.biz', '.info'],
  },
  {
    name: 'sinkholes',
    type: 'ip',
    color: '0',
    description: 'Known sinkhole addresses',
    externalKey: null,
    vendor: null,
    count: 15,
    source: ['ovh', 'hetzner'],
  },
  {
    name: 'phishing-urls',
    type: 'uri',
    color: '2',
    description: 'Phishing landing pages',
    externalKey: null,
    vendor: null,
    count: 40,
    source: ['.com', '.top'],
  },
  {
    name: 'feodo-tracker-ip',
    type: 'ip',
    color: '7',
    description: 'Feodo Tracker botnet C2 (abuse.ch)',
    externalKey: 'feodotracker',
    vendor: 'abuse.ch',
    count: 60,
    source: ['digitalocean', 'ovh', 'hetzner'],
  },
  {
    name: 'opencti-indicators',
    type: 'dn',
    color: '7',
    description: 'Indicators pushed by OpenCTI',
    externalKey: 'opencti',
    vendor: 'OpenCTI',
    count: 25,
    source: ['.com', '.ru', '.net'],
  },
];

const FIRST_ID = 2118;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** The seed lists with their items (ids from 2118 up, in the order above). */
export function generateReplists(rng: Rng, now: number): ReplistRecord[] {
  return LISTS.map((spec, i) => {
    const created = now - rng.int(30, 700) * DAY;
    const values = new Set<string>();
    for (let guard = 0; values.size < spec.count && guard < spec.count * 10; guard++) {
      values.add(valueFor(rng, spec));
    }
    const items: ReplistItem[] = [...values].map((value) => ({
      value,
      attrs: spec.externalKey
        ? { source: spec.vendor ?? 'api', confidence: String(rng.int(50, 100)) }
        : ({} as Record<string, string>),
      modified: isoZ(created + rng.int(0, Math.max(1, now - created - DAY)), rng.int(0, 999)),
    }));
    return {
      id: FIRST_ID + i,
      name: spec.name,
      type: spec.type,
      color: spec.color,
      description: spec.description,
      external_key: spec.externalKey,
      vendor: spec.vendor ? { name: spec.vendor } : null,
      created: isoZ(created),
      modified: isoZ(now - rng.int(1, 20) * DAY),
      items,
    };
  });
}

function valueFor(rng: Rng, spec: ListSpec): string {
  switch (spec.type) {
    case 'ip':
      return ipInOrg(rng, orgByKey(rng.pick(spec.source)));
    case 'dn':
      if (spec.name === 'miners') return minerDomain(rng);
      return `${rng.chars(LETTERS, rng.int(6, 14))}${rng.pick(spec.source)}`;
    case 'uri':
      return `http://${rng.chars(LETTERS, rng.int(5, 10))}${rng.pick(spec.source)}/${rng.pick(['login', 'secure', 'account', 'verify'])}/${rng.chars(LETTERS, 8)}.php`;
    case 'md5':
      return rng.chars('0123456789abcdef', 32);
  }
}

const POOLS = ['minexmr.com', 'nanopool.org', 'moneroocean.stream', 'supportxmr.com', '2miners.com', 'f2pool.com'];

function minerDomain(rng: Rng): string {
  return `${rng.pick(['pool', 'xmr', 'xmr-eu1', 'eth-us', 'stratum', 'gulf'])}.${rng.pick(POOLS)}`;
}
