/**
 * Saving flows (sessions) into a saved storage and extracting a flow's files, as docs/guide/saving-flows.md
 * explains: `storage.saveFlows` twice (the second run finds everything already saved), `storage.getFlows` on
 * the target, then `files.extractToFile` for one flow that carried files.
 *
 * Run: `npx tsx examples/saving-flows.ts` (in-process emulator, target storage 12). Against a real PT NAD
 * (PTNAD_URL and credentials, see connect.ts) it writes into the storage named by PTNAD_SAVE_TARGET and refuses
 * to run without it. The record of saved flows and the ZIP go to a fresh temporary directory.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bql } from 'ptnad-client';
import { connect } from './connect.js';

const FILTER = "app_proto == 'dns'";

async function main(): Promise<void> {
  const target = process.env.PTNAD_URL ? process.env.PTNAD_SAVE_TARGET : '12';
  if (!target) throw new Error('set PTNAD_SAVE_TARGET to the id of the saved storage to write into');
  const conn = await connect();
  const work = await mkdtemp(join(tmpdir(), 'ptnad-saving-flows-'));
  try {
    const { client } = conn;
    process.stdout.write(`PT NAD: ${conn.target}\n`);

    const params = { filter: FILTER, persistIdx: target, deltaHours: 24, stateDir: work, pollMs: 500 };
    const first = await client.storage.saveFlows(params);
    process.stdout.write(
      `first run: ${first.found} found, ${first.alreadySaved} already saved, ${first.submitted.length} sent, ` +
        `task ${first.taskId ?? '-'} ${first.state ?? ''}\n`,
    );
    const again = await client.storage.saveFlows(params);
    process.stdout.write(`second run: ${again.found} found, ${again.alreadySaved} already saved, nothing sent\n`);

    const now = Date.now();
    const inTarget = await client.storage.getFlows({ start: now - 24 * 3_600_000, end: now }, target, FILTER);
    process.stdout.write(`storage ${target} now holds ${inTarget.length} flows of the filter in the window\n`);

    // Files: find a flow that carried some in the last week, then extract them into a ZIP.
    const weekAgo = new Date(now - 7 * 86_400_000);
    const [row] = await client.bql.query(
      bql`SELECT id, files.filename FROM flow WHERE end > ${weekAgo} AND has_files == true LIMIT 1`,
    );
    if (!row) {
      process.stdout.write('no flow with files in the last week\n');
      return;
    }
    const zip = join(work, `${String(row.id)}.zip`);
    const { bytes } = await client.files.extractToFile({ flowId: String(row.id), start: weekAgo, end: now }, zip, {
      pollMs: 500,
    });
    process.stdout.write(
      `files of flow ${String(row.id)} (${JSON.stringify(row['files.filename'])}): ${bytes} bytes\n`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
    await conn.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`saving-flows failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
