import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import { unauthorized } from '../auth/authenticate.js';
import type { FaultDecision } from '../faults.js';
import type { Reply } from '../routes/types.js';
import { jsonBytes, send } from './send.js';
import { authFailure } from './variant-stage.js';

/** The request as the fault stage sees it. */
export interface FaultTarget {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** The raw path (without the query) that fault rules match. */
  rawPath: string;
  cookies: Map<string, string>;
}

/**
 * The fault stage of the request pipeline, run `before` the route (reply null) and `after` it (with its reply):
 * waits for injected latency, then applies at most one terminal fault. Returns true when the response is finished
 * (or the socket is gone), so the pipeline stops; false when the request goes on.
 */
export async function applyFaults(
  app: App,
  phase: 'before' | 'after',
  target: FaultTarget,
  reply: Reply | null,
): Promise<boolean> {
  const decision = app.faults.decide(target.method, target.rawPath, phase);
  if (decision.latencyMs > 0 && !(await waitUnlessClosed(decision.latencyMs, target.res))) return true;
  return decision.terminal !== null && applyTerminal(app, decision, target, reply);
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
function applyTerminal(app: App, decision: FaultDecision, target: FaultTarget, reply: Reply | null): boolean {
  const { req, res, cookies } = target;
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
      const payload =
        (reply === null ? undefined : jsonBytes(reply)) ??
        Buffer.from(JSON.stringify({ detail: 'This body is cut short on purpose.' }));
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
      send(res, authFailure(app, unauthorizedReply()));
      return true;
    }
  }
}

function unauthorizedReply(): Reply {
  const err = unauthorized('Session is invalid or has expired; log in again.');
  return { status: err.status, body: err.body, headers: err.headers };
}
