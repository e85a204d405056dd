import type { App } from '../app.js';
import type { Reply, RouteSpec } from '../routes/types.js';

/**
 * The response stage for behaviours played either way (behaviour.ts): a BQL `{"error"}` answer keeps 400 or
 * becomes 200, and a 401 for missing or expired credentials becomes DRF's 403 (without `WWW-Authenticate`) when
 * asked. The IAM token endpoint is an OAuth2 server, not DRF: its answers are never changed.
 */
export function shapeReply(app: App, route: RouteSpec | null, reply: Reply): Reply {
  if (
    route?.path === '/api/v2/bql' &&
    reply.status === 400 &&
    app.behaviour.bqlErrorStatus === 200 &&
    typeof reply.body === 'object' &&
    reply.body !== null &&
    'error' in reply.body
  ) {
    return { ...reply, status: 200 };
  }
  if (route?.path === '/connect/token') return reply;
  return authFailure(app, reply);
}

/** A 401 as the configured auth-failure status. */
export function authFailure(app: App, reply: Reply): Reply {
  if (reply.status !== 401 || app.behaviour.authFailureStatus === 401) return reply;
  const headers = { ...reply.headers };
  delete headers['WWW-Authenticate'];
  return { ...reply, status: 403, headers };
}
