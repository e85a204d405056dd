import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the packages' sources; the CLI child-process tests use the built dist/ instead.
    alias: [
      { find: /^ptnad-client\/bql$/, replacement: src('./packages/client/src/bql/index.ts') },
      { find: /^ptnad-client$/, replacement: src('./packages/client/src/index.ts') },
      { find: /^ptnad-emulator$/, replacement: src('./packages/emulator/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', './tools/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
