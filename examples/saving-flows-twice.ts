/**
 * When `storage.saveFlows` reports `possibleDuplicates` (docs/guide/saving-flows.md): a run whose save request
 * reached the server but whose answer never came back (here the emulator resets the connection after the save
 * was taken), then the next run, which cannot know whether that request's task is still writing.
 *
 * Run: `npx tsx examples/saving-flows-twice.ts`. Always uses its own in-process emulator (the fault is part of
 * the demonstration), with a fixed dataset, so the numbers are always the same.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PTNADClient, type PTNADError } from 'ptnad-client';
import { startEmulator } from 'ptnad-emulator';

async function main(): Promise<void> {
  // The first save request is taken by the server, then its connection is reset before the answer.
  const emu = await startEmulator({
    flows: 5000,
    now: '2025-06-01T00:00:00Z',
    faults: 'reset@POST:/api/v2/sources/save:first=1:after',
  });
  const stateDir = await mkdtemp(join(tmpdir(), 'ptnad-saving-twice-'));
  const client = new PTNADClient(emu.url, {
    auth: { type: 'local', username: 'administrator', password: 'Administr@t0r' },
  });
  try {
    const params = {
      filter: "app_proto == 'dns'",
      persistIdx: 12,
      startTime: '2025-05-31T00:00:00Z',
      endTime: '2025-06-01T00:00:00Z',
      stateDir,
      pollMs: 0,
    };
    try {
      await client.storage.saveFlows(params);
    } catch (err) {
      process.stdout.write(`first run failed: ${(err as PTNADError).code}\n`);
    }
    const second = await client.storage.saveFlows(params);
    process.stdout.write(
      `second run: ${second.found} found, ${second.recovered} recovered from the target storage, ` +
        `${second.submitted.length} sent again, ${second.possibleDuplicates.length} possibly saved twice\n`,
    );
    const third = await client.storage.saveFlows(params);
    process.stdout.write(`third run: ${third.alreadySaved} of ${third.found} already saved, nothing sent\n`);
  } finally {
    await client.close();
    await emu.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`saving-flows-twice failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
