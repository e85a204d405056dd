/**
 * Profiles in `$XDG_CONFIG_HOME/ptnad/` (default `~/.config/ptnad/`): `config.json` holds the non-secret
 * settings of each profile and which one is current; `secrets.json` holds passwords and keys and is only ever
 * written with mode 0600 (a temp file created 0600, then renamed over the old one). Nothing here runs at import.
 */

import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors.js';

/** How a profile authenticates. */
export type AuthType = 'local' | 'sso' | 'apikey';

/** The non-secret settings of a profile (config.json). */
export interface ProfileSettings {
  url?: string;
  auth?: AuthType;
  username?: string;
  ssoUrl?: string;
  clientId?: string;
  ssoType?: 'local' | 'ldap';
  /** TLS verification off for this profile (the user asked for it at login). */
  insecure?: boolean;
  /** Path of a PEM file with the CA that signed the server's certificate. */
  ca?: string;
  /** Per-request timeout in seconds. */
  timeout?: number;
}

/** The secrets of a profile (secrets.json, mode 0600). */
export interface ProfileSecrets {
  password?: string;
  apiKey?: string;
  clientSecret?: string;
}

/** config.json. */
export interface ConfigFile {
  current?: string;
  profiles: Record<string, ProfileSettings>;
}

/** secrets.json. */
export interface SecretsFile {
  profiles: Record<string, ProfileSecrets>;
}

/** The config directory: `$XDG_CONFIG_HOME/ptnad`, else `$HOME/.config/ptnad`. */
export function configDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg?.startsWith('/') ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'ptnad');
}

const PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks a profile name (letters, digits, `_ . -`). */
export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name) || name === '.' || name === '..') {
    throw new UsageError(`invalid profile name "${name}": use 1-64 letters, digits, "_", "." or "-"`);
  }
  return name;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`, 'fix or delete the file');
  }
}

function profilesOf(raw: unknown, file: string): Record<string, never> | Record<string, unknown> {
  if (raw === undefined) return {};
  const profiles = (raw as { profiles?: unknown } | null)?.profiles;
  if (
    raw === null ||
    typeof raw !== 'object' ||
    (profiles !== undefined && (profiles === null || typeof profiles !== 'object'))
  ) {
    throw new UsageError(`${file} does not look like a ptnad config file (expected {"profiles": {...}})`);
  }
  return (profiles ?? {}) as Record<string, unknown>;
}

/** Reads config.json (an empty config when it does not exist). */
export function loadConfig(dir: string): ConfigFile {
  const file = join(dir, 'config.json');
  const raw = readJson(file);
  const profiles = profilesOf(raw, file) as Record<string, ProfileSettings>;
  const current = (raw as { current?: unknown } | undefined)?.current;
  return { current: typeof current === 'string' ? current : undefined, profiles };
}

/**
 * Reads secrets.json. When its mode lets anyone but the owner read it, the mode is fixed to 0600 and
 * `warn` is told.
 */
export function loadSecrets(dir: string, warn: (message: string) => void): SecretsFile {
  const file = join(dir, 'secrets.json');
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode !== 0o600) {
      chmodSync(file, 0o600);
      warn(`${file} had mode ${mode.toString(8).padStart(4, '0')}; changed it to 0600 (it holds passwords)`);
    }
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return { profiles: {} };
    throw err;
  }
  return { profiles: profilesOf(readJson(file), file) as Record<string, ProfileSecrets> };
}

/** Writes a file atomically: a temp file with `mode` in the same directory, then rename. */
function writeAtomic(file: string, text: string, mode: number): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    // 'wx' refuses to follow a planted file or symlink at the temp path; the mode applies at creation.
    writeFileSync(temp, text, { mode, flag: 'wx' });
    chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // the temp file was never created
    }
    throw err;
  }
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Writes config.json (mode 0644: it holds no secrets). */
export function saveConfig(dir: string, config: ConfigFile): void {
  ensureDir(dir);
  writeAtomic(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, 0o644);
}

/** Writes secrets.json with mode 0600. */
export function saveSecrets(dir: string, secrets: SecretsFile): void {
  ensureDir(dir);
  writeAtomic(join(dir, 'secrets.json'), `${JSON.stringify(secrets, null, 2)}\n`, 0o600);
}

/** The name of the profile in use: --profile, then PTNAD_PROFILE, then the current one, then "default". */
export function profileName(flag: string | undefined, env: NodeJS.ProcessEnv, config: ConfigFile): string {
  return checkProfileName(flag || env.PTNAD_PROFILE || config.current || 'default');
}
