import { checkPassword, sameSecret } from '../auth/accounts.js';
import { unauthorized } from '../auth/authenticate.js';
import { serializeCookie } from '../http/cookies.js';
import { HttpError, validationError } from '../http/errors.js';
import { json, type RequestContext, type RouteSpec, route } from './types.js';

async function login(ctx: RequestContext) {
  const body = await ctx.json();
  const errors: Record<string, string[]> = {};
  const record =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (!record) throw validationError({ non_field_errors: ['Expected a JSON object {"username", "password"}.'] });
  for (const field of ['username', 'password']) {
    const v = record[field];
    if (v === undefined || v === null || v === '') errors[field] = ['This field is required.'];
    else if (typeof v !== 'string') errors[field] = ['Not a valid string.'];
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  const account = checkPassword(ctx.app.accounts, String(record.username), String(record.password));
  if (!account) throw unauthorized('Invalid username or password.');
  if (account.source !== 'local') {
    throw new HttpError(403, { detail: 'Directory accounts sign in through IAM (amr=ldap), not local login.' });
  }
  const { sessionId, csrfToken } = ctx.app.credentials.createSession(account);
  const secure = ctx.app.tls;
  const maxAge = ctx.app.credentials.ttl;
  return json(
    200,
    { username: account.username, read_only: account.role !== 'admin' },
    {
      'Set-Cookie': [
        serializeCookie('csrftoken', csrfToken, { httpOnly: false, secure, maxAge }),
        serializeCookie('sessionid', sessionId, { httpOnly: true, secure, maxAge }),
      ],
    },
  );
}

function logout(ctx: RequestContext) {
  const principal = ctx.principal;
  if (principal && principal.via !== 'apikey' && principal.credential !== '') {
    ctx.app.credentials.revoke(principal.credential);
  }
  const secure = ctx.app.tls;
  return {
    status: 204,
    headers: {
      'Set-Cookie': [
        serializeCookie('sessionid', '', { httpOnly: true, secure, maxAge: 0 }),
        serializeCookie('csrftoken', '', { httpOnly: false, secure, maxAge: 0 }),
      ],
    },
  };
}

function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError(status, { error, error_description: description }, { 'Cache-Control': 'no-store' });
}

/** OAuth2 resource-owner password grant, as PT MaxPatrol IAM answers it. */
async function connectToken(ctx: RequestContext) {
  const form = await ctx.form().catch((err: unknown) => {
    if (err instanceof HttpError && err.status === 415) {
      throw oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
    }
    throw err;
  });
  const client = ctx.app.iamClient;
  const clientId = form.get('client_id') ?? '';
  const clientSecret = form.get('client_secret') ?? '';
  if (clientId === '') throw oauthError(400, 'invalid_request', 'client_id is required.');
  if (clientId !== client.clientId || !sameSecret(clientSecret, client.clientSecret)) {
    throw oauthError(401, 'invalid_client', 'Unknown client or wrong client secret.');
  }
  const grantType = form.get('grant_type') ?? '';
  if (grantType !== 'password') {
    throw oauthError(400, 'unsupported_grant_type', `grant_type "${grantType}" is not supported; use "password".`);
  }
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter((s) => s !== '');
  if (!scopes.includes(`${client.clientId}.api`)) {
    throw oauthError(400, 'invalid_scope', `The scope must include "${client.clientId}.api".`);
  }
  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  if (username === '' || password === '')
    throw oauthError(400, 'invalid_request', 'username and password are required.');
  const account = checkPassword(ctx.app.accounts, username, password);
  const wantsDirectory = form.get('amr') === 'ldap';
  if (!account || (account.source === 'directory') !== wantsDirectory) {
    throw oauthError(400, 'invalid_grant', 'Invalid username or password.');
  }
  const token = ctx.app.credentials.createToken(account);
  return json(
    200,
    { access_token: token, token_type: 'Bearer', expires_in: ctx.app.credentials.ttl, scope: scopes.join(' ') },
    { 'Cache-Control': 'no-store' },
  );
}

/** Local login/logout under /api/v2 and the IAM token endpoint at the server root. */
export const AUTH_ROUTES: RouteSpec[] = [
  route('POST', '/api/v2/auth/login', { auth: 'public', summary: 'local login: sets csrftoken and sessionid' }, login),
  route('POST', '/api/v2/auth/logout', { summary: 'end the session' }, logout),
  route('POST', '/connect/token', { auth: 'public', summary: 'IAM OAuth2 password grant' }, connectToken),
];
