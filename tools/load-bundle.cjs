// Loads one of this project's CommonJS bundles with the V8 code cache that the build wrote next to it (issue 13:
// most runs of the toolkit are short processes). Compiling a 240-320 KB bundle costs Node 20 about 9-13 ms of every
// start-up; deserialising its cache about 3 ms. (Node >= 22.1 has module.enableCompileCache() for this; Node 20
// does not.) tools/bundle.ts copies this file into each bundle directory as load.cjs, and inlines its text into
// ptnad-client's ES module entries (so that `import 'ptnad-client'` reads and compiles one file less): it must stay
// runnable both as a CommonJS module and as the body of a function of `module` alone, so it takes Node's built-in
// modules from process.getBuiltinModule() rather than from require().
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
const Module = process.getBuiltinModule('node:module');
const { closeSync, fstatSync, openSync, readFileSync, readSync } = process.getBuiltinModule('node:fs');
const { dirname } = process.getBuiltinModule('node:path');
const vm = process.getBuiltinModule('node:vm');

const MAGIC = Buffer.from('ptnad-code-cache-1\n', 'latin1');
// The parameters of Node's CommonJS wrapper, in its order, and one more: `__ptnadLoaderImport`, an import() made
// here. Code compiled by the vm module has no import() of its own unless given `importModuleDynamically`, whose only
// callback that needs no experimental flag prints an ExperimentalWarning on Node 20; the bundles call import()
// through `__ptnadImport` (tools/bundle.ts), which uses this one when it is there.
const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname', '__ptnadLoaderImport'];
// The copy is compared a slice at a time through one small buffer: reading the whole cache file at once would make
// the process touch (and the kernel zero) a fresh page for every 4 KB of the copy, which costs more than the reads.
const SLICE = 32 * 1024;

/** Reads exactly `length` bytes at `position` into `into`; false at a short read (a truncated file). */
function readFully(fd, into, length, position) {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) return false;
    done += n;
  }
  return true;
}

/** V8's data for `source` out of the cache file, or undefined when there is none that fits. */
function cachedDataFor(file, source) {
  let fd;
  try {
    fd = openSync(`${file}.cache`, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const copyAt = MAGIC.length + 4;
    const header = Buffer.allocUnsafe(copyAt);
    if (size < copyAt || !readFully(fd, header, copyAt, 0)) return undefined;
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const length = header.readUInt32LE(MAGIC.length);
    if (length !== source.length || size <= copyAt + length) return undefined;
    const slice = Buffer.allocUnsafe(Math.min(SLICE, length));
    for (let at = 0; at < length; at += slice.length) {
      const n = Math.min(slice.length, length - at);
      if (!readFully(fd, slice, n, copyAt + at) || slice.compare(source, at, at + n, 0, n) !== 0) return undefined;
    }
    const data = Buffer.allocUnsafe(size - copyAt - length);
    return readFully(fd, data, data.length, copyAt + length) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
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
  // A bare specifier resolves from the bundle's own directory; `.cache` is require.cache, shared by every require.
  const bundleRequire = Module.createRequire(file);
  const loaded = bundleRequire.cache[file];
  if (loaded !== undefined) return loaded.exports;
  const source = readFileSync(file);
  const wrapper = compile(file, source, cachedDataFor(file, source));
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  bundleRequire.cache[file] = mod;
  try {
    wrapper.call(mod.exports, mod.exports, bundleRequire, mod, file, dirname(file), (id) => import(id));
  } catch (err) {
    delete bundleRequire.cache[file];
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
