/**
 * `ptnad login` and `ptnad logout`. Secrets are read from a prompt (echo off) or stdin, never from the command
 * line, and stored only in the 0600 secrets file.
 */

import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { handler, type Runner } from '../action.js';
import {
  type AuthType,
  loadConfig,
  loadSecrets,
  type ProfileSecrets,
  type ProfileSettings,
  profileName,
  saveConfig,
  saveSecrets,
} from '../config.js';
import { type CliAuth, type Connection, readCa } from '../connection.js';
import { type Context, createClient } from '../context.js';
import { EXIT, UsageError } from '../errors.js';

async function secretsFor(ctx: Context, type: AuthType, fromStdin: boolean): Promise<ProfileSecrets> {
  const env = ctx.env;
  const read = (prompt: string) => {
    if (ctx.flags.debug) ctx.info(`ptnad: debug: reading "${prompt.replace(/:\s*$/, '')}"`);
    return ctx.secretReader.read(prompt, fromStdin);
  };
  switch (type) {
    case 'apikey':
      return { apiKey: !fromStdin && env.PTNAD_API_KEY ? env.PTNAD_API_KEY : await read('API key: ') };
    case 'sso': {
      const password = !fromStdin && env.PTNAD_PASSWORD ? env.PTNAD_PASSWORD : await read('Password: ');
      const clientSecret = env.PTNAD_CLIENT_SECRET ? env.PTNAD_CLIENT_SECRET : await read('Client secret: ');
      return { password, clientSecret };
    }
    case 'local':
      return { password: !fromStdin && env.PTNAD_PASSWORD ? env.PTNAD_PASSWORD : await read('Password: ') };
  }
}

function authOf(type: AuthType, s: ProfileSettings, k: ProfileSecrets): CliAuth {
  if (type === 'apikey') return { type, apikey: k.apiKey ?? '' };
  if (type === 'sso') {
    return {
      type,
      ssoUrl: s.ssoUrl ?? '',
      clientId: s.clientId ?? '',
      clientSecret: k.clientSecret ?? '',
      username: s.username ?? '',
      password: k.password ?? '',
      ...(s.ssoType ? { ssoType: s.ssoType } : {}),
      ...(s.ssoCa ? { ca: readCa(s.ssoCa) } : {}),
    };
  }
  return { type, username: s.username ?? '', password: k.password ?? '' };
}

/** Options of `ptnad login`. */
export interface LoginOptions {
  auth: AuthType;
  username?: string;
  passwordStdin?: boolean;
  ssoUrl?: string;
  clientId?: string;
  ssoType?: 'local' | 'ldap';
  ssoCa?: string;
}

/** Declares `ptnad login` and `ptnad logout`. */
export function register(program: Command, runner: Runner): void {
  program
    .command('login')
    .addOption(new Option('--auth <type>', 'how to log in').choices(['local', 'sso', 'apikey']).default('local'))
    .option('--username <name>', 'account name (local and sso)')
    .option('--password-stdin', 'read the password (or API key) from stdin even on a terminal')
    .option('--sso-url <url>', 'IAM address for --auth sso, e.g. https://siem.example:3334')
    .option('--client-id <id>', 'IAM client id for --auth sso (the client secret is prompted or read from stdin)')
    .addOption(new Option('--sso-type <type>', 'directory users: ldap').choices(['local', 'ldap']))
    .option('--sso-ca <file>', "PEM file with the CA of the IAM's certificate (an IAM on its own host or port)")
    .action(handler(runner, login));
  program.command('logout').action(handler(runner, logout));
}

/** `ptnad login`: test the credentials with a real login, then store the profile and make it current. */
export async function login(ctx: Context, opts: LoginOptions): Promise<number> {
  const dir = ctx.configDir;
  const config = loadConfig(dir);
  const name = profileName(ctx.flags.profile, ctx.env, config);
  const old = config.profiles[name] ?? {};
  const type = opts.auth;
  const url = ctx.flags.url || ctx.env.PTNAD_URL || old.url;
  if (!url) throw new UsageError('no PT NAD URL', 'pass --url https://nad.example (or set PTNAD_URL)');
  const settings: ProfileSettings = { url, auth: type };
  if (type !== 'apikey') {
    const username = opts.username || ctx.env.PTNAD_USERNAME || old.username;
    if (!username) throw new UsageError('no username', 'pass --username NAME (or set PTNAD_USERNAME)');
    settings.username = username;
  }
  if (type === 'sso') {
    settings.ssoUrl = opts.ssoUrl || ctx.env.PTNAD_SSO_URL || old.ssoUrl;
    settings.clientId = opts.clientId || ctx.env.PTNAD_CLIENT_ID || old.clientId;
    const ssoType = opts.ssoType || ctx.env.PTNAD_SSO_TYPE || old.ssoType;
    if (ssoType === 'ldap' || ssoType === 'local') settings.ssoType = ssoType;
    const ssoCa = opts.ssoCa || ctx.env.PTNAD_SSO_CA || old.ssoCa;
    if (ssoCa) settings.ssoCa = resolve(ssoCa);
    if (!settings.ssoUrl) throw new UsageError('--auth sso needs --sso-url (or PTNAD_SSO_URL)');
    if (!settings.clientId) throw new UsageError('--auth sso needs --client-id (or PTNAD_CLIENT_ID)');
  }
  if (ctx.flags.insecure) settings.insecure = true;
  if (ctx.flags.ca) settings.ca = resolve(ctx.flags.ca);
  if (ctx.flags.timeout !== undefined) settings.timeout = ctx.flags.timeout;

  const secrets = await secretsFor(ctx, type, opts.passwordStdin === true);
  const values = [secrets.password, secrets.apiKey, secrets.clientSecret].filter((s): s is string => !!s);
  ctx.secrets.push(...values);
  const connection: Connection = {
    profile: name,
    url,
    insecure: settings.insecure === true,
    ca: settings.ca ? readCa(settings.ca) : undefined,
    caFile: settings.ca,
    timeoutMs: settings.timeout ? settings.timeout * 1000 : undefined,
    auth: authOf(type, settings, secrets),
    secrets: values,
  };
  const client = await createClient(ctx, connection);
  try {
    await client.login({ signal: ctx.signal });
  } finally {
    await client.close();
  }

  const stored = loadSecrets(dir, (m) => ctx.warn(m));
  stored.profiles[name] = secrets;
  saveSecrets(dir, stored);
  config.profiles[name] = settings;
  config.current = name;
  saveConfig(dir, config);
  const who = settings.username ? ` as ${settings.username}` : ' with an API key';
  ctx.info(`ptnad: logged in to ${url}${who}; saved profile "${name}" (now current)`);
  return EXIT.ok;
}

/** `ptnad logout`: forgets the stored secrets of the profile (the settings stay for the next login). */
export async function logout(ctx: Context): Promise<number> {
  const dir = ctx.configDir;
  const config = loadConfig(dir);
  const name = profileName(ctx.flags.profile, ctx.env, config);
  const stored = loadSecrets(dir, (m) => ctx.warn(m));
  if (!config.profiles[name] && !stored.profiles[name]) {
    throw new UsageError(`no profile named "${name}"`, 'see `ptnad profiles list`');
  }
  const had = stored.profiles[name] !== undefined;
  delete stored.profiles[name];
  saveSecrets(dir, stored);
  ctx.info(
    had
      ? `ptnad: removed the stored credentials of profile "${name}"`
      : `ptnad: profile "${name}" had no stored credentials`,
  );
  return EXIT.ok;
}
