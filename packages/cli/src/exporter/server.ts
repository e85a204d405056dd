/**
 * The HTTP side of `ptnad exporter`: `GET /metrics[?target=PROFILE]` in the Prometheus text format, a small
 * index page at `/`, and 404 for anything else. Only GET and HEAD; nothing a scraper sends reaches the
 * appliance except the choice of a profile that already exists.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { register as defaultRegistry } from 'prom-client';
import { type Targets, UnknownTargetError } from './targets.js';

/** Where to listen. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (127.0.0.1); throws a message naming what is wrong. */
export function parseListen(value: string): ListenAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) throw new Error(`expected HOST:PORT (e.g. 127.0.0.1:9847 or [::1]:9847), got "${value}"`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

const INDEX = `<!doctype html>
<html><head><title>PT NAD exporter</title></head>
<body><h1>PT NAD exporter</h1>
<p><a href="/metrics">/metrics</a>: the default appliance; <code>/metrics?target=PROFILE</code>: another profile.</p>
</body></html>
`;

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(head ? undefined : body);
}

async function handle(targets: Targets, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', head);
    return;
  }
  const url = new URL(req.url ?? '/', 'http://exporter');
  if (url.pathname === '/') {
    send(res, 200, 'text/html; charset=utf-8', INDEX, head);
    return;
  }
  if (url.pathname !== '/metrics') {
    send(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics\n', head);
    return;
  }
  const names = url.searchParams.getAll('target');
  if (names.length > 1) {
    send(res, 400, 'text/plain; charset=utf-8', 'give at most one target\n', head);
    return;
  }
  try {
    const text = await targets.scrape(names[0] || undefined);
    send(res, 200, defaultRegistry.contentType, text, head);
  } catch (err) {
    if (err instanceof UnknownTargetError) {
      send(res, 400, 'text/plain; charset=utf-8', `unknown target: ${err.message}\n`, head);
      return;
    }
    throw err;
  }
}

/** Starts listening; resolves with the server and the address it got (port 0 picks a free port). */
export async function listen(
  targets: Targets,
  address: ListenAddress,
  onError: (err: unknown) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(targets, req, res).catch((err: unknown) => {
      onError(err);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n', false);
      else res.destroy();
    });
  });
  // Idle keep-alive connections of scrapers must not hold the shutdown.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : address.port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return { server, url: `http://${host}:${port}` };
}

/** Stops accepting, closes idle connections and waits for the ones in flight. */
export async function stop(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await closed;
}
