import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/errors.js';
import { type Account, checkPassword, sameSecret } from './accounts.js';
import type { CredentialStore, Principal } from './credentials.js';

/** What `authenticate` needs to know about the server's credentials. */
export interface AuthConfig {
  accounts: readonly Account[];
  apiKey: string;
  /** GUESS (reference §3.4): legacy HTTP Basic is accepted for local accounts unless turned off. */
  allowBasic: boolean;
  store: CredentialStore;
}

/** The 401 every API route answers without valid credentials. */
export function unauthorized(detail: string): HttpError {
  return new HttpError(401, { detail }, { 'WWW-Authenticate': 'Bearer realm="api"' });
}

/**
 * Resolves the caller from `Authorization` (Bearer IAM token or API key, Basic) or the `sessionid` cookie.
 * Throws 401 with a reason that never repeats the presented secret.
 */
export function authenticate(req: IncomingMessage, cookies: Map<string, string>, config: AuthConfig): Principal {
  const header = req.headers.authorization;
  if (header !== undefined) return fromAuthorization(header, config);
  const sessionId = cookies.get('sessionid');
  if (sessionId) {
    const session = config.store.session(sessionId);
    if (!session) throw unauthorized('Session is invalid or has expired; log in again.');
    return { username: session.username, role: session.role, via: 'session', credential: sessionId };
  }
  throw unauthorized('Authentication credentials were not provided.');
}

function fromAuthorization(header: string, config: AuthConfig): Principal {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') {
    if (value === '') throw unauthorized('Invalid bearer header: no token provided.');
    if (sameSecret(value, config.apiKey)) {
      return { username: 'api-key', role: 'admin', via: 'apikey', credential: value };
    }
    const grant = config.store.token(value);
    if (!grant) throw unauthorized('Invalid or expired token.');
    return { username: grant.username, role: grant.role, via: 'iam', credential: value };
  }
  if (scheme === 'basic' && config.allowBasic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const account =
      colon < 0 ? null : checkPassword(config.accounts, decoded.slice(0, colon), decoded.slice(colon + 1));
    if (account?.source !== 'local') throw unauthorized('Invalid username/password.');
    return { username: account.username, role: account.role, via: 'basic', credential: '' };
  }
  throw unauthorized(`Unsupported authorization scheme "${scheme}"; use Bearer or a session cookie.`);
}
