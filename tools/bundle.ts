/**
 * The bundling step of `npm run build` (after `tsc -b`, which still writes every module and its `.d.ts` to dist/).
 * Most runs of this toolkit are short processes (monitoring checks, cron jobs, CI scripts), and Node spends a
 * large part of their start-up resolving and loading dozens of small ES modules (issue 13). Measured on Node 20:
 * loading code as one CommonJS file is cheaper than as ES modules, even with require() of ES modules, because it
 * needs no ES module resolution, no module linking and no ES module facade of each Node built-in used. So:
 * - ptnad-client: the whole SDK (both entries, `.` and `./bql`) is one CommonJS file, `dist/bundle/sdk.cjs`, so
 *   that a class (BqlSyntaxError, ...) is the same object whichever entry it comes from, and whether the program
 *   uses `import` or the CLI's `require` (no dual-package hazard). Each entry has a thin ES module wrapper
 *   (`index.js`, `bql/index.js`), which the package's `exports` point at (types: tsc's `dist/*.d.ts`), and a
 *   CommonJS one (`index.cjs`, `bql/index.cjs`) for the CLI; both re-export the entry's names from sdk.cjs. undici stays outside (it is
 *   loaded only when a proxy is configured). A user's own bundler gets ordinary ES modules instead (`dist/bundle/esm`,
 *   the `module` export condition): the wrappers load sdk.cjs by path at run time, which a bundle cannot carry.
 * - ptnad-cli: `src/bin.ts` is one CommonJS file, `dist/bundle/ptnad.cjs`, with commander and picocolors. The
 *   command modules that the entry loads with `import()` are in it, but esbuild wraps each in a function that runs
 *   on first use, so `ptnad status` runs only the status command's code. ptnad-client is `require()`d through
 *   its CommonJS entry (see SDK_LOADER); ptnad-emulator (an ES module package) and the dependencies of `ptnad exporter` and
 *   `ptnad mcp` are left to Node. commander's `node:child_process` is loaded only if it is used (see
 *   lazyChildProcessForCommander). The text of `ptnad --help` is written to `dist/bundle/help.txt` from the
 *   bundle's own output, for the launcher's fast path (bin/ptnad.js).
 *
 * No source maps: the tarballs ship no maps (test/packaging.test.ts), and the bundles are plain, readable code.
 *
 * Usage: tsx tools/bundle.ts [client|cli|emulator ...] (run by `npm run build`, and by each package's own build).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Keeps `import.meta.url` of each bundled module pointing at the file tsc writes for it in `dist/`, so that the
 * paths a module computes relative to itself (`../package.json`, `../../packs/...`) resolve as they do without
 * bundling. The bundles are CommonJS, which has no `import.meta`: the URL is computed from the bundle's
 * `__dirname`, and `import.meta.resolve(x)` becomes the URL of `require.resolve(x)`.
 */
