/**
 * `ptnad profiles list|use|remove`: the stored profiles (settings in config.json, secrets in secrets.json).
 */

import type { Command } from 'commander';
import { handler, type Runner } from '../action.js';
import { checkProfileName, loadConfig, loadSecrets, saveConfig, saveSecrets } from '../config.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';

/** Declares `ptnad profiles list|use|remove`. */
export function register(program: Command, runner: Runner): void {
  const profiles = program.command('profiles');
  profiles.command('list').description('list the stored profiles').action(handler(runner, profilesList));
  profiles
    .command('use')
    .description('make a profile the current one')
    .argument('<name>')
    .action(handler(runner, profilesUse));
  profiles
    .command('remove')
    .description('delete a profile and its secrets')
    .argument('<name>')
    .action(handler(runner, profilesRemove));
}

/** `ptnad profiles list`. */
export async function profilesList(ctx: Context): Promise<number> {
  const dir = ctx.configDir;
  const config = loadConfig(dir);
  const stored = loadSecrets(dir, (m) => ctx.warn(m));
  const current = ctx.flags.profile || ctx.env.PTNAD_PROFILE || config.current;
  ctx.records(
    Object.entries(config.profiles).map(([name, p]) => ({
      name,
      current: name === current,
      url: p.url ?? null,
      auth: p.auth ?? 'local',
      username: p.username ?? null,
      insecure: p.insecure === true,
      credentials: stored.profiles[name] ? 'stored' : 'none',
    })),
    { columns: ['name', 'current', 'url', 'auth', 'username', 'insecure', 'credentials'] },
  );
  return EXIT.ok;
}

/** `ptnad profiles use <name>`. */
export async function profilesUse(ctx: Context, _opts: unknown, arg: string): Promise<number> {
  const name = checkProfileName(arg);
  const dir = ctx.configDir;
  const config = loadConfig(dir);
  if (!config.profiles[name]) throw new UsageError(`no profile named "${name}"`, 'see `ptnad profiles list`');
  config.current = name;
  saveConfig(dir, config);
  ctx.info(`ptnad: profile "${name}" is now current`);
  return EXIT.ok;
}

/** `ptnad profiles remove <name>`: the settings and the secrets. */
export async function profilesRemove(ctx: Context, _opts: unknown, arg: string): Promise<number> {
  const name = checkProfileName(arg);
  const dir = ctx.configDir;
  const config = loadConfig(dir);
  const stored = loadSecrets(dir, (m) => ctx.warn(m));
  if (!config.profiles[name] && !stored.profiles[name]) {
    throw new UsageError(`no profile named "${name}"`, 'see `ptnad profiles list`');
  }
  delete config.profiles[name];
  if (config.current === name) config.current = undefined;
  delete stored.profiles[name];
  saveSecrets(dir, stored);
  saveConfig(dir, config);
  ctx.info(`ptnad: removed profile "${name}"`);
  return EXIT.ok;
}
