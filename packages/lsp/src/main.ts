/**
 * The `ptnad-bql-lsp` process: a BQL language server on stdin/stdout. Editors start it with `--stdio`
 * (accepted and ignored: stdio is the only transport). `--version` prints the version.
 */

import { readFileSync } from 'node:fs';
import { startStdioServer } from './server.js';

const args = process.argv.slice(2);
if (args.includes('--version')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`ptnad-bql-lsp ${pkg.version}\n`);
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('Usage: ptnad-bql-lsp [--stdio]\nA BQL language server speaking LSP on stdin/stdout.\n');
} else {
  startStdioServer();
}
