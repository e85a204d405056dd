#!/usr/bin/env node
// Thin launcher of the `ptnad-emulator` command. It is CommonJS (bin/package.json says so): Node 20 sets up its
// asynchronous ES module loader only for an ES module entry, which costs about a tenth of a bare `node` start
// (issue 13). It runs dist/bundle/emulator.cjs, the binary bundled into one CommonJS file and loaded with the code
// cache the build wrote next to it (see tools/bundle.ts and load.cjs), or, when the bundling step has not run,
// dist/bin.js, the ES modules tsc writes. Both are built by `npm ci` via the root prepare script.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const bundled = join(dist, 'bundle', 'emulator.cjs');
if (existsSync(bundled)) {
  require(join(dist, 'bundle', 'load.cjs')).loadBundle(bundled);
} else if (existsSync(join(dist, 'bin.js'))) {
  import(require('node:url').pathToFileURL(join(dist, 'bin.js')).href);
} else {
  process.stderr.write('ptnad-emulator: not built yet: run `npm run build` in the repository root first.\n');
  process.exitCode = 2;
}
