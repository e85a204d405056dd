/**
 * Where to connect and how to log in, merged from (highest first) command-line flags, environment variables
 * and the profile. Read only when a command that talks to a server runs.
 */

import { readFileSync } from 'node:fs';
import type { AuthConfig } from 'ptnad-client';
import {
  type AuthType,
  loadConfig,
  loadSecrets,
  type ProfileSecrets,
  type ProfileSettings,
  profileName,
} from './config.js';
import { UsageError } from './errors.js';

/** The global flags that affect the connection. */
export interface ConnectionFlags {
  url?: string;
  profile?: string;
  insecure?: boolean;
  ca?: string;
  /** Seconds. */
  timeout?: number;
}

/** Credentials as the SDK takes them (a type-only import: the SDK itself is loaded only when a command runs). */
export type CliAuth = AuthConfig;

/** Everything needed to build a client. */
export interface Connection {
  profile: string;
  url: string;
  insecure: boolean;
  /** PEM text of the CA file, when one was given. */
  ca: string | undefined;
  caFile: string | undefined;
  timeoutMs: number | undefined;
  auth: CliAuth;
  /** Secret values in play, so that no message ever prints them. */
  secrets: string[];
}

/** True for "1", "true", "yes", "on" (any case). */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** The settings from the environment (PTNAD_*), as a partial profile. */
export function envSettings(env: NodeJS.ProcessEnv): { settings: ProfileSettings; secrets: ProfileSecrets } {
  const settings: ProfileSettings = {};
  const secrets: ProfileSecrets = {};
  const set = <K extends keyof ProfileSettings>(key: K, value: ProfileSettings[K] | undefined) => {
    if (value !== undefined && value !== '') settings[key] = value;
  };
  set('url', env.PTNAD_URL);
  set('username', env.PTNAD_USERNAME);
  set('ssoUrl', env.PTNAD_SSO_URL);
  set('clientId', env.PTNAD_CLIENT_ID);
  set('ca', env.PTNAD_CA);
  set('ssoCa', env.PTNAD_SSO_CA);
  if (env.PTNAD_SSO_TYPE) {
    if (env.PTNAD_SSO_TYPE !== 'local' && env.PTNAD_SSO_TYPE !== 'ldap') {
      throw new UsageError(`PTNAD_SSO_TYPE must be "local" or "ldap", got "${env.PTNAD_SSO_TYPE}"`);
    }
    settings.ssoType = env.PTNAD_SSO_TYPE;
  }
  if (env.PTNAD_INSECURE !== undefined && env.PTNAD_INSECURE !== '') settings.insecure = envFlag(env.PTNAD_INSECURE);
  if (env.PTNAD_PASSWORD) secrets.password = env.PTNAD_PASSWORD;
  if (env.PTNAD_API_KEY) secrets.apiKey = env.PTNAD_API_KEY;
  if (env.PTNAD_CLIENT_SECRET) secrets.clientSecret = env.PTNAD_CLIENT_SECRET;
  // The most specific credential in the environment decides the mode, so that env alone is enough in CI.
  if (env.PTNAD_API_KEY) settings.auth = 'apikey';
  else if (env.PTNAD_SSO_URL) settings.auth = 'sso';
  else if (env.PTNAD_USERNAME) settings.auth = 'local';
  return { settings, secrets };
}

function buildAuth(type: AuthType, s: ProfileSettings, k: ProfileSecrets, profile: string): CliAuth {
  const missing = (what: string, env: string) =>
    new UsageError(
      `no ${what} for profile "${profile}"`,
      `run \`ptnad login\` or set ${env} (passwords are never taken from the command line)`,
    );
  switch (type) {
    case 'apikey':
      if (!k.apiKey) throw missing('API key', 'PTNAD_API_KEY');
      return { type: 'apikey', apikey: k.apiKey };
    case 'sso':
      if (!s.ssoUrl) throw missing('SSO URL', 'PTNAD_SSO_URL');
      if (!s.clientId) throw missing('SSO client id', 'PTNAD_CLIENT_ID');
      if (!k.clientSecret) throw missing('SSO client secret', 'PTNAD_CLIENT_SECRET');
      if (!s.username) throw missing('username', 'PTNAD_USERNAME');
      if (!k.password) throw missing('password', 'PTNAD_PASSWORD');
      return {
        type: 'sso',
        ssoUrl: s.ssoUrl,
        clientId: s.clientId,
        clientSecret: k.clientSecret,
        username: s.username,
        password: k.password,
        ...(s.ssoType ? { ssoType: s.ssoType } : {}),
        // The IAM usually has its own origin and certificate: the NAD's --ca does not cover it (SDK rule).
        ...(s.ssoCa ? { ca: readCa(s.ssoCa) } : {}),
      };
    case 'local':
      if (!s.username) throw missing('username', 'PTNAD_USERNAME');
      if (!k.password) throw missing('password', 'PTNAD_PASSWORD');
      return { type: 'local', username: s.username, password: k.password };
  }
}

/** Reads a PEM file given with --ca / PTNAD_CA / --sso-ca / PTNAD_SSO_CA / the profile. */
export function readCa(file: string): string {
  try {
    const pem = readFileSync(file, 'utf8');
    if (!pem.includes('-----BEGIN')) throw new UsageError(`${file} is not a PEM certificate file`);
    return pem;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read the CA file ${file}: ${(err as Error).message}`);
  }
}

/** Merges flags, environment and profile into a {@link Connection}. */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  dir: string,
  warn: (message: string) => void,
): Connection {
  const config = loadConfig(dir);
  const profile = profileName(flags.profile, env, config);
  const stored = config.profiles[profile];
  if (flags.profile && !stored) {
    throw new UsageError(`no profile named "${profile}"`, 'see `ptnad profiles list`, or create it with `ptnad login`');
  }
  const fromEnv = envSettings(env);
  // A username and password in the environment are the credentials of a local or an SSO account alike: they fill
  // a stored SSO profile's grant rather than turn it into a local login (an API key or an SSO URL does choose).
  if (fromEnv.settings.auth === 'local' && stored?.auth === 'sso') delete fromEnv.settings.auth;
  const storedSecrets = stored ? (loadSecrets(dir, warn).profiles[profile] ?? {}) : {};
  const settings: ProfileSettings = { ...stored, ...fromEnv.settings };
  const secrets: ProfileSecrets = { ...storedSecrets, ...fromEnv.secrets };
  const url = flags.url || settings.url;
  if (!url) {
    throw new UsageError('no PT NAD URL', 'pass --url https://nad.example, set PTNAD_URL, or run `ptnad login`');
  }
  const caFile = flags.ca || settings.ca;
  const timeout = flags.timeout ?? settings.timeout;
  return {
    profile,
    url,
    insecure: flags.insecure === true || settings.insecure === true,
    ca: caFile ? readCa(caFile) : undefined,
    caFile,
    timeoutMs: timeout === undefined ? undefined : Math.round(timeout * 1000),
    auth: buildAuth(settings.auth ?? 'local', settings, secrets, profile),
    secrets: [secrets.password, secrets.apiKey, secrets.clientSecret].filter((s): s is string => !!s),
  };
}
