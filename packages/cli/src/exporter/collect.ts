/**
 * One scrape of one appliance: a burst of read-only requests sent in parallel, turned into a fresh prom-client
 * registry. A registry per burst (not long-lived gauges) means a trigger or storage that disappears from the
 * appliance disappears from the output too, instead of lingering with its last value.
 */

import { Gauge, Registry } from 'prom-client';
import type { PTNADClient } from 'ptnad-client';
import { errorCode } from '../errors.js';

/** The health colours PT NAD reports; each becomes one series of a state set. */
export const COLOURS = ['green', 'yellow', 'red', 'unknown'] as const;

/** The parts of a burst, each reported as `ptnad_collector_success{collector}`. */
export const COLLECTORS = ['status', 'triggers', 'sensors', 'storages', 'replists', 'rules'] as const;
export type Collector = (typeof COLLECTORS)[number];

/** At most this many storages, sensors and statistics keys are exported: label values stay bounded. */
export const MAX_SERIES_PER_FAMILY = 100;

/** What a burst produced: the registry to render, and the failures (for the exporter's error counters). */
export interface BurstResult {
  registry: Registry;
  up: boolean;
  durationSeconds: number;
  failures: { collector: Collector; code: string }[];
}

function seconds(iso: unknown): number | undefined {
  if (typeof iso !== 'string' || iso === '') return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** A colour as one of {@link COLOURS} (anything else a server may invent counts as unknown). */
function colour(value: unknown): (typeof COLOURS)[number] {
  return (COLOURS as readonly unknown[]).includes(value) ? (value as (typeof COLOURS)[number]) : 'unknown';
}

/** Label text: printable, at most 128 characters (a server's names are data, not trusted to be sane). */
function label(value: unknown): string {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 128);
}

/**
 * Flattens a statistics object (its shape differs between PT NAD versions) into `key -> number` pairs, one
 * level of nesting deep (`by_type.ip`), keeping only finite numbers and booleans, at most
 * {@link MAX_SERIES_PER_FAMILY} keys.
 */
export function flattenStats(stats: unknown): [string, number][] {
  const out: [string, number][] = [];
  const add = (key: string, v: unknown) => {
    if (out.length >= MAX_SERIES_PER_FAMILY) return;
    if (typeof v === 'number' && Number.isFinite(v)) out.push([label(key), v]);
    else if (typeof v === 'boolean') out.push([label(key), v ? 1 : 0]);
  };
  if (stats === null || typeof stats !== 'object') return out;
  for (const [k, v] of Object.entries(stats)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) add(`${k}.${k2}`, v2);
    } else add(k, v);
  }
  return out;
}

/**
 * Settles no later than `signal` aborts, even when the work does not notice the abort (a body that trickles in
 * byte by byte): a scrape while the appliance misbehaves must still answer within the timeout.
 */
