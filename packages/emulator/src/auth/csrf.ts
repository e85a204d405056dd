import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/errors.js';
import { sameSecret } from './accounts.js';

function csrfFailed(reason: string): HttpError {
  return new HttpError(403, { detail: `CSRF Failed: ${reason}` });
}

/**
 * Django's CSRF check for an unsafe request authenticated by a session cookie: a same-origin `Origin` when sent,
 * otherwise over HTTPS a same-origin `Referer`, then `X-CSRFToken` equal to the `csrftoken` cookie.
 * `origin` is this server's origin as the client addressed it (`https://host:port`).
 */
export function enforceCsrf(req: IncomingMessage, cookies: Map<string, string>, origin: string, tls: boolean): void {
  const sentOrigin = req.headers.origin;
  if (sentOrigin !== undefined) {
    if (sentOrigin !== origin)
      throw csrfFailed(`Origin checking failed - ${sentOrigin} does not match any trusted origins.`);
  } else if (tls) {
    checkReferer(req.headers.referer, origin);
  }
  const cookie = cookies.get('csrftoken');
  if (!cookie) throw csrfFailed('CSRF cookie not set.');
  const header = req.headers['x-csrftoken'];
  const token = Array.isArray(header) ? header[0] : header;
  if (token === undefined || token === '') throw csrfFailed('CSRF token missing.');
  if (!sameSecret(token, cookie)) throw csrfFailed('CSRF token incorrect.');
}

function checkReferer(referer: string | undefined, origin: string): void {
  if (referer === undefined || referer === '') throw csrfFailed('Referer checking failed - no Referer.');
  let parsed: URL;
  try {
    parsed = new URL(referer);
  } catch {
    throw csrfFailed('Referer checking failed - Referer is malformed.');
  }
  if (parsed.protocol !== 'https:')
    throw csrfFailed('Referer checking failed - Referer is insecure while host is secure.');
  if (parsed.origin !== origin) {
    throw csrfFailed(`Referer checking failed - ${parsed.origin} does not match any trusted origins.`);
  }
}
