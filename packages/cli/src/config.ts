/**
 * Profiles in `$XDG_CONFIG_HOME/ptnad/` (default `~/.config/ptnad/`): `config.json` holds the non-secret
 * settings of each profile and which one is current; `secrets.json` holds passwords and keys and is only ever
 * written with mode 0600 (a temp file created 0600, then renamed over the old one). Nothing here runs at import.
 */

import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
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
  /** Path of a PEM file with the CA that signed the IAM's certificate, when the IAM is on its own origin. */
  ssoCa?: string;
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

function readJson(file: string, given?: string): unknown {
  let text: string;
  if (given !== undefined) {
    text = given;
  } else {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
  // Windows editors start UTF-8 files with a byte order mark, which JSON.parse refuses.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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

const SETTING_TYPES: Record<keyof ProfileSettings, 'string' | 'boolean' | 'number' | readonly string[]> = {
  url: 'string',
  auth: ['local', 'sso', 'apikey'],
  username: 'string',
  ssoUrl: 'string',
  clientId: 'string',
  ssoType: ['local', 'ldap'],
  ssoCa: 'string',
  insecure: 'boolean',
  ca: 'string',
  timeout: 'number',
};

/** Checks every known setting of every profile; the error names the file, the profile and the key. */
function checkSettings(profiles: Record<string, unknown>, file: string): Record<string, ProfileSettings> {
  for (const [name, p] of Object.entries(profiles)) {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) {
      throw new UsageError(`${file}: profile "${name}" must be an object`);
    }
    for (const [key, want] of Object.entries(SETTING_TYPES)) {
      const v = (p as Record<string, unknown>)[key];
      if (v === undefined) continue;
      const ok = Array.isArray(want) ? typeof v === 'string' && want.includes(v) : typeof v === want;
      if (!ok) {
        const what = Array.isArray(want) ? `one of ${want.map((w) => `"${w}"`).join(', ')}` : `a ${want}`;
        throw new UsageError(
          `${file}: "profiles.${name}.${key}" must be ${what}, got ${JSON.stringify(v)}`,
          'fix the file, or run `ptnad login` again',
        );
      }
    }
  }
  return profiles as Record<string, ProfileSettings>;
}

/** Reads config.json (an empty config when it does not exist). */
export function loadConfig(dir: string): ConfigFile {
  const file = join(dir, 'config.json');
  const raw = readJson(file);
  const profiles = checkSettings(profilesOf(raw, file), file);
  const current = (raw as { current?: unknown } | undefined)?.current;
  if (current !== undefined && typeof current !== 'string') {
    throw new UsageError(`${file}: "current" must be a profile name, got ${JSON.stringify(current)}`);
  }
  return { current, profiles };
}

/**
 * Reads secrets.json. A symlink, or a file owned by another user, is refused (someone else could have planted
 * it, and fixing its mode would change the target). When its mode lets anyone but the owner read it, the mode
 * is fixed to 0600 and `warn` is told.
 */
export function loadSecrets(dir: string, warn: (message: string) => void): SecretsFile {
  const file = join(dir, 'secrets.json');
  let fd: number;
  try {
    if (lstatSync(file).isSymbolicLink()) {
      throw new UsageError(`${file} is a symbolic link; refusing to read secrets through it`, 'replace it with a file');
    }
    // O_NOFOLLOW closes the window between the check above and the open.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return { profiles: {} };
    if ((err as { code?: unknown }).code === 'ELOOP') {
      throw new UsageError(`${file} is a symbolic link; refusing to read secrets through it`, 'replace it with a file');
    }
    throw err;
  }
  try {
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) {
      throw new UsageError(
        `${file} belongs to user id ${st.uid}, not to you (${uid}); refusing to use it`,
        'remove it, then run `ptnad login`',
      );
    }
    if (!st.isFile()) throw new UsageError(`${file} is not a regular file`);
    const mode = st.mode & 0o777;
    if (mode !== 0o600) {
      fchmodSync(fd, 0o600);
      warn(`${file} had mode ${mode.toString(8).padStart(4, '0')}; changed it to 0600 (it holds passwords)`);
    }
    const text = readFileSync(fd, 'utf8');
    return { profiles: profilesOf(readJson(file, text), file) as Record<string, ProfileSecrets> };
  } finally {
    closeSync(fd);
  }
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
