import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, isolatedEnv, ptnad } from './harness.js';

// What bin/ptnad.js loads (issue 13: cold start). A preloaded probe records every CommonJS module loaded, whether
// process.stdin was created and whether an ES module was loaded (a module job made: preloading a file sets up the
// loader itself), and writes it to a file at exit.
const BUNDLE = fileURLToPath(new URL('../dist/bundle/ptnad.cjs', import.meta.url));
const PROBE = `
let stdinCreated = false;
const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
Object.defineProperty(process, 'stdin', {
  configurable: true,
  enumerable: true,
  get() {
    stdinCreated = true;
    return stdin.get.call(process);
  },
});
process.on('exit', () => {
  const esmLoader = process.moduleLoadList.includes('NativeModule internal/modules/esm/module_job');
  const loaded = Object.keys(require.cache);
  require('node:fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify({ loaded, stdinCreated, esmLoader }));
});
`;

interface Probe {
  loaded: string[];
  stdinCreated: boolean;
  esmLoader: boolean;
}

let emu: Emulator;
let dir: string;
const { env } = isolatedEnv({ PTNAD_USERNAME: 'administrator', PTNAD_PASSWORD: 'Administr@t0r' });

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ptnad-launcher-'));
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
  emu = await startEmulator({ port: 0, seed: 1, flows: 50 });
});
afterAll(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function probed(args: string[], input?: string) {
  const out = join(dir, `probe-${Math.random().toString(36).slice(2)}.json`);
  const result = await ptnad(args, {
    env: { ...env, NODE_OPTIONS: `--require ${join(dir, 'probe.cjs')}`, PROBE_OUT: out },
    ...(input === undefined ? {} : { input }),
  });
  const probe = JSON.parse(readFileSync(out, 'utf8')) as Probe;
  return { ...result, probe, loaded: (name: string) => probe.loaded.some((f) => f.endsWith(name)) };
}

/** The CLI bundle run directly, without the launcher's fast path. */
function bundleOutput(args: string[]) {
  const run = spawnSync(process.execPath, [BUNDLE, ...args], { env, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('bin/ptnad.js', () => {
  it('answers --help, -h and --version without loading the CLI, with exactly the CLI own output', async () => {
    for (const args of [['--help'], ['-h'], ['--version']]) {
      const fast = await probed(args);
      expect(fast.loaded('ptnad.cjs'), args[0]).toBe(false);
      expect(fast.probe.esmLoader, args[0]).toBe(false);
      expect({ code: fast.code, stdout: fast.stdout, stderr: fast.stderr }, args[0]).toEqual(bundleOutput(args));
    }
    // Anything more than the bare flag is the CLI's business (commander decides what `status --help` shows).
    const sub = await probed(['status', '--help']);
    expect(sub.loaded('ptnad.cjs')).toBe(true);
    expect(sub.stdout).toMatch(/^Usage: ptnad status/);
  });

  it('runs `ptnad status` as CommonJS only: no ES module loader, stdin never created, one SDK bundle', async () => {
    const run = await probed(['--url', emu.url, 'status']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^(GREEN|YELLOW|RED)/);
    expect(run.probe.esmLoader).toBe(false);
    expect(run.probe.stdinCreated).toBe(false);
    // The launcher, the CLI bundle and the SDK (its CommonJS entry and the one file), each with the cache loader.
    const bundles = run.probe.loaded
      .filter((f) => /dist.bundle.*\.cjs$/.test(f))
      .map((f) => f.split(/[\\/]/).slice(-4).join('/'));
    expect(bundles.sort()).toEqual(
      [
        'cli/dist/bundle/load.cjs',
        'cli/dist/bundle/ptnad.cjs',
        'client/dist/bundle/index.cjs',
        'client/dist/bundle/load.cjs',
        'client/dist/bundle/sdk.cjs',
      ].sort(),
    );
  });

  it('runs a command that import()s an ES module package (ptnad demo starts ptnad-emulator) without warnings', async () => {
    // The bundle runs from its code cache (vm.Script), which has no import() of its own: the loader lends its own.
    const run = await probed(['demo']);
    expect(run.stderr).not.toMatch(/warning|error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/== Monitoring status: /);
    expect(run.loaded('ptnad.cjs')).toBe(true);
  });

  it('creates stdin when a command reads it', async () => {
    const run = await probed(['bql', 'fmt'], 'select src.ip from flow where dst.port==443');
    expect(run).toMatchObject({ code: 0, stdout: 'SELECT src.ip FROM flow WHERE dst.port == 443\n' });
    expect(run.probe.stdinCreated).toBe(true);
  });
});
