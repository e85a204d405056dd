/**
 * IOC feed into a dynamic reputation list (docs/guide/ioc-feeds.md): keeps the list equal to a feed (one
 * indicator per line, `#` comments), shows the dry run, the sync, the guard and the recovery from a partial
 * failure. `npx tsx examples/ioc-feeds.ts [feed-file]`: without a file it uses a generated demo feed of 2,500
 * addresses. Creates the list (external key `ioc-feed-ip`) when it does not exist yet.
 *
 * On the in-process emulator (PTNAD_URL unset) it makes 30% of the bulk requests fail for the first sync, to
 * show that the report lists the failed chunks and that simply running the sync again completes the job.
 */

import { readFile } from 'node:fs/promises';
import { SyncGuardError } from 'ptnad-client';
import { connect } from './connect.js';

const KEY = 'ioc-feed-ip';

async function loadFeed(file: string | undefined): Promise<string[]> {
  if (!file) return Array.from({ length: 2500 }, (_, i) => `198.18.${(i >> 8) & 255}.${i & 255}`);
  const text = await readFile(file, 'utf8');
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

async function main(): Promise<void> {
  const values = await loadFeed(process.argv[2]);
  const conn = await connect();
  try {
    const { client, emulator } = conn;
    process.stdout.write(`PT NAD: ${conn.target}\nFeed: ${values.length} indicators\n`);
    const existing = await client.replists.getLists({ search: KEY });
    if (!existing.some((l) => l.external_key === KEY)) {
      await client.replists.createList({
        name: KEY,
        type: 'ip',
        color: '7',
        externalKey: KEY,
        description: 'IOC feed',
      });
      process.stdout.write(`Created dynamic list ${KEY}\n`);
    }

    // The dry run: what a sync would change, and whether the guard would refuse.
    const plan = await client.replists.planDynamicListSync(KEY, values);
    process.stdout.write(`Plan: +${plan.toAdd.length} -${plan.toRemove.length} =${plan.unchanged}\n`);
    if (plan.refusal) throw plan.refusal;

    // Only on the emulator: make some bulk requests fail, as a flaky appliance or network would.
    const faults = emulator?.faults.add('503@POST:/api/v2/replists/dynamic/*/_bulk:p=0.3:seed=7');
    for (let run = 1; run <= 3; run++) {
      const report = await client.replists.syncDynamicList(KEY, values, { chunkSize: 250, concurrency: 4 });
      process.stdout.write(
        `Run ${run}: +${report.added} -${report.removed} =${report.unchanged}, failed chunks: ${report.failed.length}\n`,
      );
      for (const f of report.failed)
        process.stdout.write(`  ${f.action} chunk ${f.chunk} (${f.values.length} values): ${f.reason}\n`);
      for (const id of faults ?? []) emulator?.faults.remove(id);
      if (report.failed.length === 0 && run > 1) break;
    }

    // The guard: an empty feed (a failed download) is refused before anything changes.
    try {
      await client.replists.syncDynamicList(KEY, []);
    } catch (err) {
      if (!(err instanceof SyncGuardError)) throw err;
      process.stdout.write(`Guard: ${err.code}, would have removed ${err.wouldRemove} of ${err.current}\n`);
    }
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`ioc-feeds failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
