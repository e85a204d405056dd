/**
 * Signatures (docs/guide/signatures.md): find rules, switch one off, commit, roll back a change, and read a
 * failed commit. `npx tsx examples/signatures.ts [sid]` (default 2007802, "ET SCAN Grim's Ping ftp scanning
 * tool"). In-process emulator unless PTNAD_URL is set (see connect.ts).
 *
 * Against a real PT NAD this changes the rule and commits: it restores the rule's state at the end, but every
 * commit pushes a rule package to the sensors, so try it on a lab appliance.
 */

import { CommitError } from 'ptnad-client';
import { connect } from './connect.js';

async function main(): Promise<void> {
  const sid = Number(process.argv[2] ?? 2007802);
  const conn = await connect();
  try {
    const { client } = conn;
    process.stdout.write(`PT NAD: ${conn.target}\n`);

    // Find: full-text search, and every rule of a class through all pages.
    const page = await client.signatures.getRules({ search: 'scan', limit: 5 });
    process.stdout.write(`Rules matching "scan": ${page.count}; first ${page.length}:\n`);
    for (const r of page) process.stdout.write(`  ${r.sid}  ${r.enabled ? 'on ' : 'off'}  ${r.msg ?? ''}\n`);
    let scanRules = 0;
    for await (const _ of client.signatures.getRules({ cls: 'Network scan' })) scanRules++;
    process.stdout.write(`Rules of class "Network scan": ${scanRules}\n`);

    // Switch and commit.
    const before = await client.signatures.getRule(sid);
    process.stdout.write(`Rule ${sid} is ${before.enabled ? 'enabled' : 'disabled'}: ${before.msg ?? ''}\n`);
    await client.signatures.updateRule(sid, { enabled: !before.enabled });
    const stats = await client.signatures.getStats();
    process.stdout.write(`Pending changes: ${String(stats.pending_changes ?? '(not reported)')}\n`);
    const { hashsum } = await client.signatures.applyChanges();
    process.stdout.write(`Committed; rule package ${hashsum.slice(0, 12)}...\n`);

    // Change it back, but roll back instead of committing: the committed state stays.
    await client.signatures.updateRule(sid, { enabled: before.enabled ?? true });
    await client.signatures.revertChanges();
    process.stdout.write(
      `After rollback rule ${sid} is ${(await client.signatures.getRule(sid)).enabled ? 'enabled' : 'disabled'}\n`,
    );

    // A failed commit: an invalid port group makes the whole commit fail, nothing is applied.
    const group = await client.variables.createGroup({ name: 'EXAMPLE_BAD_PORTS', type: 'port', value: '[80, 70000]' });
    try {
      await client.signatures.applyChanges();
      process.stdout.write('The commit unexpectedly succeeded\n');
    } catch (err) {
      if (!(err instanceof CommitError)) throw err;
      process.stdout.write(`Commit failed (${err.code}, HTTP ${err.status}): ${err.fatalError ?? ''}\n`);
      for (const other of err.otherErrors) process.stdout.write(`  also: ${other}\n`);
    }
    await client.signatures.revertChanges();
    process.stdout.write(`Rolled back the bad group ${group.name}\n`);

    // Restore the rule as it was before the example.
    await client.signatures.updateRule(sid, { enabled: before.enabled ?? true });
    await client.signatures.applyChanges();
    process.stdout.write(`Restored rule ${sid} and committed\n`);
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`signatures failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
