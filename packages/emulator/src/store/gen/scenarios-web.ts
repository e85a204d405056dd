/**
 * Ordinary outbound and perimeter traffic: DNS, web over TLS and HTTP, unidentified TCP and inbound scans.
 */

import type { FileExt } from './files.js';
import { ephemeral, newFlow } from './flow-base.js';
import { peerAs, pickExternal } from './network.js';
import { addDns, addHttp, addTls } from './protocols.js';
import { WeightedTable } from './random.js';
import { addDownload, maybeAlert, role, type Scenario, type ScenarioDef, ws } from './scenario-kit.js';
import type { TcpShape } from './tcp.js';

const dnsQuery: Scenario = (c, start) => {
  const { rng } = c;
  const target = pickExternal(rng, c.net);
  const f = newFlow(c, {
    start,
    durationMs: rng.int(1, 80),
    src: ws(c),
    sport: ephemeral(rng),
    dst: role(c, 'dc'),
    dport: 53,
    proto: 'UDP',
    app: 'dns',
    sent: rng.int(60, 120),
    recv: rng.int(80, 400),
  });
  const name =
    target.dns ??
    `${rng.pick(['cdn', 'api', 'static', 'img'])}.${rng.pick(['example.com', 'contoso.com', 'fabrikam.net'])}`;
  addDns(c, f, name, target.ip, rng.chance(0.8) ? 'A' : 'AAAA');
  maybeAlert(c, f, 'dns', 0.004);
  return f;
};

const dnsUpstream: Scenario = (c, start) => {
  const { rng } = c;
  const google = c.net.byOrg.get('google') ?? [];
  const f = newFlow(c, {
    start,
    durationMs: rng.int(5, 60),
    src: role(c, 'dc'),
    sport: ephemeral(rng),
    dst: peerAs(rng.pick(google), rng.pick(['8.8.8.8', '8.8.4.4']), 'dns.google'),
    dport: 53,
    proto: 'UDP',
    app: 'dns',
    sent: rng.int(60, 120),
    recv: rng.int(80, 500),
  });
  const t = pickExternal(rng, c.net);
  addDns(c, f, t.dns ?? 'www.example.org', t.ip);
  return f;
};

const tlsWeb: Scenario = (c, start) => {
  const { rng } = c;
  const dst = pickExternal(rng, c.net);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(50, 600_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: 443,
    proto: 'TCP',
    app: 'tls',
    sent: rng.logInt(600, 400_000),
    recv: rng.logInt(2000, 20_000_000),
  });
  addTls(c, f, dst.dns ?? dst.org?.domains[0] ?? null, rng.chance(0.7) ? 'TLS 1.3' : 'TLS 1.2');
  maybeAlert(c, f, 'c2', 0.003);
  return f;
};

const PATHS = [
  '/',
  '/index.html',
  '/api/v1/status',
  '/static/app.js',
  '/images/logo.png',
  '/login',
  '/search?q=report',
  '/update/check',
];

const STATUS_CODES = new WeightedTable([
  [200, 70],
  [304, 10],
  [302, 8],
  [404, 8],
  [500, 2],
  [403, 2],
] as const);

const httpWeb: Scenario = (c, start) => {
  const { rng } = c;
  const dst = pickExternal(rng, c.net);
  const f = newFlow(c, {
    start,
    durationMs: rng.logInt(20, 120_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst,
    dport: 80,
    proto: 'TCP',
    app: 'http',
    sent: rng.logInt(300, 50_000),
    recv: rng.logInt(500, 5_000_000),
  });
  const host = dst.dns ?? dst.ip;
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const post = rng.chance(0.15);
    addHttp(c, f, {
      method: post ? 'POST' : rng.chance(0.05) ? 'HEAD' : 'GET',
      host,
      url: post ? rng.pick(['/api/v1/events', '/login', '/upload', '/collect']) : rng.pick(PATHS),
      code: rng.draw(STATUS_CODES),
      referer: rng.chance(0.4) ? `http://${host}/` : undefined,
    });
  }
  if (rng.chance(0.05)) addDownload(c, f, rng.pick<FileExt>(['exe', 'pdf', 'zip', 'docx', 'png', 'js']));
  maybeAlert(c, f, rng.pick(['http', 'c2', 'ip-lookup', 'phishing']), 0.02);
  return f;
};

const unknownTcp: Scenario = (c, start) => {
  const { rng } = c;
  return newFlow(c, {
    start,
    durationMs: rng.logInt(10, 300_000),
    src: ws(c),
    sport: ephemeral(rng),
    dst: pickExternal(rng, c.net),
    dport: rng.pick([5228, 8883, 5222, 7680, 9000, 10443]),
    proto: 'TCP',
    app: '',
    sent: rng.logInt(100, 90_000),
    recv: rng.logInt(100, 900_000),
  });
};

const inboundScan: Scenario = (c, start) => {
  const { rng } = c;
  const scanner = rng.pick(c.net.byOrg.get('chinanet') ?? []);
  // Internet background noise: half-open SYN scans, probes nobody answers, connections refused with an RST.
  const f = newFlow(c, {
    start,
    durationMs: rng.int(1, 30),
    src: scanner,
    sport: ephemeral(rng),
    dst: role(c, 'web'),
    dport: rng.pick([22, 23, 80, 443, 445, 3389, 8080]),
    proto: 'TCP',
    app: '',
    sent: 0,
    recv: 0,
    shape: rng.weighted<TcpShape>([
      ['halfopen', 5],
      ['probe', 3],
      ['refused', 2],
    ]),
  });
  if (f.dst.port === 22) maybeAlert(c, f, 'ssh-scan', 0.3);
  return f;
};

/** Web and perimeter scenarios with their weights (per ~10,000 flows). */
export const WEB_SCENARIOS: readonly ScenarioDef[] = [
  { name: 'dns-query', make: dnsQuery, weight: 2000, examples: [] },
  { name: 'dns-upstream', make: dnsUpstream, weight: 300, examples: [] },
  {
    name: 'tls-web',
    make: tlsWeb,
    weight: 2400,
    examples: ["dst.geo.org == 'DigitalOcean, LLC' || dst.geo.org == 'Amazon.com, Inc.'"],
  },
  {
    name: 'http-web',
    make: httpWeb,
    weight: 900,
    examples: [
      'http(rqs.method==POST && rsp.code==200)',
      "app_proto == 'http' && http(rqs.method == 'POST' && !rqs.Referer) && dst.groups != 'HOME_NET'",
      "dst.groups != 'HOME_NET' && !dst.dns",
    ],
  },
  { name: 'unknown-tcp', make: unknownTcp, weight: 200, examples: [] },
  { name: 'inbound-scan', make: inboundScan, weight: 150, examples: [] },
];
