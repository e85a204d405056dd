/**
 * IOC feed sync: keeps a dynamic reputation list equal to a feed (one indicator per line, `#` comments).
 * `npx tsx examples/ioc-feed-sync.ts [feed-file]`: without a file it uses a generated demo feed. Creates the
 * list (external key `ioc-feed-ip`) when it does not exist yet. Re-running it changes nothing.
 */

import { readFile } from 'node:fs/promises';
import { connect } from './connect.js';

const KEY = 'ioc-feed-ip';

async function loadFeed(file: string | undefined): Promise<string[]> {
  if (!file) return Array.from({ length: 2500 }, (_, i) => `198.18.${(i >> 8) & 255}.${i & 255}`);
  const text = await readFile(file, 'utf8');
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

async function main(): Promise<void> {
  const values = await loadFeed(process.argv[2]);
  const conn = await connect();
  try {
    const { client } = conn;
    process.stdout.write(`PT NAD: ${conn.target}\nFeed: ${values.length} indicators\n`);
    const existing = await client.replists.getLists({ search: KEY });
    if (!existing.results.some((l) => l.external_key === KEY)) {
      await client.replists.createList({
        name: KEY,
        type: 'ip',
        color: '7',
        externalKey: KEY,
        description: 'IOC feed',
      });
      process.stdout.write(`Created dynamic list ${KEY}\n`);
    }
    for (let run = 1; run <= 2; run++) {
      const report = await client.replists.syncDynamicList(KEY, values, { chunkSize: 1000, concurrency: 4 });
      process.stdout.write(
        `Run ${run}: +${report.added} -${report.removed} =${report.unchanged}, failed chunks: ${report.failed.length}\n`,
      );
      for (const f of report.failed) process.stdout.write(`  ${f.action} chunk ${f.chunk}: ${f.reason}\n`);
    }
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`ioc-feed-sync failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
