/**
 * Threat hunting with a pack (docs/guide/hunting.md): reads a pack in the format `ptnad hunt` reads (the Python
 * client's filters.json: `{"filters": [{ category?, name, filter }]}` or a bare array), checks each filter
 * offline, runs it over the last week, streams the matching sessions and prints a per-filter summary with the
 * busiest pair of hosts. `npx tsx examples/hunting.ts [pack.json]` (default: examples/hunting-pack.json; the
 * CLI's packs/public-examples.json works too). In-process emulator unless PTNAD_URL is set (see connect.ts).
 */

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bql, parseFilter } from 'ptnad-client/bql';
import { connect } from './connect.js';
import { formatTable } from './print-table.js';

type Text = string | { en?: string; ru?: string };
interface Entry {
  category?: Text;
  name: Text;
  filter: string;
}

const DEFAULT_PACK = fileURLToPath(new URL('./hunting-pack.json', import.meta.url));

function english(text: Text | undefined): string {
  return typeof text === 'string' ? text : (text?.en ?? text?.ru ?? '');
}

async function loadPack(file: string): Promise<Entry[]> {
  const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
  const entries = Array.isArray(raw) ? raw : (raw as { filters?: unknown }).filters;
  if (!Array.isArray(entries)) throw new Error(`${file}: expected {"filters": [...]} or an array`);
  return entries as Entry[];
}

async function main(): Promise<void> {
  const pack = await loadPack(process.argv[2] ?? DEFAULT_PACK);
  const conn = await connect();
  try {
    const { client } = conn;
    process.stdout.write(`PT NAD: ${conn.target}\n`);
    const since = new Date(Date.now() - 7 * 24 * 3600 * 1000);
    const summary: unknown[][] = [];
    for (const entry of pack) {
      const name = `${english(entry.category) || 'Uncategorised'} / ${english(entry.name)}`;
      const problems = client.bql.validate(entry.filter).filter((d) => d.severity === 'error');
      if (problems.length > 0) {
        summary.push([name, 'invalid', problems.map((p) => p.message.split('\n')[0]).join('; ')]);
        continue;
      }
      // The filter is combined as a syntax tree, never pasted into the text: it cannot escape its parentheses.
      const query = bql`SELECT src.ip, dst.ip FROM flow WHERE end > ${since} AND ${parseFilter(entry.filter)}`;
      const pairs = new Map<string, number>();
      let rows = 0;
      for await (const [src, dst] of client.bql.stream(query, { pageSize: 500 })) {
        rows++;
        const key = `${String(src)} -> ${String(dst)}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
        if (rows >= 20_000) break; // enough to rank talkers
      }
      const top = [...pairs.entries()].sort((a, b) => b[1] - a[1])[0];
      summary.push([name, rows, top ? `${top[0]} (${top[1]})` : '']);
    }
    process.stdout.write(`\n${formatTable(['hunt', 'flows', 'top pair'], summary)}\n`);
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`hunting failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
