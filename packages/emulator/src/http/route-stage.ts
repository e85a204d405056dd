import type { IncomingMessage } from 'node:http';
import type { App } from '../app.js';
import { authenticate } from '../auth/authenticate.js';
import { enforceCsrf } from '../auth/csrf.js';
import type { Reply, RequestContext, RouteSpec } from '../routes/types.js';
import { mediaType, parseFormBody, parseJsonBody, readBody, unsupportedMediaType } from './body.js';
import { badRequest, HttpError } from './errors.js';

/**
 * The route stage: resolves the URL, authenticates (`auth: 'required'` routes), checks CSRF for cookie sessions
 * and the role for write routes, then runs the handler. Errors thrown as HttpError propagate to the caller.
 */
export async function runRoute(
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
