import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import parse from 'parse-prometheus-text-format';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, isolatedEnv } from './harness.js';
import { type Running, startPtnad } from './server-process.js';

// `ptnad exporter` as a real process scraped over HTTP, its output parsed by a real text-format parser. Two
// emulators: "main" (the default target) and "second" (a profile reached with ?target=second), which the
// last test stops to show an appliance that is down.
let main: Emulator;
let second: Emulator;
let exporter: Running;
let base: string;
let home: string;

const READY = /exporter listening on (http:\/\/\S+)\/metrics/;

function writeProfiles(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const profiles = { main: { url: main.url, auth: 'apikey' }, second: { url: second.url, auth: 'apikey' } };
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ current: 'main', profiles }));
  const secrets = {
    profiles: { main: { apiKey: main.credentials.apiKey }, second: { apiKey: second.credentials.apiKey } },
  };
  writeFileSync(join(dir, 'secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
}

beforeAll(async () => {
  assertBuilt();
  [main, second] = await Promise.all([
    startEmulator({ port: 0, seed: 1, flows: 200 }),
    startEmulator({ port: 0, seed: 2, flows: 200 }),
  ]);
  const iso = isolatedEnv();
  home = iso.home;
  writeProfiles(join(home, 'xdg', 'ptnad'));
  const started = await startPtnad(
    ['exporter', '--listen', '127.0.0.1:0', '--cache', '0', '--scrape-timeout', '5'],
    iso.env,
    READY,
  );
  exporter = started.running;
  base = started.match[1] ?? '';
});
afterAll(async () => {
  await exporter?.stop();
  await Promise.all([main?.close(), second?.close().catch(() => undefined)]);
});

type Families = ReturnType<typeof parse>;

async function scrape(query = ''): Promise<{ status: number; type: string | null; families: Families; text: string }> {
  const res = await fetch(`${base}/metrics${query}`);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), families: res.ok ? parse(text) : [], text };
}

function family(families: Families, name: string) {
  const f = families.find((x) => x.name === name);
  if (!f) throw new Error(`no metric family ${name}`);
  return f;
}

function value(families: Families, name: string, labels: Record<string, string> = {}): number {
  const m = family(families, name).metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  if (!m) throw new Error(`no sample ${name}${JSON.stringify(labels)}`);
  return Number(m.value);
}

