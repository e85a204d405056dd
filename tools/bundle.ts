/**
 * The bundling step of `npm run build` (after `tsc -b`, which still writes every module and its `.d.ts` to dist/).
 * Most runs of this toolkit are short processes (monitoring checks, cron jobs, CI scripts), and Node spends a
 * large part of their start-up resolving and loading dozens of small ES modules (issue 13). So:
 * - ptnad-client: both entries (`.` and `./bql`) are bundled together into `dist/bundle/` with a shared chunk,
 *   so that a class (BqlSyntaxError, ...) is the same object whichever entry it is imported from. The package's
 *   `exports` point there for code and at tsc's `dist/*.d.ts` for types. undici stays outside (it is loaded
 *   only when a proxy is configured).
 * - ptnad-cli: `src/bin.ts` is bundled into `dist/bundle/` with commander and picocolors; each command module
 *   the entry loads with `import()` becomes its own chunk (esbuild `splitting`), so `--help` loads none of
 *   them. ptnad-client and ptnad-emulator stay outside, loaded through their own `exports`. commander's
 *   `node:child_process` is loaded only if it is used (see lazyChildProcessForCommander).
 *
 * No source maps: the tarballs ship no maps (test/packaging.test.ts), and the bundles are plain, readable ESM.
 *
 * Usage: tsx tools/bundle.ts [client|cli ...] (run by `npm run build`, and by each package's own build script).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Keeps `import.meta.url` of each bundled module pointing at the file tsc writes for it in `dist/`, so that the
 * paths a module computes relative to itself (`../package.json`, `../../packs/...`) resolve as they do without
 * bundling, whatever chunk the module lands in. Every chunk is written flat into `outdir`.
 */
