/**
 * Shared by the examples: a client for `PTNAD_URL` (credentials from the environment), or, when it is unset,
 * an in-process emulator with its documented default account.
 *
 * Environment: PTNAD_URL; PTNAD_USERNAME + PTNAD_PASSWORD (local), or PTNAD_API_KEY, or PTNAD_SSO_URL +
 * PTNAD_CLIENT_ID + PTNAD_CLIENT_SECRET (as the CLI names them; PTNAD_SSO_CLIENT_* also work) (+ PTNAD_SSO_TYPE=ldap) with the username and password;
 * PTNAD_CA or PTNAD_CA_FILE (a PEM file) to trust a self-signed appliance; PTNAD_INSECURE=1 turns verification off (warned).
 */

import { readFileSync } from 'node:fs';
import { type AuthConfig, PTNADClient } from 'ptnad-client';
import { type Emulator, startEmulator } from 'ptnad-emulator';

/** A connected client and how to tear everything down. */
export interface Connection {
  client: PTNADClient;
  /** Where it points, for the banner. */
  target: string;
  /** The in-process emulator when PTNAD_URL is unset (examples use it to inject faults), else undefined. */
  emulator: Emulator | undefined;
  close(): Promise<void>;
}

function authFromEnv(env: NodeJS.ProcessEnv): AuthConfig {
  if (env.PTNAD_API_KEY) return { type: 'apikey', apikey: env.PTNAD_API_KEY };
  const username = env.PTNAD_USERNAME ?? '';
  const password = env.PTNAD_PASSWORD ?? '';
  if (env.PTNAD_SSO_URL) {
    return {
      type: 'sso',
      ssoUrl: env.PTNAD_SSO_URL,
      clientId: env.PTNAD_CLIENT_ID ?? env.PTNAD_SSO_CLIENT_ID ?? 'ptnad',
      clientSecret: env.PTNAD_CLIENT_SECRET ?? env.PTNAD_SSO_CLIENT_SECRET ?? '',
      username,
      password,
      ssoType: env.PTNAD_SSO_TYPE === 'ldap' ? 'ldap' : 'local',
    };
  }
  if (!username || !password) {
    throw new Error(
      'PTNAD_URL is set but no credentials are: set PTNAD_USERNAME and PTNAD_PASSWORD, or PTNAD_API_KEY, or ' +
        'PTNAD_SSO_URL + PTNAD_CLIENT_ID + PTNAD_CLIENT_SECRET + PTNAD_USERNAME + PTNAD_PASSWORD',
    );
  }
  return { type: 'local', username, password };
}

/** Connects to PT NAD (PTNAD_URL) or to a fresh in-process emulator. */
export async function connect(env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  if (env.PTNAD_URL) {
    const insecure = env.PTNAD_INSECURE === '1';
    const caFile = env.PTNAD_CA || env.PTNAD_CA_FILE;
    if (insecure) {
      process.stderr.write('WARNING: PTNAD_INSECURE=1: TLS certificate verification is OFF for this run.\n');
    }
    const client = new PTNADClient(env.PTNAD_URL, {
      verifySsl: !insecure,
      // PTNAD_CA (the CLI's name) or PTNAD_CA_FILE: the appliance's CA certificate (PEM file), to keep
      // verification on with a self-signed cert.
      ...(caFile ? { ca: readFileSync(caFile, 'utf8') } : {}),
      auth: authFromEnv(env),
      userAgent: 'ptnad-examples',
    });
    return { client, target: client.baseUrl, emulator: undefined, close: () => client.close() };
  }
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 1, flows: 5000 });
  const admin = emulator.credentials.users.find((u) => u.role === 'admin' && u.source === 'local');
  if (!admin) throw new Error('the emulator has no local admin account');
  const client = new PTNADClient(emulator.url, {
    auth: { type: 'local', username: admin.username, password: admin.password },
    userAgent: 'ptnad-examples',
  });
  return {
    client,
    target: `${client.baseUrl} (in-process emulator; set PTNAD_URL to use a real PT NAD)`,
    emulator,
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}
