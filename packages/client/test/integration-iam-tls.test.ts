import { startEmulator } from 'ptnad-emulator';
import { describe, expect, it } from 'vitest';
import { ConnectionError, PTNADClient } from '../src/index.js';

// The NAD and its IAM on two HTTPS origins with different self-signed certificates: a TLS failure at the IAM
// must point at the IAM's own trust (auth.ca), because the client's `ca` cannot fix it.
describe('a TLS failure at an IAM on its own origin', () => {
  it('says to pass auth.ca, keeps the TLS facts, and auth.ca then logs in', async () => {
    const emu = await startEmulator({ port: 0, flows: 100, tls: true, iam: { port: 0 } });
    const admin = emu.credentials.users.find((u) => u.role === 'admin' && u.source === 'local');
    const { clientId, clientSecret } = emu.credentials.iamClient;
    const sso = {
      type: 'sso' as const,
      ssoUrl: emu.iamUrl,
      clientId,
      clientSecret,
      username: admin?.username ?? '',
      password: admin?.password ?? '',
    };
    const untrusted = new PTNADClient(emu.url, { ca: emu.caPem, auth: sso, maxRetries: 0 });
    const trusted = new PTNADClient(emu.url, { ca: emu.caPem, auth: { ...sso, ca: emu.iamCaPem } });
    try {
      const err = await untrusted.login().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConnectionError);
      const c = err as ConnectionError;
      expect(c.tls).toBe(true);
      expect(c.systemCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(c.message).toContain(`${emu.iamUrl}/connect/token`);
      expect(c.message).toContain('auth.ca');
      expect(c.message).not.toContain('as the "ca" option');
      await trusted.login();
      expect(trusted.isLoggedIn).toBe(true);
    } finally {
      await untrusted.close();
      await trusted.close();
      await emu.close();
    }
  });

  it('a TLS failure at the NAD itself still names the client option "ca"', async () => {
    const emu = await startEmulator({ port: 0, flows: 100, tls: true, iam: { port: 0 } });
    const admin = emu.credentials.users.find((u) => u.role === 'admin' && u.source === 'local');
    const c = new PTNADClient(emu.url, {
      auth: { type: 'local', username: admin?.username ?? '', password: admin?.password ?? '' },
      maxRetries: 0,
    });
    try {
      const err = (await c.login().catch((e: unknown) => e)) as ConnectionError;
      expect(err).toBeInstanceOf(ConnectionError);
      expect(err.message).toContain('as the "ca" option');
    } finally {
      await c.close();
      await emu.close();
    }
  });
});