function keepModuleUrls(srcDir: string, distDir: string, outdir: string): Plugin {
  return {
    name: 'keep-module-urls',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url') || !args.path.startsWith(srcDir)) return undefined;
        const compiled = join(distDir, relative(srcDir, args.path)).replace(/\.ts$/, '.js');
        const fromChunk = relative(outdir, compiled).split('\\').join('/');
        const url = `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * commander requires `node:child_process` when it loads, for executable subcommands (`git-style` commands in
 * separate files), which ptnad does not use; loading that built-in (with `net` and `dgram` behind it) costs about
 * 6 ms of every `ptnad` start (issue 13). This gives commander a stand-in that loads the real module on first use,
 * so its behaviour is unchanged if it ever spawns.
 */
function lazyChildProcessForCommander(): Plugin {
  return {
    name: 'lazy-child-process-for-commander',
    setup(b) {
      b.onResolve({ filter: /^node:child_process$/ }, (args) =>
        /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
          ? { path: 'lazy-child-process', namespace: 'ptnad-lazy' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'ptnad-lazy' }, () => ({
        contents:
          "module.exports = new Proxy({}, { get: (_, key) => process.getBuiltinModule('node:child_process')[key] });",
        loader: 'js',
      }));
    },
  };
}

/**
 * Lets bundled CommonJS dependencies (commander) `require` Node's built-ins from an ES module. esbuild puts the
 * banner in every chunk, and only the one holding commander calls it: the real `require` is made on first use
 * (createRequire costs a fraction of a millisecond per chunk, a few ms per start-up over all of them).
 */
const REQUIRE_SHIM =
  "import { createRequire as __ptnadCreateRequire } from 'node:module';\n" +
  'let __ptnadRequire;\n' +
  'function require(id) {\n' +
  '  __ptnadRequire ??= __ptnadCreateRequire(import.meta.url);\n' +
  '  return __ptnadRequire(id);\n' +
  '}\n' +
  // See loadChunksWithRequire.
  'function __ptnadImport(id) {\n' +
  '  try {\n' +
  '    return Promise.resolve(require(id));\n' +
  '  } catch (err) {\n' +
  "    if (/^ERR_REQUIRE_/.test(err?.code ?? '')) return import(id);\n" +
  '    return Promise.reject(err);\n' +
  '  }\n' +
  '}';

/**
 * The CLI's lazily loaded chunks (a command's module, the run context) and the SDK are loaded with require()
 * where Node allows it (>= 20.19, an ES module graph without top-level await): synchronously, without the
 * asynchronous ES module loader, whose first use costs several ms of every `ptnad <command>` (issue 13). The
 * outcome is the same module namespace import() gives (one module cache serves both), an error thrown by the
 * module rejects the same way, and where require() cannot load an ES module (`--no-experimental-require-module`)
 * `__ptnadImport` falls back to import(). esbuild writes each such load as `import("./name-HASH.js")`; this
 * rewrites exactly those, and checks their number against the metafile's dynamic imports.
 */
const CHUNK_IMPORT = /\bimport\("(\.\/[A-Za-z0-9_-]+\.js|ptnad-client)"\)/g;

function loadChunksWithRequire(text: string, file: string, expected: number): string {
  let seen = 0;
  const out = text.replace(CHUNK_IMPORT, (_match, id: string) => {
    seen++;
    return `__ptnadImport(${JSON.stringify(id)})`;
  });
  if (seen !== expected) {
    throw new Error(
      `tools/bundle.ts: ${relative(ROOT, file)} has ${expected} dynamic imports to rewrite, found ${seen}`,
    );
  }
  return out;
}

async function bundleClient(): Promise<void> {
  const pkg = join(ROOT, 'packages/client');
  const outdir = join(pkg, 'dist/bundle');
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { index: join(pkg, 'src/index.ts'), 'bql/index': join(pkg, 'src/bql/index.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['undici'],
    logLevel: 'warning',
  });
  await assertLatin1(outdir);
}

async function bundleCli(): Promise<void> {
  const pkg = join(ROOT, 'packages/cli');
  const outdir = join(pkg, 'dist/bundle');
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { bin: join(pkg, 'src/bin.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // prom-client and the MCP SDK (with zod) are loaded only by `ptnad exporter` and `ptnad mcp`: left to Node.
    external: [
      'ptnad-client',
      'ptnad-client/*',
      'ptnad-emulator',
      'ptnad-emulator/*',
      'undici',
      'prom-client',
      '@modelcontextprotocol/sdk/*',
      'zod',
    ],
    banner: { js: REQUIRE_SHIM },
    plugins: [keepModuleUrls(join(pkg, 'src'), join(pkg, 'dist'), outdir), lazyChildProcessForCommander()],
    logLevel: 'warning',
    metafile: true,
    write: false,
  });
  await mkdir(outdir, { recursive: true });
  for (const file of result.outputFiles) {
    const meta = result.metafile.outputs[relative(process.cwd(), file.path).split('\\').join('/')];
    if (!meta) throw new Error(`tools/bundle.ts: no metafile entry for ${file.path}`);
    const expected = meta.imports.filter(
      (i) => i.kind === 'dynamic-import' && (i.path === 'ptnad-client' || !i.external),
    ).length;
    await writeFile(file.path, loadChunksWithRequire(file.text, file.path, expected));
  }
  await assertLatin1(outdir);
}

/**
 * Fails the build when a bundle holds a character above U+00FF (esbuild escapes them in strings, but keeps the
 * comments it preserves as they are). V8 stores a source with even one such character as a two-byte string:
 * twice the memory, and more garbage collection at every start-up (issue 13).
 */
async function assertLatin1(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const lines = (await readFile(file, 'utf8')).split('\n');
    const at = lines.findIndex((line) => /[\u0100-\uffff]/.test(line));
    if (at >= 0) {
      throw new Error(
        `tools/bundle.ts: ${relative(ROOT, file)}:${at + 1} holds a character above U+00FF ` +
          `(${JSON.stringify(lines[at]?.trim())}); write it in ASCII in the source (e.g. -> for an arrow in a comment)`,
      );
    }
  }
}

/**
 * ptnad-emulator's binary (`src/bin.ts`) as one file: its start-up to the "listening" line is mostly Node loading
 * about a hundred small modules (issue 13). The package's `exports` still point at tsc's `dist/` (tests and
 * programs import it); only `bin/ptnad-emulator.js` runs the bundle. Packages (ptnad-client) stay outside.
 */
async function bundleEmulator(): Promise<void> {
  const pkg = join(ROOT, 'packages/emulator');
  const outdir = join(pkg, 'dist/bundle');
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { bin: join(pkg, 'src/bin.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [keepModuleUrls(join(pkg, 'src'), join(pkg, 'dist'), outdir)],
    logLevel: 'warning',
  });
  await assertLatin1(outdir);
}

const BUNDLES: Record<string, () => Promise<void>> = { client: bundleClient, cli: bundleCli, emulator: bundleEmulator };
const asked = process.argv.slice(2);
for (const name of asked)
  if (!BUNDLES[name]) throw new Error(`tools/bundle.ts: unknown package "${name}" (client, cli, emulator)`);
await Promise.all((asked.length > 0 ? asked : Object.keys(BUNDLES)).map((name) => BUNDLES[name]?.()));
