#!/usr/bin/env node
// Thin launcher of the `ptnad` command. It is CommonJS (bin/package.json says so) because a CommonJS entry starts
// faster than an ES module one: Node 20 sets up its asynchronous ES module loader only for the latter, which costs
// about a tenth of a bare `node` start (issue 13). The entry itself is an ES module, loaded with require() (which
// Node >= 20.19 does synchronously for a module graph without top-level await), or with import() where require()
// of ES modules is turned off (`--no-experimental-require-module`).
// dist/bundle/bin.js is the code bundled into a few files, which starts faster; dist/bin.js is what tsc alone
// writes, used when the bundling step has not run. Both are built by `npm ci` via the root prepare script.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const bundled = join(__dirname, '..', 'dist', 'bundle', 'bin.js');
const entry = existsSync(bundled) ? bundled : join(__dirname, '..', 'dist', 'bin.js');
if (!existsSync(entry)) {
  process.stderr.write('ptnad: not built yet: run `npm run build` in the repository root first.\n');
  process.exit(2);
}
try {
  require(entry);
} catch (err) {
  const code = err && typeof err === 'object' ? err.code : undefined;
  if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
  import(pathToFileURL(entry).href);
}
