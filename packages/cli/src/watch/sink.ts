/**
 * Where `ptnad watch` delivers events. A sink's `write` resolves only once the destination accepted the whole
 * batch (written and fsynced, answered 2xx, written to the socket); the checkpoint advances only after that.
 * `--sink` values: `stdout` (default), `file:PATH`, `webhook:URL`, `syslog+udp://H:P`, `syslog+tcp://H:P`,
 * `syslog+tls://H:P`.
 */
import { UsageError } from '../errors.js';
import type { WatchEvent } from './events.js';

/** A delivery target. */
export interface Sink {
  /** Short description for the status line and errors (no secrets: URLs lose their credentials and query). */
  readonly label: string;
  /** Delivers a batch; rejects only when delivery cannot succeed (a retry would not help). */
  write(events: readonly WatchEvent[]): Promise<void>;
  /** State to save with the checkpoint (the file sink's length). */
  state?(): Record<string, unknown>;
  close(): Promise<void>;
}

/** What the sinks need besides the spec. */
export interface SinkContext {
  /** Message format for syslog: JSON (default) or CEF. */
  format: 'json' | 'cef';
  /** PEM of a CA for syslog+tls and https webhooks (`--sink-ca`). */
  ca?: string;
  /** Saved sink state from the last run (the file sink uses it to remove a repeated batch). */
  saved?: Record<string, unknown>;
  /** Reports a problem the sink is retrying through (status line / stderr). */
  onRetry(message: string): void;
  /** Version string for CEF headers. */
  version: string;
  /** Webhook body template (`--template`): `{{field.path}}` becomes the JSON value of that field. */
  template?: string;
}

/** A parsed `--sink` value. */
export type SinkSpec =
  | { kind: 'stdout' }
  | { kind: 'file'; path: string }
  | { kind: 'webhook'; url: URL }
  | { kind: 'syslog'; transport: 'udp' | 'tcp' | 'tls'; host: string; port: number };

/** Parses `--sink`. @throws UsageError with what was wrong. */
export function parseSink(spec: string): SinkSpec {
  if (spec === 'stdout' || spec === '-') return { kind: 'stdout' };
  if (spec.startsWith('file:')) {
    const path = spec.slice(5);
    if (path === '') throw new UsageError('--sink file: needs a path, e.g. file:/var/log/nad/attacks.jsonl');
    return { kind: 'file', path };
  }
  if (spec.startsWith('webhook:')) {
    const raw = spec.slice(8);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UsageError(`--sink webhook: "${raw}" is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new UsageError(`--sink webhook: needs an http:// or https:// URL, got "${url.protocol}"`);
    }
    return { kind: 'webhook', url };
  }
  const m = /^syslog\+(udp|tcp|tls):\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(spec);
  if (m) {
    const port = Number(m[3]);
    if (port < 1 || port > 65535) throw new UsageError(`--sink ${spec}: port must be 1..65535`);
    const host = (m[2] as string).replace(/^\[|\]$/g, '');
    return { kind: 'syslog', transport: m[1] as 'udp' | 'tcp' | 'tls', host, port };
  }
  if (spec.startsWith('syslog')) {
    throw new UsageError(
      `--sink ${spec}: write syslog+udp://HOST:PORT, syslog+tcp://HOST:PORT or syslog+tls://HOST:PORT`,
    );
  }
  throw new UsageError(
    `--sink "${spec}" is not a sink: use stdout, file:PATH, webhook:URL, syslog+udp://H:P, syslog+tcp://H:P or syslog+tls://H:P`,
  );
}

/** Opens the sink a spec names (sink modules load only when used). */
export async function openSink(spec: SinkSpec, ctx: SinkContext, stdout: NodeJS.WritableStream): Promise<Sink> {
  switch (spec.kind) {
    case 'stdout':
      return {
        label: 'stdout',
        write: (events) =>
          new Promise<void>((resolve, reject) => {
            stdout.write(events.map((e) => `${JSON.stringify(e)}\n`).join(''), (err) =>
              err ? reject(err) : resolve(),
            );
          }),
        close: async () => undefined,
      };
    case 'file':
      return (await import('./sink-file.js')).openFileSink(spec.path, ctx);
    case 'webhook':
      return new (await import('./sink-webhook.js')).WebhookSink(spec.url, ctx);
    case 'syslog':
      return (await import('./sink-syslog.js')).openSyslogSink(spec, ctx);
  }
}
