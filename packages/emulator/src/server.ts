import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from './app.js';
import { authenticate, unauthorized } from './auth/authenticate.js';
import { enforceCsrf } from './auth/csrf.js';
import type { FaultDecision } from './faults.js';
import { routeKey } from './faults.js';
import { mediaType, parseFormBody, parseJsonBody, readBody, unsupportedMediaType } from './http/body.js';
import { parseCookies } from './http/cookies.js';
import { badRequest, HttpError } from './http/errors.js';
import { Router } from './http/router.js';
import { ROUTES } from './routes/table.js';
import type { Reply, RequestContext, RouteSpec } from './routes/types.js';

export { ROUTES } from './routes/table.js';

/** The request listener for node:http / node:https: routing, faults, auth, CSRF, then the route's handler. */
export function createRequestListener(app: App): (req: IncomingMessage, res: ServerResponse) => void {
  const router = new Router<RouteSpec>(ROUTES);
  return (req, res) => {
    handle(app, router, req, res).catch((err: unknown) => {
      app.reportError(err);
      if (!res.headersSent) send(res, { status: 500, body: { detail: 'Internal server error.' } });
      else res.destroy();
    });
  };
}

async function handle(app: App, router: Router<RouteSpec>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);

  let matched: ReturnType<Router<RouteSpec>['match']> | null = null;
  let routeError: unknown = null;
  try {
    matched = router.match(method, rawPath);
  } catch (err) {
    routeError = err;
  }
  app.counters.hit(routeKey(method, matched ? matched.route.path : '<unmatched>'));

  const cookies = parseCookies(req.headers.cookie);
  const before = app.faults.decide(method, rawPath, 'before');
  if (before.latencyMs > 0 && !(await waitUnlessClosed(before.latencyMs, res))) return;
  if (before.terminal && applyTerminal(app, before, req, res, cookies, null)) return;

  let reply: Reply;
  try {
    if (!matched) throw routeError;
    reply = await runRoute(app, matched.route, matched.params, req, cookies, rawUrl);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    reply = { status: err.status, body: err.body, headers: err.headers };
  }

  const after = app.faults.decide(method, rawPath, 'after');
  if (after.latencyMs > 0 && !(await waitUnlessClosed(after.latencyMs, res))) return;
  if (after.terminal && applyTerminal(app, after, req, res, cookies, reply)) return;
  send(res, reply);
}

async function runRoute(
  app: App,
  route: RouteSpec,
  params: Record<string, string>,
  req: IncomingMessage,
  cookies: Map<string, string>,
  rawUrl: string,
): Promise<Reply> {
  const origin = `${app.tls ? 'https' : 'http'}://${req.headers.host ?? app.hostForUrls}`;
  let url: URL;
  try {
    url = new URL(rawUrl, origin);
  } catch {
    throw badRequest('Malformed request URL or Host header.');
  }
  let principal = null;
  if (route.auth === 'required') {
    principal = authenticate(req, cookies, app.authConfig);
    // DRF checks CSRF during authentication, so a CSRF failure wins over a permission failure.
    if (route.unsafe && principal.via === 'session') enforceCsrf(req, cookies, url.origin, app.tls);
    if (route.write && principal.role !== 'admin') {
      throw new HttpError(403, { detail: 'You do not have permission to perform this action.' });
    }
  }
  return route.handler(makeContext(app, req, url, params, principal, cookies));
}

function makeContext(
  app: App,
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
  principal: RequestContext['principal'],
  cookies: Map<string, string>,
): RequestContext {
  let body: Promise<Buffer> | null = null;
  const raw = () => {
    body ??= readBody(req, app.maxBodyBytes);
    return body;
  };
  return {
    app,
    req,
    method: req.method ?? 'GET',
    url,
    query: url.searchParams,
    params,
    principal,
    cookies,
    async json() {
      const buf = await raw();
      if (buf.length === 0) return undefined;
      const type = mediaType(req);
      if (type !== 'application/json') throw unsupportedMediaType(type);
      return parseJsonBody(buf);
    },
    async text() {
      return (await raw()).toString('utf8');
    },
    async form() {
      const type = mediaType(req);
      if (type !== 'application/x-www-form-urlencoded') throw unsupportedMediaType(type);
      return parseFormBody(await raw());
    },
  };
}

/**
 * Waits for an injected latency, but gives up as soon as the client or `close()` drops the connection, so a long
 * latency fault never keeps a stopped emulator alive. Resolves true when the response can still be written.
 */
function waitUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

/** Applies a terminal fault; returns true when the response is finished (or the socket gone). */
function applyTerminal(
  app: App,
  decision: FaultDecision,
  req: IncomingMessage,
  res: ServerResponse,
  cookies: Map<string, string>,
  reply: Reply | null,
): boolean {
  const action = decision.terminal;
  if (!action) return false;
  switch (action.kind) {
    case 'status': {
      const headers: Record<string, string> = {};
      if (action.status === 429 || action.status === 503 || action.retryAfter !== undefined) {
        headers['Retry-After'] = String(action.retryAfter ?? 1);
      }
      send(res, { status: action.status, body: { detail: `Injected fault: HTTP ${action.status}.` }, headers });
      return true;
    }
    case 'reset':
      req.socket.destroy();
      return true;
    case 'truncate': {
      const payload = Buffer.from(JSON.stringify(reply?.body ?? { detail: 'This body is cut short on purpose.' }));
      res.writeHead(reply?.status ?? 200, {
        'Content-Type': 'application/json',
        'Content-Length': String(payload.length + 64),
      });
      // Destroy once the partial chunk is flushed, so the client sees a short body rather than a refused connection.
      res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
      return true;
    }
    case 'expire': {
      const sessionId = cookies.get('sessionid');
      if (sessionId) app.credentials.revoke(sessionId);
      const auth = req.headers.authorization;
      if (auth?.toLowerCase().startsWith('bearer ')) app.credentials.revoke(auth.slice(7).trim());
      if (reply !== null) return false; // after the handler: the reply stands, the next request finds no session
      send(res, unauthorizedReply());
      return true;
    }
  }
}

function unauthorizedReply(): Reply {
  const err = unauthorized('Session is invalid or has expired; log in again.');
  return { status: err.status, body: err.body, headers: err.headers };
}

/** Writes a reply with Content-Length (keep-alive friendly). */
export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | string[]> = { ...reply.headers };
  let payload: Buffer | null = null;
  if (reply.raw) {
    payload = reply.raw;
    headers['Content-Type'] = reply.contentType ?? 'application/octet-stream';
  } else if (reply.body !== undefined && reply.status !== 204) {
    payload = Buffer.from(JSON.stringify(reply.body));
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = String(payload ? payload.length : 0);
  res.writeHead(reply.status, headers);
  res.end(payload ?? undefined);
}