describe('ptnad exporter', () => {
  it('serves the appliance health in the Prometheus text format, by Prometheus naming conventions', async () => {
    const { status, type, families } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(families, 'ptnad_up')).toBe(1);
    // Exactly one colour of the state set is 1.
    const colours = family(families, 'ptnad_status').metrics;
    expect(colours.map((m) => m.labels?.status).sort()).toEqual(['green', 'red', 'unknown', 'yellow']);
    expect(colours.filter((m) => m.value === '1')).toHaveLength(1);
    // One state set per trigger, labelled with its id and type, 4 series each.
    const triggers = main.state.dataset.triggers;
    const series = family(families, 'ptnad_trigger_status').metrics;
    expect(series).toHaveLength(triggers.length * 4);
    for (const t of triggers) {
      expect(value(families, 'ptnad_trigger_status', { id: t.id, type: t.type, status: t.status })).toBe(1);
    }
    expect(value(families, 'ptnad_sensors')).toBe(main.state.dataset.sensors.length);
    expect(family(families, 'ptnad_storage_end_timestamp_seconds').metrics.length).toBeGreaterThan(0);
    expect(value(families, 'ptnad_replists_stat', { key: 'count' })).toBeGreaterThanOrEqual(0);
    expect(value(families, 'ptnad_rules_stat', { key: 'total' })).toBeGreaterThan(0);
    for (const c of ['status', 'triggers', 'sensors', 'storages', 'replists', 'rules']) {
      expect(value(families, 'ptnad_collector_success', { collector: c })).toBe(1);
    }
    // Conventions: base units in names, counters end in _total, every family has help text.
    for (const f of families) {
      expect(f.name).toMatch(/^ptnad_[a-z0-9_]+$/);
      expect(f.help).not.toBe('');
      if (f.type === 'COUNTER') expect(f.name).toMatch(/_total$/);
      if (/timestamp|duration/.test(f.name)) expect(f.name).toMatch(/_seconds$/);
    }
    expect(family(families, 'ptnad_exporter_scrapes_total').type).toBe('COUNTER');
    expect(value(families, 'ptnad_exporter_scrape_duration_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('shows a trigger turned red, in the trigger series and the overall status', async () => {
    const triggers = main.state.dataset.triggers;
    const saved = triggers.map((t) => t.status);
    const first = triggers[0];
    if (!first) throw new Error('the emulator has no triggers');
    for (const t of triggers) t.status = 'green';
    first.status = 'red';
    try {
      const { families } = await scrape();
      expect(value(families, 'ptnad_status', { status: 'red' })).toBe(1);
      expect(value(families, 'ptnad_status', { status: 'green' })).toBe(0);
      expect(value(families, 'ptnad_trigger_status', { id: first.id, status: 'red' })).toBe(1);
      expect(value(families, 'ptnad_trigger_status', { id: first.id, status: 'green' })).toBe(0);
      expect(value(families, 'ptnad_problems')).toBe(1);
    } finally {
      triggers.forEach((t, i) => {
        t.status = saved[i] ?? t.status;
      });
    }
  });

  it('serves another profile with ?target=, and refuses a target that names no profile', async () => {
    const before = second.counters.get('GET', '/api/v2/monitoring/triggers');
    const { status, families } = await scrape('?target=second');
    expect(status).toBe(200);
    expect(value(families, 'ptnad_up')).toBe(1);
    expect(second.counters.get('GET', '/api/v2/monitoring/triggers')).toBe(before + 1);
    for (const bad of ['nosuch', '../etc', 'http://evil.example']) {
      const r = await scrape(`?target=${encodeURIComponent(bad)}`);
      expect(r.status).toBe(400);
    }
    expect((await fetch(`${base}/other`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('caches one burst for --cache seconds: several scrapes send one set of requests', async () => {
    const { env } = isolatedEnv({ PTNAD_URL: main.url, PTNAD_API_KEY: main.credentials.apiKey });
    const { running, match } = await startPtnad(['exporter', '--listen', '127.0.0.1:0', '--cache', '3600'], env, READY);
    try {
      const url = `${match[1]}/metrics`;
      const before = main.counters.get('GET', '/api/v2/monitoring/triggers');
      const texts = await Promise.all([1, 2, 3, 4].map(() => fetch(url).then((r) => r.text())));
      texts.push(await fetch(url).then((r) => r.text()));
      expect(main.counters.get('GET', '/api/v2/monitoring/triggers')).toBe(before + 1);
      const last = parse(texts[4] ?? '');
      expect(value(last, 'ptnad_exporter_scrapes_total')).toBe(5);
      expect(value(last, 'ptnad_exporter_bursts_total')).toBe(1);
      expect(value(last, 'ptnad_exporter_cache_hits_total')).toBe(4);
      expect(running.stderr()).not.toContain(main.credentials.apiKey);
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });

  it('answers ptnad_up 0 within --scrape-timeout when the appliance accepts but does not answer', async () => {
    const { env } = isolatedEnv({ PTNAD_URL: main.url, PTNAD_API_KEY: main.credentials.apiKey });
    const { running, match } = await startPtnad(
      ['exporter', '--listen', '127.0.0.1:0', '--cache', '0', '--scrape-timeout', '1'],
      env,
      READY,
    );
    const fault = main.faults.add('latency=60000@GET:/api/v2/monitoring/status');
    try {
      const families = parse(await fetch(`${match[1]}/metrics`).then((r) => r.text()));
      expect(value(families, 'ptnad_up')).toBe(0);
      expect(value(families, 'ptnad_collector_success', { collector: 'status' })).toBe(0);
      expect(value(families, 'ptnad_exporter_errors_total', { collector: 'status', code: 'timeout' })).toBe(1);
      expect(families.some((f) => f.name === 'ptnad_status')).toBe(false);
    } finally {
      for (const id of fault) main.faults.remove(id);
      expect(await running.stop()).toBe(0);
    }
  });

  it('answers ptnad_up 0 at once when the appliance is down, and counts the error by code', async () => {
    await second.close();
    const { status, families } = await scrape('?target=second');
    expect(status).toBe(200);
    expect(value(families, 'ptnad_up')).toBe(0);
    expect(value(families, 'ptnad_collector_success', { collector: 'triggers' })).toBe(0);
    expect(value(families, 'ptnad_exporter_errors_total', { collector: 'status', code: 'connection' })).toBe(1);
    expect(families.some((f) => f.name === 'ptnad_trigger_status')).toBe(false);
    // The default target is unaffected.
    expect(value((await scrape()).families, 'ptnad_up')).toBe(1);
  });

  it('--listen is checked before anything starts', async () => {
    const { env } = isolatedEnv({ PTNAD_URL: main.url, PTNAD_API_KEY: main.credentials.apiKey });
    const r = await cli(['exporter', '--listen', 'nowhere'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--listen: expected HOST:PORT');
  });

  it('the Grafana dashboard and the alerting rules name only metrics the exporter serves', async () => {
    const served = new Set((await scrape()).families.map((f) => f.name));
    const contrib = new URL('../contrib/', import.meta.url);
    const dashboard = readFileSync(new URL('grafana-dashboard.json', contrib), 'utf8');
    const rules = readFileSync(new URL('prometheus-alerts.yml', contrib), 'utf8');
    const exprs = [
      ...(JSON.parse(dashboard) as { panels: { targets: { expr: string }[] }[] }).panels.flatMap((p) =>
        p.targets.map((t) => t.expr),
      ),
      ...[...rules.matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1] ?? ''),
    ];
    expect(exprs.length).toBeGreaterThan(10);
    for (const expr of exprs) {
      for (const [name] of expr.matchAll(/\bptnad_[a-z0-9_]+/g)) expect(served, expr).toContain(name);
    }
  });

  it('the command modules load prom-client and the MCP SDK only inside their handlers', () => {
    for (const file of ['exporter.ts', 'mcp.ts']) {
      const source = readFileSync(new URL(`../src/commands/${file}`, import.meta.url), 'utf8');
      const staticImports = source.match(/^import (?!type ).*$/gm) ?? [];
      for (const line of staticImports) {
        expect(line).not.toMatch(/prom-client|@modelcontextprotocol|zod|\.\.\/(exporter|mcp)\//);
      }
    }
  });
});
