import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from './app.js';
import { routeKey } from './faults.js';
import { parseCookies } from './http/cookies.js';
import { HttpError } from './http/errors.js';
import { applyFaults, type FaultTarget } from './http/fault-stage.js';
import { runRoute } from './http/route-stage.js';
import { Router } from './http/router.js';
import { send } from './http/send.js';
import { shapeReply } from './http/variant-stage.js';
import { ROUTES } from './routes/table.js';
import type { Reply, RouteSpec } from './routes/types.js';

export { send } from './http/send.js';
export { ROUTES } from './routes/table.js';

/**
 * The request listener for node:http / node:https. Wiring only: match and count the route, then the stages in
 * order: faults before, the route (auth, CSRF, role, handler), the behaviour variants, faults after, send.
 */
export function createRequestListener(
  app: App,
  routes: readonly RouteSpec[] = ROUTES,
): (req: IncomingMessage, res: ServerResponse) => void {
  const router = new Router<RouteSpec>(routes);
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
  const target: FaultTarget = { req, res, method, rawPath, cookies };
  if (await applyFaults(app, 'before', target, null)) return;

  let reply: Reply;
  try {
    if (!matched) throw routeError;
    reply = await runRoute(app, matched.route, matched.params, req, cookies, rawUrl);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    reply = { status: err.status, body: err.body, headers: err.headers };
  }
  reply = shapeReply(app, matched ? matched.route : null, reply);

  if (await applyFaults(app, 'after', target, reply)) return;
  send(res, reply);
}
