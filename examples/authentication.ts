/**
 * Authentication and TLS (docs/guide/authentication.md): logs in to an HTTPS PT NAD with a self-signed certificate
 * in each of the three modes (local account, SSO through an IAM on its own HTTPS origin, API key), trusting the
 * appliance with `ca` and the IAM with `auth.ca`, and shows what happens without them.
 * `npx tsx examples/authentication.ts`. It always starts its own emulator (with TLS and the IAM on a second port),
 * because that is the set-up it demonstrates; point your own code at an appliance with the same options.
 */

import { type AuthConfig, ConnectionError, PTNADClient } from 'ptnad-client';
import { startEmulator } from 'ptnad-emulator';

async function tryLogin(label: string, client: PTNADClient): Promise<void> {
  try {
    await client.login();
    const status = await client.monitoring.getStatus();
    process.stdout.write(`${label}: logged in, status ${status.status}\n`);
  } catch (err) {
    if (!(err instanceof ConnectionError)) throw err;
    process.stdout.write(`${label}: ${err.code} (tls: ${err.tls}, ${err.systemCode ?? 'no system code'})\n`);
  } finally {
    await client.logout();
    await client.close();
  }
}

async function main(): Promise<void> {
  const nad = await startEmulator({ tls: true, iam: { port: 0 }, flows: 2000 });
  try {
    const admin = nad.credentials.users.find((u) => u.role === 'admin' && u.source === 'local');
    if (!admin) throw new Error('the emulator has no local admin account');
    process.stdout.write(`PT NAD: ${nad.url} (self-signed), IAM: ${nad.iamUrl} (its own self-signed certificate)\n\n`);

    const local: AuthConfig = { type: 'local', username: admin.username, password: admin.password };
    await tryLogin('local, no ca', new PTNADClient(nad.url, { auth: local, maxRetries: 0 }));
    await tryLogin('local, ca', new PTNADClient(nad.url, { auth: local, ca: nad.caPem }));

    // The values an appliance keeps in /opt/ptsecurity/etc/iam_cookie.json: iam.url, iam.id, iam.secret.
    const sso = {
      type: 'sso' as const,
      ssoUrl: nad.iamUrl,
      clientId: nad.credentials.iamClient.clientId,
      clientSecret: nad.credentials.iamClient.clientSecret,
      username: admin.username,
      password: admin.password,
    };
    await tryLogin('sso, ca only', new PTNADClient(nad.url, { auth: sso, ca: nad.caPem, maxRetries: 0 }));
    await tryLogin(
      'sso, ca + auth.ca',
      new PTNADClient(nad.url, { auth: { ...sso, ca: nad.iamCaPem }, ca: nad.caPem }),
    );

    const apikey: AuthConfig = { type: 'apikey', apikey: nad.credentials.apiKey };
    await tryLogin('api key, ca', new PTNADClient(nad.url, { auth: apikey, ca: nad.caPem }));

    // The last resort, shown once: verification off. The warning goes to the logger.
    await tryLogin(
      'local, verifySsl: false',
      new PTNADClient(nad.url, { auth: local, verifySsl: false, logger: console, logLevel: 'warn' }),
    );
  } finally {
    await nad.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`authentication failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