function keepModuleUrls(srcDir: string, distDir: string, outdir: string): Plugin {
  const fileUrl = (path: string) => `require('node:url').pathToFileURL(${path}).href`;
  return {
    name: 'keep-module-urls',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.') || !args.path.startsWith(srcDir)) return undefined;
        const compiled = join(distDir, relative(srcDir, args.path)).replace(/\.ts$/, '.js');
        const fromBundle = relative(outdir, compiled).split('\\').join('/');
        const contents = source
          .replaceAll('import.meta.resolve(', `((id) => ${fileUrl('require.resolve(id)')})(`)
          .replaceAll(
            'import.meta.url',
            fileUrl(`require('node:path').join(__dirname, ${JSON.stringify(fromBundle)})`),
          );
        if (contents.includes('import.meta')) {
          throw new Error(
            `tools/bundle.ts: ${relative(ROOT, args.path)} uses an import.meta property a CommonJS bundle lacks`,
          );
        }
        return { contents, loader: 'ts', resolveDir: dirname(args.path) };
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

const GENERATED = '// Generated by tools/bundle.ts: do not edit.\n';

/**
 * An ES module that re-exports `names` from the bundle `from` (relative to the wrapper's directory), loaded with its
 * code cache by the loader `loaderText` (tools/load-bundle.cjs), whose text is inlined: a `require()` of a separate
 * load.cjs from an ES module would first set up a CommonJS require function for it (`createRequire`) and resolve,
 * read and compile one more file, about 2 ms of an `import 'ptnad-client'` (issue 13).
 */
function esmWrapper(loaderText: string, from: readonly string[], names: readonly string[]): string {
  return (
    GENERATED +
    '// The code cache loader of tools/load-bundle.cjs (also in load.cjs), as the body of a function of `module`.\n' +
    'const loader = { exports: {} };\n' +
    `((module) => {\n${loaderText.trimEnd()}\n})(loader);\n` +
    // process.getBuiltinModule (Node >= 20.16) instead of `import ... from 'node:path'`: no ES module facade.
    "const { join } = process.getBuiltinModule('node:path');\n" +
    `const sdk = loader.exports.loadBundle(join(import.meta.dirname, ${from.map((part) => JSON.stringify(part)).join(', ')}));\n` +
    `export const {\n${names.map((n) => `  ${n},\n`).join('')}} = sdk;\n`
  );
}

/** The CommonJS twin of {@link esmWrapper}. */
function cjsWrapper(loader: string, from: string, names: readonly string[]): string {
  return (
    `${GENERATED}'use strict';\n` +
    `const sdk = require(${JSON.stringify(loader)}).loadBundle(require.resolve(${JSON.stringify(from)}));\n` +
    `module.exports = {\n${names.map((n) => `  ${n}: sdk.${n},\n`).join('')}};\n`
  );
}

/**
 * esbuild gives a CommonJS bundle of ES modules an exports object of getters (`__export` + `__toCommonJS`: two
 * closures and a property descriptor per name, set up before any module has run), to keep ES modules' live
 * bindings. The SDK's exports are never reassigned, so a plain object of values, made after every module has run,
 * is the same to its users and cheaper to start (issue 13: about 70 KB less garbage per start). This swaps one for
 * the other, and fails the build unless the getters esbuild wrote are exactly `names`, each `name: () => binding`.
 */
function plainExports(text: string, names: readonly string[]): string {
  const block = /^var (\w+) = \{\};\n__export\(\1, \{\n([^}]*)\n\}\);\nmodule\.exports = __toCommonJS\(\1\);\n/m;
  const found = block.exec(text);
  if (!found?.[2] || text.split('\nmodule.exports =').length !== 2) {
    throw new Error("tools/bundle.ts: the SDK bundle's exports are not the one esbuild block expected");
  }
  const pairs = found[2].split(',\n').map((line) => {
    const pair = /^ {2}(\w+): \(\) => ([\w$]+)$/.exec(line);
    if (!pair?.[1] || !pair[2]) throw new Error(`tools/bundle.ts: unexpected export getter in the SDK bundle: ${line}`);
    return { name: pair[1], binding: pair[2] };
  });
  const exported = pairs.map((p) => p.name).sort();
  if (exported.join() !== [...names].sort().join()) {
    throw new Error(`tools/bundle.ts: the SDK bundle exports ${exported.join(', ')}; the entries ${names.join(', ')}`);
  }
  const object = pairs.map((p) => `  ${p.name}: ${p.binding},\n`).join('');
  return `${text.replace(found[0], '')}\n// The exports, once every module has run (see plainExports in tools/bundle.ts).\nmodule.exports = {\n${object}};\n`;
}

const LOADER = join(ROOT, 'tools/load-bundle.cjs');

/**
 * Puts the loader next to a bundle (as load.cjs) and writes the bundle's code cache (`<bundle>.cache`). The cache is
 * made by a plain `node` (this script runs under tsx, whose loader hooks must not matter), from the compiled
 * bundle without running it: the functions that run later are compiled when first called, as without a cache.
 */
async function writeCodeCache(bundle: string): Promise<void> {
  await writeFile(join(dirname(bundle), 'load.cjs'), await readFile(LOADER));
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const program = `require('node:fs').writeFileSync(process.argv[2] + '.cache', require(process.argv[1]).createCache(process.argv[2]));`;
  const run = spawnSync(process.execPath, ['-e', program, LOADER, bundle], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tools/bundle.ts: no code cache for ${relative(ROOT, bundle)}: ${run.stderr}`);
}

async function bundleClient(): Promise<void> {
  const pkg = join(ROOT, 'packages/client');
  const outdir = join(pkg, 'dist/bundle');
  const entries = { index: join(pkg, 'src/index.ts'), 'bql/index': join(pkg, 'src/bql/index.ts') };
  await rm(outdir, { recursive: true, force: true });
  const names = await esmForBundlers(entries, join(outdir, 'esm'));
  const result = await build({
    stdin: {
      contents: "export * from './src/index.ts';\nexport * from './src/bql/index.ts';\n",
      resolveDir: pkg,
      sourcefile: 'sdk.ts',
      loader: 'ts',
    },
    outfile: join(outdir, 'sdk.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['undici'],
    logLevel: 'warning',
    write: false,
  });
  const [output] = result.outputFiles;
  if (!output || result.outputFiles.length !== 1) throw new Error('tools/bundle.ts: the SDK bundle is not one file');
  const allNames = [...new Set(Object.values(names).flat())];
  await mkdir(outdir, { recursive: true });
  await writeFile(join(outdir, 'sdk.cjs'), plainExports(output.text, allNames));
  // Every name of both entries must be in the shared file (an ambiguous `export *` would drop one silently).
  const sdk = createRequire(import.meta.url)(join(outdir, 'sdk.cjs')) as Record<string, unknown>;
  for (const [entry, list] of Object.entries(names)) {
    const missing = list.filter((n) => sdk[n] === undefined);
    if (missing.length > 0)
      throw new Error(`tools/bundle.ts: sdk.cjs lacks ${missing.join(', ')} of the ${entry} entry`);
  }
  await mkdir(join(outdir, 'bql'), { recursive: true });
  const loaderText = await readFile(LOADER, 'utf8');
  await writeFile(join(outdir, 'index.js'), esmWrapper(loaderText, ['sdk.cjs'], names.index ?? []));
  await writeFile(join(outdir, 'index.cjs'), cjsWrapper('./load.cjs', './sdk.cjs', names.index ?? []));
  await writeFile(join(outdir, 'bql/index.js'), esmWrapper(loaderText, ['..', 'sdk.cjs'], names['bql/index'] ?? []));
  await writeFile(join(outdir, 'bql/index.cjs'), cjsWrapper('../load.cjs', '../sdk.cjs', names['bql/index'] ?? []));
  await assertLatin1(outdir);
  await writeCodeCache(join(outdir, 'sdk.cjs'));
}

/**
 * The SDK as plain ES modules for a user's own bundler (the `module` export condition: esbuild, webpack, Rollup
 * and Vite honour it, Node does not). The entries above load sdk.cjs by its path at run time, which a bundle
 * of a user's program does not carry along; these are ordinary modules a bundler can follow. The two entries share
 * their code through one chunk, so a class is one object in a bundle that uses both. Returns the names each entry
 * exports, read off the build's metafile: the wrappers re-export exactly those.
 */
async function esmForBundlers(entries: Record<string, string>, outdir: string): Promise<Record<string, string[]>> {
  const result = await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['undici'],
    chunkNames: 'shared-[hash]',
    logLevel: 'warning',
    metafile: true,
  });
  const names: Record<string, string[]> = {};
  for (const output of Object.values(result.metafile.outputs)) {
    const entry = output.entryPoint;
    const key = Object.keys(entries).find(
      (k) => entries[k] !== undefined && entry && join(process.cwd(), entry) === entries[k],
    );
    if (key !== undefined) names[key] = [...output.exports].sort();
  }
  for (const key of Object.keys(entries)) {
    if (!names[key]) throw new Error(`tools/bundle.ts: no export list for the "${key}" entry`);
  }
  return names;
}

/**
 * The CLI and the emulator load ptnad-client with `require()` of its CommonJS entry (`dist/bundle/index.cjs`,
 * `bql/index.cjs`): synchronous, no ES module loader, and the same sdk.cjs the package's ES module entry
 * re-exports. Those files are not in the package's `exports` (a public CommonJS entry would need CommonJS type
 * declarations as well), so `__ptnadSdk` looks for them in the node_modules directories require() searches, and
 * falls back to a plain require() of the package (its ES module entry, with Node's require() of ES modules) when
 * they are absent (an older ptnad-client). This rewrites exactly the loads of ptnad-client that esbuild leaves in a CommonJS bundle
 * (`import("ptnad-client")` where the source has import(), `require("ptnad-client/bql")` for a static import), and
 * checks their number against the metafile; ptnad-emulator (an ES module package) and the others are left as they
 * are.
 */
const SDK_LOADS = /\b(import|require)\("(ptnad-client(?:\/bql)?)"\)/g;

/**
 * How a bundle calls import() (ptnad-emulator, an ES module package, from the CLI): through the loader's import()
 * when tools/load-bundle.cjs runs it (code compiled by vm.Script has none of its own), else its own.
 */
const IMPORT_SHIM =
  'function __ptnadImport(id) {\n' +
  "  return typeof __ptnadLoaderImport === 'function' ? __ptnadLoaderImport(id) : import(id);\n" +
  '}';
const EXTERNAL_IMPORT = /\bimport\(("[^"]+")\)/g;

const SDK_LOADER =
  'function __ptnadSdk(id) {\n' +
  "  const { existsSync } = require('node:fs');\n" +
  "  const { join } = require('node:path');\n" +
  "  const entry = id === 'ptnad-client' ? 'index.cjs' : 'bql/index.cjs';\n" +
  // The node_modules directories require() would search, in its order, without resolving the package's `exports`
  // (Node's exports resolver costs a few ms of a cold start).
  "  for (const dir of require.resolve.paths('ptnad-client') || []) {\n" +
  "    const file = join(dir, 'ptnad-client', 'dist', 'bundle', entry);\n" +
  '    if (existsSync(file)) return require(file);\n' +
  '  }\n' +
  '  return require(id);\n' +
  '}';

function requireSdk(text: string, meta: Metafile['outputs'][string], what: string): string {
  const sdk = meta.imports.filter((i) => /^ptnad-client(\/bql)?$/.test(i.path));
  const expected = sdk.filter((i) => i.kind === 'dynamic-import' || i.kind === 'require-call').length;
  // The other packages' import()s go through __ptnadImport (see IMPORT_SHIM).
  const otherImports = meta.imports.filter((i) => i.kind === 'dynamic-import' && i.external && !sdk.includes(i));
  let seen = 0;
  let dynamic = 0;
  const out = text.replace(SDK_LOADS, (_match, how: string, id: string) => {
    seen++;
    const load = `__ptnadSdk(${JSON.stringify(id)})`;
    // import() rejects rather than throws: keep that for the callers' error handling.
    return how === 'import' ? `new Promise((resolve) => resolve(${load}))` : load;
  });
  if (seen !== expected) {
    throw new Error(
      `tools/bundle.ts: the ${what} bundle has ${expected} loads of ptnad-client to rewrite, found ${seen}`,
    );
  }
  const final = out.replace(EXTERNAL_IMPORT, (_match, id: string) => {
    dynamic++;
    return `__ptnadImport(${id})`;
  });
  if (dynamic !== otherImports.length) {
    throw new Error(
      `tools/bundle.ts: the ${what} bundle has ${otherImports.length} other import()s to rewrite, found ${dynamic}`,
    );
  }
  return final;
}

/** One CommonJS bundle of `entry` at `outfile`, with ptnad-client loaded as SDK_LOADER says. */
async function cjsBundle(entry: string, outfile: string, what: string, options: BuildOptions): Promise<void> {
  const result = await build({
    ...options,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    banner: { js: `${SDK_LOADER}\n${IMPORT_SHIM}` },
    logLevel: 'warning',
    metafile: true,
    write: false,
  });
  const [file] = result.outputFiles;
  const meta = Object.values(result.metafile.outputs)[0];
  if (!file || !meta || result.outputFiles.length !== 1) {
    throw new Error(`tools/bundle.ts: the ${what} bundle is not one file`);
  }
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(outfile, requireSdk(file.text, meta, what));
  await assertLatin1(dirname(outfile));
  await writeCodeCache(outfile);
}

async function bundleCli(): Promise<void> {
  const pkg = join(ROOT, 'packages/cli');
  const outdir = join(pkg, 'dist/bundle');
  const outfile = join(outdir, 'ptnad.cjs');
  await rm(outdir, { recursive: true, force: true });
  const { version } = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as { version: string };
  await cjsBundle(join(pkg, 'src/bin.ts'), outfile, 'CLI', {
    define: { __PTNAD_CLI_VERSION__: JSON.stringify(version) },
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
    plugins: [keepModuleUrls(join(pkg, 'src'), join(pkg, 'dist'), outdir), lazyChildProcessForCommander()],
  });
  await writeFile(join(outdir, 'help.txt'), helpText(outfile));
}

/**
 * What `ptnad --help` prints when stdout is not a terminal (commander then wraps at 80 columns), taken from the
 * bundle itself, so the launcher's fast path prints exactly what the CLI would (bin.test.ts checks it).
 */
function helpText(bundle: string): string {
  const env = { ...process.env };
  for (const key of ['FORCE_COLOR', 'NO_COLOR', 'NODE_OPTIONS']) delete env[key];
  const run = spawnSync(process.execPath, [bundle, '--help'], { env, encoding: 'utf8' });
  if (run.status !== 0 || run.stderr !== '' || !run.stdout.startsWith('Usage: ptnad ')) {
    throw new Error(`tools/bundle.ts: \`ptnad --help\` failed (${run.status}): ${run.stderr}`);
  }
  return run.stdout;
}

