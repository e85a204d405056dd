/**
 * What a user outside this repository gets from `npm pack`: the three tarballs pass publint and
 * @arethetypeswrong/cli, install together into a fresh project in the system's temporary directory, and there the
 * CLI, the SDK, the BQL toolkit, the emulator and the shipped type declarations all work.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { startEmulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['client', 'emulator', 'cli'] as const;
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

let work = '';
let project = '';
const tarballs: Record<string, string> = {};

async function sh(cmd: string, args: string[], cwd: string, timeout = 240_000) {
  return run(cmd, args, { cwd, timeout, maxBuffer: 32 << 20, env: { ...process.env, NO_COLOR: '1' } });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ptnad-pack-'));
  const packs = join(work, 'tarballs');
  await mkdir(packs);
  for (const p of PACKAGES) {
    const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', packs], join(ROOT, 'packages', p));
    const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    if (!info) throw new Error(`npm pack printed nothing for packages/${p}`);
    tarballs[p] = join(packs, info.filename);
    filesOf[p] = info.files.map((f) => f.path);
  }
  project = join(work, 'consumer');
  await mkdir(project);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
  );
  // Dependencies of the tarballs come from the npm cache that `npm ci` filled (the registry is the fallback).
  await sh(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      tarballs.client as string,
      tarballs.emulator as string,
      tarballs.cli as string,
      '@types/node@20.19.43',
    ],
    project,
    400_000,
  );
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const filesOf: Record<string, string[]> = {};

describe('each tarball', () => {
  it.each(PACKAGES)('%s is complete and minimal', (p) => {
    const files = filesOf[p] ?? [];
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files.some((f) => f.startsWith('dist/') && f.endsWith('.d.ts'))).toBe(true);
    // Nothing that points at files the tarball does not ship, and no build bookkeeping.
    expect(files.filter((f) => f.endsWith('.map') || f.includes('tsbuildinfo') || f.startsWith('src/'))).toEqual([]);
    expect(files.filter((f) => f.includes('/test/') || f.startsWith('test/'))).toEqual([]);
  });

  it.each(PACKAGES)('%s passes publint', async (p) => {
    const { stdout } = await sh(bin('publint'), ['run', '--strict', join(ROOT, 'packages', p)], ROOT);
    expect(stdout).toContain('All good');
  });

  it.each(PACKAGES)('%s passes arethetypeswrong (ESM-only profile)', async (p) => {
    // Exit status 0 is the verdict: attw exits 1 on any problem that the profile does not ignore.
    await sh(bin('attw'), [tarballs[p] as string, '--profile', 'esm-only', '--format', 'ascii'], ROOT);
  });
});

describe('installed into a fresh project', () => {
  it('runs `ptnad --version` and `ptnad demo`', async () => {
    const ptnad = join(project, 'node_modules', '.bin', 'ptnad');
    const version = await sh(ptnad, ['--version'], project);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const demo = await sh(ptnad, ['demo'], project);
    expect(demo.stdout.length).toBeGreaterThan(0);
  });

  it('imports ptnad-client, ptnad-client/bql and starts an emulator from ptnad-emulator', async () => {
    const script = join(project, 'smoke.mjs');
    await writeFile(
      script,
      [
        "import { PTNADClient } from 'ptnad-client';",
        "import { parse, format } from 'ptnad-client/bql';",
        "import { startEmulator } from 'ptnad-emulator';",
        'const emu = await startEmulator({ port: 0 });',
        'try {',
        '  const client = new PTNADClient(emu.url, { verifySsl: true });',
        "  const admin = emu.credentials.users.find((u) => u.role === 'admin' && u.source === 'local');",
        "  client.setAuth({ type: 'local', username: admin.username, password: admin.password });",
        '  const status = await client.monitoring.getStatus();',
        '  const text = format(parse("SELECT src.ip FROM flow WHERE dst.port == 443 LIMIT 1"));',
        '  console.log(JSON.stringify({ status: typeof status.status, text }));',
        '} finally { await emu.close(); }',
      ].join('\n'),
    );
    const { stdout } = await sh(process.execPath, [script], project);
    expect(JSON.parse(stdout)).toEqual({
      status: 'string',
      text: 'SELECT src.ip FROM flow WHERE dst.port == 443 LIMIT 1',
    });
  });

  it('type-checks a consumer file with module nodenext', async () => {
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['consumer.ts'],
      }),
    );
    await writeFile(
      join(project, 'consumer.ts'),
      [
        "import { PTNADClient, PTNADError } from 'ptnad-client';",
        "import { bql, parse, validate } from 'ptnad-client/bql';",
        "import { startEmulator } from 'ptnad-emulator';",
        'export async function check(ip: string): Promise<number> {',
        '  const emu = await startEmulator({ port: 0 });',
        '  const client = new PTNADClient(emu.url);',
        "  client.setAuth({ type: 'local', username: 'u', password: 'p' });",
        '  try {',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the consumer's source text holds a bql template.
        '    const rows = await client.bql.query(bql`SELECT src.ip FROM flow WHERE src.ip == ${ip} LIMIT 5`);',
        "    const diagnostics = validate(parse('dst.port == 80'));",
        '    return rows.length + diagnostics.length;',
        '  } catch (err) {',
        '    if (err instanceof PTNADError) return -1;',
        '    throw err;',
        '  } finally {',
        '    await emu.close();',
        '  }',
        '}',
      ].join('\n'),
    );
    await sh(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project);
    expect((await readdir(project)).includes('consumer.js')).toBe(false);
    // A whole tsc run over the installed declarations: 7-12 s alone, over 30 s when the machine runs other suites.
  }, 120_000);

  it.each(['esm', 'cjs'] as const)(
    'bundles into a program of its own (esbuild, %s) that runs anywhere',
    async (format) => {
      // A SOAR playbook or a Lambda is often one bundled file: the bundle must carry the whole SDK (the package's
      // `module` condition), not a path to the installed one. It runs from a directory with no node_modules.
      await writeFile(
        join(project, 'bundled.mjs'),
        [
          "import { PTNADClient, PTNADError } from 'ptnad-client';",
          "import { BqlSyntaxError, format, parse } from 'ptnad-client/bql';",
          "const text = format(parse('SELECT src.ip FROM flow WHERE dst.port == 443 LIMIT 1'));",
          'let shared = false;',
          "try { parse('SELECT FROM'); } catch (err) { shared = err instanceof BqlSyntaxError && err instanceof PTNADError; }",
          "const client = new PTNADClient(process.argv[2], { auth: { type: 'apikey', apikey: process.argv[3] } });",
          'client.monitoring.getStatus().then(async (status) => {',
          '  await client.close();',
          '  console.log(JSON.stringify({ text, shared, status: typeof status.status }));',
          '});',
        ].join('\n'),
      );
      const alone = await mkdtemp(join(work, 'bundled-'));
      const outfile = join(alone, format === 'esm' ? 'program.mjs' : 'program.cjs');
      await build({
        absWorkingDir: project,
        entryPoints: ['bundled.mjs'],
        outfile,
        bundle: true,
        platform: 'node',
        format,
        logLevel: 'silent',
      });
      const emu = await startEmulator({ port: 0, host: '127.0.0.1', seed: 1, flows: 100 });
      try {
        const { stdout } = await sh(process.execPath, [outfile, emu.url, emu.credentials.apiKey], alone);
        expect(JSON.parse(stdout)).toEqual({
          text: 'SELECT src.ip FROM flow WHERE dst.port == 443 LIMIT 1',
          shared: true,
          status: 'string',
        });
      } finally {
        await emu.close();
      }
    },
  );
});
