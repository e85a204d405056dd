/**
 * External networks the dataset's peers live in: real organisations with their ASN, a home location and
 * address prefixes in their real ranges (so that `dst.geo.org == 'DigitalOcean, LLC'` hits plausible IPs).
 */
import type { GeoInfo } from '../types.js';
import type { Rng } from './random.js';

/** An external organisation peers belong to. */
export interface OrgSpec {
  key: string;
  org: string;
  asn: number;
  country: string;
  city: string;
  region: string;
  location: [number, number];
  /** Two-octet prefixes the org's addresses are drawn from. */
  prefixes: readonly string[];
  /** Domains served from the org's addresses. */
  domains: readonly string[];
  /** Relative share of ordinary outbound traffic. */
  weight: number;
}

/** The organisations, weighted by their share of ordinary outbound traffic. */
export const ORGS: readonly OrgSpec[] = [
  {
    key: 'google',
    org: 'Google LLC',
    asn: 15169,
    country: 'US',
    city: 'Mountain View',
    region: 'California',
    location: [37.4056, -122.0775],
    prefixes: ['142.250', '172.217', '216.58', '74.125'],
    domains: ['www.google.com', 'fonts.googleapis.com', 'update.googleapis.com', 'www.youtube.com', 'mail.google.com'],
    weight: 18,
  },
  {
    key: 'microsoft',
    org: 'Microsoft Corporation',
    asn: 8075,
    country: 'US',
    city: 'Redmond',
    region: 'Washington',
    location: [47.6801, -122.1206],
    prefixes: ['13.107', '20.190', '40.126', '52.96'],
    domains: [
      'login.microsoftonline.com',
      'outlook.office365.com',
      'settings-win.data.microsoft.com',
      'teams.microsoft.com',
      'windowsupdate.com',
    ],
    weight: 16,
  },
  {
    key: 'amazon',
    org: 'Amazon.com, Inc.',
    asn: 16509,
    country: 'US',
    city: 'Ashburn',
    region: 'Virginia',
    location: [39.0437, -77.4875],
    prefixes: ['3.120', '18.184', '52.58', '54.239'],
    domains: [
      's3.amazonaws.com',
      'd1.awsstatic.com',
      'api.github-cloud.example.com',
      'cdn.segment.com',
      'status.aws.amazon.com',
    ],
    weight: 12,
  },
  {
    key: 'digitalocean',
    org: 'DigitalOcean, LLC',
    asn: 14061,
    country: 'US',
    city: 'North Bergen',
    region: 'New Jersey',
    location: [40.7933, -74.0247],
    prefixes: ['104.248', '159.89', '167.99', '138.68'],
    domains: ['api.shop-status.io', 'cdn.statuspage-mirror.net', 'updates.tinyapp.dev', 'git.devbox.cloud'],
    weight: 6,
  },
  {
    key: 'cloudflare',
    org: 'Cloudflare, Inc.',
    asn: 13335,
    country: 'US',
    city: 'San Francisco',
    region: 'California',
    location: [37.7621, -122.3971],
    prefixes: ['104.16', '104.21', '172.67', '188.114'],
    domains: ['cdnjs.cloudflare.com', 'www.cloudflare.com', 'discord.com', 'registry.npmjs.org'],
    weight: 10,
  },
  {
    key: 'akamai',
    org: 'Akamai International B.V.',
    asn: 20940,
    country: 'NL',
    city: 'Amsterdam',
    region: 'North Holland',
    location: [52.3759, 4.8975],
    prefixes: ['23.32', '2.16', '95.100'],
    domains: ['www.apple.com', 'download.adobe.com', 'www.microsoft.com'],
    weight: 6,
  },
  {
    key: 'yandex',
    org: 'YANDEX LLC',
    asn: 13238,
    country: 'RU',
    city: 'Moscow',
    region: 'Moscow',
    location: [55.7386, 37.6068],
    prefixes: ['77.88', '87.250', '5.255'],
    domains: ['yandex.ru', 'mc.yandex.ru', 'disk.yandex.ru', 'mail.yandex.ru'],
    weight: 8,
  },
  {
    key: 'rostelecom',
    org: 'PJSC Rostelecom',
    asn: 12389,
    country: 'RU',
    city: 'Saint Petersburg',
    region: 'St.-Petersburg',
    location: [59.8944, 30.2642],
    prefixes: ['95.167', '178.176', '213.59'],
    domains: ['www.gosuslugi.ru', 'lk.rt.ru'],
    weight: 4,
  },
  {
    key: 'hetzner',
    org: 'Hetzner Online GmbH',
    asn: 24940,
    country: 'DE',
    city: 'Falkenstein',
    region: 'Saxony',
    location: [50.4777, 12.3649],
    prefixes: ['88.198', '95.216', '5.9', '116.202'],
    domains: ['mirror.hetzner.de', 'vpn.fastnode.de', 'files.storagebox.de'],
    weight: 4,
  },
  {
    key: 'ovh',
    org: 'OVH SAS',
    asn: 16276,
    country: 'FR',
    city: 'Roubaix',
    region: 'Hauts-de-France',
    location: [50.6942, 3.1746],
    prefixes: ['51.68', '145.239', '54.36'],
    domains: ['www.ovh.com', 'mirror.ovh.net', 'ns1.smallhost.fr'],
    weight: 3,
  },
  {
    key: 'att',
    org: 'ATT-INTERNET4',
    asn: 7018,
    country: 'US',
    city: 'Dallas',
    region: 'Texas',
    location: [37.751, -97.822],
    prefixes: ['32.17', '12.153'],
    domains: ['www.att.com'],
    weight: 2,
  },
  {
    key: 'telegram',
    org: 'Telegram Messenger Inc',
    asn: 62041,
    country: 'GB',
    city: 'London',
    region: 'England',
    location: [51.5074, -0.1278],
    prefixes: ['149.154'],
    domains: ['api.telegram.org', 'web.telegram.org'],
    weight: 1,
  },
  {
    key: 'teamviewer',
    org: 'TeamViewer Germany GmbH',
    asn: 43304,
    country: 'DE',
    city: 'Goppingen',
    region: 'Baden-Wurttemberg',
    location: [48.7036, 9.6526],
    prefixes: ['37.252', '188.172'],
    domains: ['router1.teamviewer.com', 'master7.teamviewer.com'],
    weight: 0,
  },
  {
    key: 'anydesk',
    org: 'philandro Software GmbH',
    asn: 200484,
    country: 'DE',
    city: 'Stuttgart',
    region: 'Baden-Wurttemberg',
    location: [48.7823, 9.177],
    prefixes: ['195.181'],
    domains: ['relay-1a2b3c4d.net.anydesk.com', 'boot.net.anydesk.com'],
    weight: 0,
  },
  {
    key: 'tor',
    org: 'Stiftung Erneuerbare Freiheit',
    asn: 60729,
    country: 'DE',
    city: 'Frankfurt am Main',
    region: 'Hesse',
    location: [50.1188, 8.6843],
    prefixes: ['185.220', '171.25'],
    domains: [],
    weight: 0,
  },
  {
    key: 'frantech',
    org: 'FranTech Solutions',
    asn: 53667,
    country: 'LU',
    city: 'Luxembourg',
    region: 'Luxembourg',
    location: [49.6117, 6.13],
    prefixes: ['209.141', '205.185'],
    domains: [],
    weight: 0,
  },
  {
    key: 'pool',
    org: 'Choopa, LLC',
    asn: 20473,
    country: 'NL',
    city: 'Amsterdam',
    region: 'North Holland',
    location: [52.352, 4.9392],
    prefixes: ['45.76', '95.179'],
    domains: ['pool.minexmr.com', 'xmr-eu1.nanopool.org', 'gulf.moneroocean.stream'],
    weight: 0,
  },
  {
    key: 'bulletproof',
    org: 'Proton66 OOO',
    asn: 198953,
    country: 'RU',
    city: 'Saint Petersburg',
    region: 'St.-Petersburg',
    location: [59.9386, 30.3141],
    prefixes: ['45.135', '91.212'],
    domains: [],
    weight: 0,
  },
  {
    key: 'chinanet',
    org: 'CHINANET-BACKBONE',
    asn: 4134,
    country: 'CN',
    city: 'Beijing',
    region: 'Beijing',
    location: [39.9042, 116.4074],
    prefixes: ['61.135', '218.92', '222.186'],
    domains: [],
    weight: 2,
  },
  {
    key: 'debian',
    org: 'Fastly, Inc.',
    asn: 54113,
    country: 'US',
    city: 'San Francisco',
    region: 'California',
    location: [37.7823, -122.391],
    prefixes: ['151.101', '199.232'],
    domains: ['deb.debian.org', 'security.debian.org', 'archive.ubuntu.com', 'dl.google.com'],
    weight: 4,
  },
];

const ORG_BY_KEY = new Map(ORGS.map((o) => [o.key, o]));

/** The org spec for a key (throws for an unknown key: a generator bug). */
export function orgByKey(key: string): OrgSpec {
  const org = ORG_BY_KEY.get(key);
  if (org === undefined) throw new Error(`unknown org ${key}`);
  return org;
}

/** A fresh address in one of the org's prefixes. */
export function ipInOrg(rng: Rng, org: OrgSpec): string {
  return `${rng.pick(org.prefixes)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

const GEO_CACHE = new Map<string, GeoInfo>();

/** The geo block of the org's addresses; one shared object per org (flows only read it). */
export function geoOf(org: OrgSpec): GeoInfo {
  let geo = GEO_CACHE.get(org.key);
  if (geo === undefined) {
    geo = {
      country: org.country,
      city: org.city,
      region: org.region,
      asn: org.asn,
      org: org.org,
      location: org.location,
    };
    GEO_CACHE.set(org.key, geo);
  }
  return geo;
}
