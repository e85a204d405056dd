// Loads one of this project's CommonJS bundles with the V8 code cache that the build wrote next to it (issue 13:
// most runs of the toolkit are short processes). Compiling a 240-320 KB bundle costs Node 20 about 9-13 ms of every
// start-up; deserialising its cache about 3 ms. (Node >= 22.1 has module.enableCompileCache() for this; Node 20
// does not.) tools/bundle.ts copies this file into each bundle directory as load.cjs.
//
// The cache file (`<bundle>.cache`) holds a header, a copy of the bundle's bytes and V8's data. V8 checks only the
// source's length before it trusts a cache, so the loader compares the whole bundle with the copy first: a bundle
// edited in place (same length or not) is compiled from its text, never run from stale code. Without a cache file,
// with a copy that differs, or when V8 rejects the data (another Node version, other V8 flags), the bundle is
// compiled from its text as Node would.
//
// The module is registered in require.cache under the bundle's path before it runs, exactly like Node's own loader
// does, so every later require() or load of the same file gets this one instance.
'use strict';
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { dirname } = require('node:path');
const vm = require('node:vm');

const MAGIC = Buffer.from('ptnad-code-cache-1\n', 'latin1');
// The parameters of Node's CommonJS wrapper, in its order, and one more: `__ptnadLoaderImport`, an import() made
// here. Code compiled by the vm module has no import() of its own unless given `importModuleDynamically`, whose only
// callback that needs no experimental flag prints an ExperimentalWarning on Node 20; the bundles call import()
// through `__ptnadImport` (tools/bundle.ts), which uses this one when it is there.
const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname', '__ptnadLoaderImport'];

/** V8's data for `source` out of the cache file, or undefined when there is none that fits. */
function cachedDataFor(file, source) {
  let cache;
  try {
    cache = readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
  const lengthAt = MAGIC.length;
  if (cache.length < lengthAt + 4 || !cache.subarray(0, lengthAt).equals(MAGIC)) return undefined;
  const length = cache.readUInt32LE(lengthAt);
  const copyAt = lengthAt + 4;
  if (length !== source.length || cache.length < copyAt + length) return undefined;
  if (!cache.subarray(copyAt, copyAt + length).equals(source)) return undefined;
  return cache.subarray(copyAt + length);
}

/**
 * The bundle as a function of the CommonJS wrapper's parameters (as Node's own loader compiles a module: no
 * wrapped copy of the text). With `produce`, the function carries V8's data for a cache in `cachedData`.
 */
function compile(file, source, cachedData, produce = false) {
  return vm.compileFunction(source.toString('latin1'), PARAMS, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
    produceCachedData: produce,
  });
}

/** Runs the bundle at the absolute path `file` (once per process) and returns its exports. */
function loadBundle(file) {
  const loaded = require.cache[file];
  if (loaded !== undefined) return loaded.exports;
  const source = readFileSync(file);
  const wrapper = compile(file, source, cachedDataFor(file, source));
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  require.cache[file] = mod;
  try {
    // A bare specifier resolves from this file as from the bundle: they are in the same directory.
    wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file), (id) => import(id));
  } catch (err) {
    delete require.cache[file];
    throw err;
  }
  mod.loaded = true;
  return mod.exports;
}

/** The cache file's bytes for the bundle at `file`: what the build writes to `<file>.cache`. */
function createCache(file) {
  const source = readFileSync(file);
  const data = compile(file, source, undefined, true).cachedData;
  if (!Buffer.isBuffer(data)) throw new Error(`no code cache produced for ${file}`);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(source.length);
  return Buffer.concat([MAGIC, length, source, data]);
}

/** True when loading `file` would use its cache: the copy matches and V8 accepts the data (for tests). */
function usesCache(file) {
  const source = readFileSync(file);
  const cachedData = cachedDataFor(file, source);
  return cachedData !== undefined && compile(file, source, cachedData).cachedDataRejected === false;
}

module.exports = { loadBundle, createCache, usesCache, PARAMS };