function bounded<T>(work: PromiseLike<T>, signal: AbortSignal): Promise<T> {
  // Whatever the SDK calls a request it abandoned at the deadline, for the error counter it is a timeout.
  const timeout = () => Object.assign(new Error('no answer within --scrape-timeout'), { code: 'timeout' });
  const running = Promise.resolve(work);
  if (signal.aborted) {
    running.catch(() => undefined);
    return Promise.reject(timeout());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeout());
    signal.addEventListener('abort', onAbort, { once: true });
    running
      .then(resolve, (err: unknown) => reject(signal.aborted ? timeout() : err))
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Options of {@link collect}. */
export interface CollectOptions {
  /** Aborts every request of the burst (the scrape timeout). */
  signal: AbortSignal;
}

/**
 * Sends the burst (monitoring status, triggers, sensors, storages, reputation-list and rule statistics) and
 * builds the registry. Never throws: a failed part is a `ptnad_collector_success 0` and a failure entry;
 * `ptnad_up` is 1 when the monitoring status was read.
 */
export async function collect(client: PTNADClient, options: CollectOptions): Promise<BurstResult> {
  const started = performance.now();
  const req = { signal: options.signal, maxRetries: 0 };
  const b = <T>(p: PromiseLike<T>) => bounded(p, options.signal);
  const [status, triggers, sensors, storages, replists, rules] = await Promise.allSettled([
    b(client.monitoring.getStatus(req)),
    b(client.monitoring.getTriggers(req)),
    b(client.sensors.getSensors(req)),
    b(client.sources.getSources({ limit: MAX_SERIES_PER_FAMILY }, req)),
    b(client.replists.getStats(req)),
    b(client.signatures.getStats(req)),
  ]);
  const durationSeconds = (performance.now() - started) / 1000;
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: readonly string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });

  const failures: BurstResult['failures'] = [];
  const success = gauge('ptnad_collector_success', 'Whether the part of the last burst succeeded (1) or not (0).', [
    'collector',
  ]);
  const settled = { status, triggers, sensors, storages, replists, rules } as const;
  for (const name of COLLECTORS) {
    const r = settled[name];
    success.set({ collector: name }, r.status === 'fulfilled' ? 1 : 0);
    if (r.status === 'rejected') failures.push({ collector: name, code: errorCode(r.reason) ?? 'other' });
  }
  const up = status.status === 'fulfilled';
  gauge('ptnad_up', 'Whether the appliance answered the monitoring status request (1) or not (0).').set(up ? 1 : 0);
  gauge('ptnad_scrape_duration_seconds', 'How long the last burst of appliance requests took.').set(durationSeconds);

  if (status.status === 'fulfilled') {
    const g = gauge('ptnad_status', 'Overall monitoring status: 1 for the current colour, 0 for the others.', [
      'status',
    ]);
    const now = colour(status.value.status);
    for (const c of COLOURS) g.set({ status: c }, c === now ? 1 : 0);
    gauge('ptnad_problems', 'Number of problems the monitoring status reports.').set(status.value.problems.length);
  }
  if (triggers.status === 'fulfilled') {
    const g = gauge('ptnad_trigger_status', 'Health trigger status: 1 for the current colour, 0 for the others.', [
      'id',
      'type',
      'status',
    ]);
    const updated = gauge('ptnad_trigger_updated_timestamp_seconds', 'When the trigger was last evaluated.', [
      'id',
      'type',
    ]);
    for (const t of triggers.value.slice(0, MAX_SERIES_PER_FAMILY)) {
      const labels = { id: label(t.id), type: label(t.type) };
      const now = colour(t.status);
      for (const c of COLOURS) g.set({ ...labels, status: c }, c === now ? 1 : 0);
      const ts = seconds(t.updated);
      if (ts !== undefined) updated.set(labels, ts);
    }
  }
  if (sensors.status === 'fulfilled') {
    gauge('ptnad_sensors', 'Number of sensors (ptdpi modules).').set(sensors.value.length);
    const info = gauge('ptnad_sensor_info', 'One series per sensor, labelled with its id and name.', ['id', 'name']);
    for (const s of sensors.value.slice(0, MAX_SERIES_PER_FAMILY))
      info.set({ id: label(s.id), name: label(s.name) }, 1);
  }
  if (storages.status === 'fulfilled') {
    const list = storages.value.results;
    gauge('ptnad_storages', 'Number of storages.').set(storages.value.count ?? list.length);
    const names = ['id', 'name'];
    const start = gauge('ptnad_storage_start_timestamp_seconds', 'Oldest traffic in the storage.', names);
    const end = gauge('ptnad_storage_end_timestamp_seconds', 'Newest traffic in the storage.', names);
    const imported = gauge('ptnad_storage_last_import_timestamp_seconds', 'Last import into the storage.', names);
    const files = gauge('ptnad_storage_files', 'Number of files in the storage.', names);
    for (const s of list.slice(0, MAX_SERIES_PER_FAMILY)) {
      const labels = { id: label(s.id), name: label(s.name) };
      const set = (g: Gauge, v: number | undefined) => {
        if (v !== undefined) g.set(labels, v);
      };
      set(start, seconds(s.start));
      set(end, seconds(s.end));
      set(imported, seconds(s.last_import));
      set(files, typeof s.files_count === 'number' ? s.files_count : undefined);
    }
  }
  if (replists.status === 'fulfilled') {
    const g = gauge('ptnad_replists_stat', 'Reputation-list statistics as the appliance reports them, by key.', [
      'key',
    ]);
    for (const [k, v] of flattenStats(replists.value)) g.set({ key: k }, v);
  }
  if (rules.status === 'fulfilled') {
    const g = gauge('ptnad_rules_stat', 'Detection-rule statistics as the appliance reports them, by key.', ['key']);
    for (const [k, v] of flattenStats(rules.value)) g.set({ key: k }, v);
  }
  return { registry, up, durationSeconds, failures };
}
