import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, isolatedEnv } from './harness.js';

// A deployment as it really is: the NAD on HTTPS with one certificate, PT MaxPatrol IAM on another port with
// another certificate. `--ca` trusts the NAD only; `--sso-ca` / PTNAD_SSO_CA trust the IAM.
let emu: Emulator;
let nadCa: string;
let iamCa: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 1, flows: 200, tls: true, iam: { tls: true } });
  if (!emu.certPath || !emu.iamCertPath) throw new Error('the shipped test certificates have no paths');
  nadCa = emu.certPath;
  iamCa = emu.iamCertPath;
});
afterAll(async () => {
  await emu?.close();
});

function ssoEnv(extra: Record<string, string> = {}) {
  return isolatedEnv({
    PTNAD_USERNAME: 'ldap.user',
    PTNAD_SSO_TYPE: 'ldap',
    PTNAD_CLIENT_SECRET: emu.credentials.iamClient.clientSecret,
    ...extra,
  });
}

describe('SSO through an IAM on its own origin', () => {
  it('the NAD CA alone does not cover the IAM: login fails with a TLS error and stores nothing', async () => {
    expect(new URL(emu.iamUrl).port).not.toBe(new URL(emu.url).port);
    const { env, home } = ssoEnv();
    const r = await cli(
      ['--ca', nadCa, 'login', '--auth', 'sso', '--url', emu.url, '--sso-url', emu.iamUrl, '--client-id', 'ptnad'],
      { env, input: 'Ld@pUser1\n' },
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/certificate/i);
    // The hint names the IAM's own option, not --ca (which was given and cannot help).
    expect(r.stderr).toMatch(/hint: .*--sso-ca FILE/);
    expect(() => readFileSync(join(home, 'xdg', 'ptnad', 'config.json'), 'utf8')).toThrow();
  });

  it('--sso-ca at login is tested, stored in the profile and used by later runs', async () => {
    const { env, home } = ssoEnv();
    const login = await cli(
      [
        '--ca',
        nadCa,
        'login',
        '--auth',
        'sso',
        '--url',
        emu.url,
        '--sso-url',
        emu.iamUrl,
        '--client-id',
        'ptnad',
        '--sso-ca',
        iamCa,
      ],
      { env, input: 'Ld@pUser1\n' },
    );
    expect(login.stderr).not.toMatch(/certificate/i);
    expect(login.code).toBe(0);
    const config = JSON.parse(readFileSync(join(home, 'xdg', 'ptnad', 'config.json'), 'utf8'));
    expect(config.profiles.default).toMatchObject({ auth: 'sso', ca: nadCa, ssoCa: iamCa, ssoUrl: emu.iamUrl });
    // A later run reads everything from the profile (no PTNAD_* variables: they would override it).
    const profileOnly = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('PTNAD_')));
    const status = await cli(['status'], { env: profileOnly });
    expect(status.stderr).toBe('');
    expect(status.stdout).toMatch(/^(GREEN|YELLOW): /);
  });

  it('PTNAD_SSO_CA works without a profile, and a file that is not PEM is named in the error', async () => {
    const base = { PTNAD_URL: emu.url, PTNAD_CA: nadCa, PTNAD_SSO_URL: emu.iamUrl, PTNAD_CLIENT_ID: 'ptnad' };
    const ok = ssoEnv({ ...base, PTNAD_PASSWORD: 'Ld@pUser1', PTNAD_SSO_CA: iamCa });
    const st = await cli(['status'], { env: ok.env });
    expect(st.stderr).toBe('');
    expect(st.stdout).toMatch(/^(GREEN|YELLOW): /);
    const notPem = join(ok.home, 'not-a-cert.txt');
    const bad = ssoEnv({ ...base, PTNAD_PASSWORD: 'Ld@pUser1', PTNAD_SSO_CA: notPem });
    writeFileSync(notPem, 'hello\n');
    const r = await cli(['status'], { env: bad.env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${notPem} is not a PEM certificate file`);
  });
});
