import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, isolatedEnv, ptnad } from './harness.js';

// Login, profiles, status, TLS and connection failures: main() in-process against emulators in this process;
// the 'processes' tests run the built binary (signals, the forwarded emulator child).
let emu: Emulator;
let tlsEmu: Emulator;
const ADMIN = { user: 'administrator', password: 'Administr@t0r' };

beforeAll(async () => {
  assertBuilt();
  [emu, tlsEmu] = await Promise.all([
    startEmulator({ port: 0, seed: 1, flows: 500 }),
    startEmulator({ port: 0, seed: 1, flows: 50, tls: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([emu?.close(), tlsEmu?.close()]);
});

/** A port on 127.0.0.1 that nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function setTriggers(colour: 'green' | 'yellow' | 'red'): void {
  const triggers = emu.state.dataset.triggers;
  for (const t of triggers) t.status = 'green';
  const first = triggers[0];
  if (first && colour !== 'green') first.status = colour;
}

describe('login and profiles', () => {
  it('a wrong password exits 3, prints no password and stores nothing', async () => {
    const { env, home } = isolatedEnv();
    const wrong = 'Wr0ng-Passw0rd-123';
    const r = await cli(['login', '--url', emu.url, '--username', ADMIN.user], { env, input: `${wrong}\n` });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ptnad: error: .+\nhint: check the credentials/);
    expect(r.stderr).not.toContain(wrong);
    expect(() => statSync(join(home, 'xdg', 'ptnad', 'secrets.json'))).toThrow();
  });

  it('login stores a 0600 secrets file, commands use the profile, profiles list|use|remove and logout work', async () => {
    const { env, home } = isolatedEnv();
    const dir = join(home, 'xdg', 'ptnad');
    const login = await cli(['login', '--url', emu.url, '--username', ADMIN.user], {
      env,
      input: `${ADMIN.password}\n`,
    });
    expect(login.code).toBe(0);
    expect(login.stdout).toBe('');
    expect(login.stderr).toContain(`logged in to ${emu.url} as administrator; saved profile "default"`);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain(ADMIN.password);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual({
      profiles: { default: { password: ADMIN.password } },
    });

    const second = await cli(
      ['--profile', 'apikey', 'login', '--url', emu.url, '--auth', 'apikey', '--password-stdin'],
      { env, input: `${emu.credentials.apiKey}\n` },
    );
    expect(second.code).toBe(0);
    setTriggers('green');
    const [list, status] = await Promise.all([
      cli(['profiles', 'list', '-o', 'json'], { env }),
      cli(['--profile', 'default', 'status'], { env }),
    ]);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'default', current: false, auth: 'local', credentials: 'stored' }),
      expect.objectContaining({ name: 'apikey', current: true, auth: 'apikey', username: null }),
    ]);
    expect(status).toMatchObject({ code: 0, stdout: 'GREEN: no problems\n' });

    const use = await cli(['profiles', 'use', 'default'], { env });
    expect(use.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).current).toBe('default');
    const [useMissing, remove] = await Promise.all([
      cli(['profiles', 'use', 'nope'], { env }),
      cli(['profiles', 'remove', 'apikey'], { env }),
    ]);
    expect(useMissing.code).toBe(2);
    expect(useMissing.stderr).toMatch(/no profile named "nope"/);
    expect(remove.code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).profiles)).toEqual(['default']);

    const sso = await cli(
      ['--profile', 'sso', 'login', '--auth', 'sso', '--url', emu.url, '--sso-url', emu.url, '--client-id', 'ptnad'],
      {
        env: { ...env, PTNAD_USERNAME: 'ldap.user', PTNAD_SSO_TYPE: 'ldap' },
        input: `Ld@pUser1\n${emu.credentials.iamClient.clientSecret}\n`,
      },
    );
    expect(sso.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).profiles.sso).toEqual({
      password: 'Ld@pUser1',
      clientSecret: emu.credentials.iamClient.clientSecret,
    });
    const ssoStatus = await cli(['--profile', 'sso', 'status'], { env });
    expect(ssoStatus.code).toBe(0);
    await cli(['profiles', 'use', 'default'], { env });

    const logout = await cli(['logout'], { env });
    expect(logout.code).toBe(0);
    const after = await cli(['status'], { env });
    expect(after.code).toBe(3);
    expect(after.stderr).toMatch(/no password for profile "default"/);
  });

  it('a secrets file with a loose mode is fixed to 0600 with a warning', async () => {
    const { env, home } = isolatedEnv();
    const dir = join(home, 'xdg', 'ptnad');
    const login = await cli(['login', '--url', emu.url, '--username', ADMIN.user], {
      env,
      input: `${ADMIN.password}\n`,
    });
    expect(login.code).toBe(0);
    const { chmodSync } = await import('node:fs');
    chmodSync(join(dir, 'secrets.json'), 0o644);
    setTriggers('green');
    const r = await cli(['status'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/secrets.json had mode 0644; changed it to 0600/);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });
});

describe('status, triggers and connection failures', () => {
  const envAuth = () =>
    isolatedEnv({ PTNAD_URL: emu.url, PTNAD_USERNAME: ADMIN.user, PTNAD_PASSWORD: ADMIN.password }).env;

  it('status exits 0 green, 1 yellow, 2 red, with the problems on stdout', async () => {
    const env = envAuth();
    const codes: Record<string, number | null> = {};
    for (const colour of ['green', 'yellow', 'red'] as const) {
      setTriggers(colour);
      const [table, json] = await Promise.all([cli(['status'], { env }), cli(['status', '-o', 'json'], { env })]);
      codes[colour] = table.code;
      expect(json.code).toBe(table.code);
      const parsed = JSON.parse(json.stdout) as { status: string; problems: { status: string }[] };
      expect(parsed.status).toBe(colour);
      expect(parsed.problems.length).toBe(colour === 'green' ? 0 : 1);
      expect(table.stdout.split('\n')[0]).toMatch(new RegExp(`^${colour.toUpperCase()}: `));
      if (colour !== 'green') expect(table.stdout).toContain(`[${colour}]`);
    }
    expect(codes).toEqual({ green: 0, yellow: 1, red: 2 });
    setTriggers('red');
    const [all, active, typed] = await Promise.all([
      cli(['triggers', '-o', 'json'], { env }),
      cli(['triggers', '--active', '-o', 'jsonl'], { env }),
      cli(['triggers', '--type', 'updates', '-o', 'csv'], { env }),
    ]);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).length).toBe(emu.state.dataset.triggers.length);
    expect(
      active.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).status),
    ).toEqual(['red']);
    const types = emu.state.dataset.triggers.filter((t) => t.type === 'updates').length;
    expect(typed.stdout.trim().split('\r\n').length).toBe(types === 0 ? 1 : types + 1);
    setTriggers('green');
  });

  it('an unreachable URL exits 4 (status: 3 UNKNOWN), a wrong password 3, a read-only user gets 3 on writes', async () => {
    const port = await closedPort();
    const base = isolatedEnv({ PTNAD_USERNAME: ADMIN.user, PTNAD_PASSWORD: ADMIN.password }).env;
    const [down, downStatus, wrong, readonly] = await Promise.all([
      cli(['--url', `http://127.0.0.1:${port}`, 'sources', 'list'], { env: base }),
      cli(['--url', `http://127.0.0.1:${port}`, 'status'], { env: base }),
      cli(['--url', emu.url, 'sources', 'list'], { env: { ...base, PTNAD_PASSWORD: 'not-the-password' } }),
      cli(['--url', emu.url, 'groups', 'create', '--name', 'RO_TEST', '--value', '[10.0.0.0/8]'], {
        env: { ...base, PTNAD_USERNAME: 'analyst', PTNAD_PASSWORD: 'Analyst@123' },
      }),
    ]);
    expect(down.code).toBe(4);
    expect(down.stdout).toBe('');
    expect(down.stderr).toMatch(/^ptnad: error: .*\nhint: check the URL/);
    expect(downStatus.code).toBe(3);
    expect(downStatus.stderr).toMatch(/^ptnad: UNKNOWN: /);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).not.toContain('not-the-password');
    expect(readonly.code).toBe(3);
    expect(readonly.stderr).toMatch(/hint: this account lacks the permission/);

    emu.faults.add('latency=5000@GET:/api/v2/sensors');
    try {
      const [slow, debug] = await Promise.all([
        cli(['--url', emu.url, '--timeout', '0.3', 'sensors', 'list'], { env: base }),
        cli(['--url', `http://127.0.0.1:${port}`, '--debug', 'sources', 'list'], { env: base }),
      ]);
      expect(slow.code).toBe(4);
      expect(slow.stderr).toMatch(/hint: the server did not answer in time; raise --timeout/);
      expect(debug.code).toBe(4);
      expect(debug.stderr).toMatch(/\n\s+at /);
      expect(debug.stderr).not.toContain(ADMIN.password);
    } finally {
      emu.faults.clear();
    }
  });

  it('a self-signed certificate exits 4 with a hint; --insecure warns loudly; --ca verifies', async () => {
    const env = isolatedEnv({ PTNAD_USERNAME: ADMIN.user, PTNAD_PASSWORD: ADMIN.password }).env;
    setTriggers('green');
    const caFile = tlsEmu.certPath ?? '';
    expect(caFile).not.toBe('');
    const [plain, insecure, pinned, envInsecure] = await Promise.all([
      cli(['--url', tlsEmu.url, 'sources', 'list'], { env }),
      cli(['--url', tlsEmu.url, '--insecure', 'sources', 'list', '-o', 'json'], { env }),
      cli(['--url', tlsEmu.url, '--ca', caFile, 'sources', 'list', '-o', 'json'], { env }),
      cli(['--url', tlsEmu.url, 'sources', 'list', '-o', 'json'], { env: { ...env, PTNAD_INSECURE: '1' } }),
    ]);
    expect(plain.code).toBe(4);
    expect(plain.stderr).toMatch(/hint: the server certificate is not trusted .*--ca FILE.*--insecure/);
    expect(insecure.code).toBe(0);
    expect(insecure.stderr).toMatch(/WARNING: TLS certificate verification is OFF/);
    expect(JSON.parse(insecure.stdout).length).toBeGreaterThan(0);
    expect(pinned.code).toBe(0);
    expect(pinned.stderr).toBe('');
    expect(JSON.parse(pinned.stdout)).toEqual(JSON.parse(insecure.stdout));
    expect(envInsecure.code).toBe(0);
    expect(envInsecure.stderr).toMatch(/WARNING: TLS certificate verification is OFF/);
  });
});

describe('processes', () => {
  it('Ctrl-C while waiting for a password exits 130', async () => {
    const { env } = isolatedEnv();
    const r = await ptnad(['--debug', 'login', '--url', emu.url, '--username', ADMIN.user], {
      env,
      keepStdinOpen: true,
      // The debug line says the password read is pending (and so the SIGINT handler is installed).
      onSpawn: (child) => {
        let seen = '';
        let sent = false;
        child.stderr?.on('data', (d: Buffer) => {
          seen += d.toString();
          if (!sent && seen.includes('reading "Password"')) {
            sent = true;
            child.kill('SIGINT');
          }
        });
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/ptnad: interrupted/);
  });

  it('ptnad emulator serves in the foreground with forwarded flags and stops on SIGINT', async () => {
    const { env } = isolatedEnv();
    let url = '';
    const r = await ptnad(['emulator', '--port', '0', '--flows', '20', '--seed', '3'], {
      env,
      onSpawn: (child) => {
        let seen = '';
        child.stdout?.on('data', (d: Buffer) => {
          seen += d.toString();
          const m = /listening on (\S+)/.exec(seen);
          if (m && !url) {
            url = m[1] ?? '';
            child.kill('SIGINT');
          }
        });
      },
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.code).toBe(130);
    const help = await ptnad(['emulator', '--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/ptnad-emulator/);
  });
});
