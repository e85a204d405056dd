/**
 * The built package's entries (tools/bundle.ts, issue 13): the SDK is one CommonJS file (dist/bundle/sdk.cjs) that
 * the ES module entries (`ptnad-client`, `ptnad-client/bql`) and the CommonJS ones the CLI requires
 * (dist/bundle/index.cjs, bql/index.cjs) all re-export. So a class is one object whichever way it was loaded (an
 * `instanceof` across entries holds), and each entry exports exactly what its source entry does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as bqlSource from '../src/bql/index.js';
import * as indexSource from '../src/index.js';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const loader = require('../../../tools/load-bundle.cjs') as {
  loadBundle(file: string): unknown;
  createCache(file: string): Buffer;
  usesCache(file: string): boolean;
  PARAMS: string[];
};

// Run by plain Node (not the test runner's resolver), from inside the package: the package's own name resolves
// through its `exports`, as it does for a user.
const PROGRAM = `
import { createRequire } from 'node:module';
const esm = await import('ptnad-client');
const esmBql = await import('ptnad-client/bql');
const require = createRequire(import.meta.url);
const cjs = require('./dist/bundle/index.cjs');
const cjsBql = require('./dist/bundle/bql/index.cjs');
const same = (a, b) => Object.keys(a).every((k) => !(k in b) || a[k] === b[k]);
process.stdout.write(JSON.stringify({
  esm: Object.keys(esm).sort(),
  esmBql: Object.keys(esmBql).sort(),
  cjs: Object.keys(cjs).sort(),
  cjsBql: Object.keys(cjsBql).sort(),
  identical: same(esm, cjs) && same(esmBql, cjsBql) && same(esm, esmBql) && same(cjs, cjsBql),
  errorAcrossEntries: new esmBql.BqlSyntaxError('x', { line: 1, column: 1, offset: 0 }) instanceof cjs.PTNADError,
}));
`;

describe('built entries', () => {
  it('export what the sources export, and share one copy of every class', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROGRAM], { cwd: PKG, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    const runtimeNames = (m: object) => Object.keys(m).sort();
    expect(out.esm).toEqual(runtimeNames(indexSource));
    expect(out.cjs).toEqual(runtimeNames(indexSource));
    expect(out.esmBql).toEqual(runtimeNames(bqlSource));
    expect(out.cjsBql).toEqual(runtimeNames(bqlSource));
    expect(out.identical).toBe(true);
    expect(out.errorAcrossEntries).toBe(true);
  });

  it('the ES modules for bundlers (the `module` condition) export what the sources export, one class each', () => {
    const program =
      "const esm = await import('./dist/bundle/esm/index.js');\n" +
      "const esmBql = await import('./dist/bundle/esm/bql/index.js');\n" +
      'process.stdout.write(JSON.stringify({ names: Object.keys(esm).sort(), bqlNames: Object.keys(esmBql).sort(),\n' +
      '  shared: esmBql.BqlSyntaxError === esm.BqlSyntaxError && esmBql.parse === esm.parse }));';
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: PKG, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { names: string[]; bqlNames: string[]; shared: boolean };
    expect(out.names).toEqual(Object.keys(indexSource).sort());
    expect(out.bqlNames).toEqual(Object.keys(bqlSource).sort());
    expect(out.shared).toBe(true);
  });

  it('the ES module entries load sdk.cjs with the inlined loader: no other CommonJS file is read', () => {
    const program =
      "await import('ptnad-client'); await import('ptnad-client/bql');\n" +
      "const cache = process.getBuiltinModule('node:module').createRequire(import.meta.url).cache;\n" +
      'process.stdout.write(JSON.stringify(Object.keys(cache)));';
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: PKG, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([join(PKG, 'dist/bundle/sdk.cjs')]);
  });
});

describe('code cache loader (tools/load-bundle.cjs)', () => {
  it('the build writes caches that this Node accepts, for the SDK, the CLI and the emulator binary', () => {
    expect(loader.usesCache(join(PKG, 'dist/bundle/sdk.cjs'))).toBe(true);
    expect(loader.usesCache(join(PKG, '../cli/dist/bundle/ptnad.cjs'))).toBe(true);
    expect(loader.usesCache(join(PKG, '../emulator/dist/bundle/emulator.cjs'))).toBe(true);
  });

  it('never runs stale code: a bundle edited in place (same length) runs from its new text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptnad-cache-'));
    try {
      const file = join(dir, 'bundle.cjs');
      const before = "module.exports = { word: 'one' };\n";
      writeFileSync(file, before);
      const cache = loader.createCache(file);
      writeFileSync(`${file}.cache`, cache);
      expect(loader.usesCache(file)).toBe(true);
      writeFileSync(file, "module.exports = { word: 'two' };\n");
      // V8 alone would take the old data for the new text (it checks the length only) and run the old code:
      const stale = compileFunction("module.exports = { word: 'two' };\n", loader.PARAMS, {
        filename: file,
        // The cache file: header, a copy of the text, then V8's data.
        cachedData: cache.subarray(cache.indexOf(before) + before.length),
      });
      expect(stale.cachedDataRejected).toBe(false);
      const staleModule = { exports: {} as { word?: string } };
      stale(staleModule.exports, require, staleModule, file, dir, undefined);
      expect(staleModule.exports.word).toBe('one');
      // The loader compares the whole text with the copy in the cache file, and compiles the new text.
      expect(loader.usesCache(file)).toBe(false);
      const loaded = loader.loadBundle(file) as { word: string };
      expect(loaded.word).toBe('two');
      // One instance per process: a second load and a plain require() get the same object.
      expect(loader.loadBundle(file)).toBe(loaded);
      expect(require(file)).toBe(loaded);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a cache file cut short, in the copy or in V8 data, and compiles the text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptnad-cache-'));
    try {
      // Longer than the loader's 32 KB compare slice, so that the copy is read in several parts.
      const text = `module.exports = { word: 'three' };\n// ${'x'.repeat(80 * 1024)}\n`;
      for (const [where, keep] of [
        ['in the copy', 40 * 1024],
        ['in V8 data', text.length + 40],
      ] as const) {
        const file = join(dir, `bundle-${keep}.cjs`);
        writeFileSync(file, text);
        writeFileSync(`${file}.cache`, loader.createCache(file));
        expect(loader.usesCache(file)).toBe(true);
        truncateSync(`${file}.cache`, keep);
        expect(readFileSync(`${file}.cache`).length, where).toBe(keep);
        expect(loader.usesCache(file), where).toBe(false);
        expect((loader.loadBundle(file) as { word: string }).word, where).toBe('three');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
