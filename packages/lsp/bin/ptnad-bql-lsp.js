#!/usr/bin/env node
// Thin launcher: the real entry point is compiled TypeScript in dist/ (built by `npm ci` via the root prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('ptnad-bql-lsp: not built yet: run `npm run build` in the repository root first.\n');
  process.exit(2);
}
await import(entry.href);
