#!/usr/bin/env node
// Thin launcher: the real entry point is compiled TypeScript in dist/ (built by `npm ci` via the root prepare script).
// dist/bundle/bin.js is the same code bundled into one file, which starts faster (issue 13); dist/bin.js is what
// tsc alone writes, used when the bundling step has not run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundled = new URL('../dist/bundle/bin.js', import.meta.url);
const entry = existsSync(fileURLToPath(bundled)) ? bundled : new URL('../dist/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('ptnad-emulator: not built yet: run `npm run build` in the repository root first.\n');
  process.exit(2);
}
await import(entry.href);