/**
 * Fails the build when a bundle holds a character above U+00FF (esbuild escapes them in strings, but keeps the
 * comments it preserves as they are). V8 stores a source with even one such character as a two-byte string:
 * twice the memory, and more garbage collection at every start-up (issue 13).
 */
async function assertLatin1(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.c?js$/.test(entry.name)) continue;
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
 * ptnad-emulator's binary (`src/bin.ts`) as one CommonJS file, `dist/bundle/emulator.cjs`, run by the CommonJS
 * launcher bin/ptnad-emulator.js with its code cache: its start-up to the "listening" line is mostly Node loading
 * code (issue 13). The package's `exports` still point at tsc's `dist/` (tests and programs import it); only the
 * binary runs the bundle. Packages (ptnad-client) stay outside.
 */
async function bundleEmulator(): Promise<void> {
  const pkg = join(ROOT, 'packages/emulator');
  const outdir = join(pkg, 'dist/bundle');
  await rm(outdir, { recursive: true, force: true });
  await cjsBundle(join(pkg, 'src/bin.ts'), join(outdir, 'emulator.cjs'), 'emulator', {
    packages: 'external',
    plugins: [keepModuleUrls(join(pkg, 'src'), join(pkg, 'dist'), outdir)],
  });
}

const BUNDLES: Record<string, () => Promise<void>> = { client: bundleClient, cli: bundleCli, emulator: bundleEmulator };
const asked = process.argv.slice(2);
for (const name of asked)
  if (!BUNDLES[name]) throw new Error(`tools/bundle.ts: unknown package "${name}" (client, cli, emulator)`);
const names = asked.length > 0 ? asked : Object.keys(BUNDLES);
// The client first: building the CLI runs its `--help`, which loads the client's bundle.
if (names.includes('client')) await bundleClient();
await Promise.all(names.filter((name) => name !== 'client').map((name) => BUNDLES[name]?.()));
