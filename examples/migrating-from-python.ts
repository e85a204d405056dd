/**
 * The Python client's usage notebook (`docs/en/usage_examples.ipynb` of Security-Experts-Community/ptnad-client),
 * ported step by step to the SDK as one program; docs/guide/migrating-from-python.md shows each step beside its
 * Python. Steps: log in, run the filter pack over the last three days, monitoring status and triggers, list and
 * search reputation lists, create/update/delete a list, signature classes and rules, save flows into a storage.
 *
 * Run: `npx tsx examples/migrating-from-python.ts` (in-process emulator). Against a real PT NAD (PTNAD_URL and
 * credentials, see connect.ts) it creates and deletes the list `test_list_01`, and saves flows only into the
 * storage named by PTNAD_SAVE_TARGET (the step is skipped without it).
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bql, parseFilter } from 'ptnad-client/bql';
import { connect } from './connect.js';

interface PackFilter {
  category: { en: string } | string;
  name: { en: string } | string;
  filter: string;
}

const en = (text: { en: string } | string) => (typeof text === 'string' ? text : text.en);

async function main(): Promise<void> {
  const conn = await connect();
  const { client } = conn;
  try {
    // Connecting (notebook: PTNADClient(...), set_auth(...), login()).
    await client.login();
    process.stdout.write(`Connected to ${conn.target}\n`);

    // BQL queries from the filter pack, grouped by category (notebook: filters.json, filters.compile, bql.execute).
    const packUrl = new URL('packs/public-examples.json', import.meta.resolve('ptnad-cli/package.json'));
    const pack = JSON.parse(await readFile(packUrl, 'utf8')) as PackFilter[];
    const end = new Date();
    const start = new Date(end.getTime() - 3 * 86_400_000);
    const byCategory = new Map<string, Array<[string, number]>>();
    for (const item of pack) {
      const compiled = await client.filters.compile(item.filter.trim());
      const query = bql`SELECT src.ip, dst.ip FROM flow WHERE start > ${start} AND end < ${end} AND ${parseFilter(compiled)}`;
      const rows = await client.bql.execute(query);
      const list = byCategory.get(en(item.category)) ?? [];
      list.push([en(item.name), rows.length]);
      byCategory.set(en(item.category), list);
    }
    for (const [category, hits] of byCategory) {
      process.stdout.write(`\nCategory: ${category}\n`);
      for (const [name, count] of hits) process.stdout.write(`  ${name}: ${count} row(s)\n`);
    }

    // Monitoring (notebook: MonitoringAPI(client).get_status(), get_triggers()).
    const status = await client.monitoring.getStatus();
    process.stdout.write(`\nStatus: ${status.status}\n`);
    for (const problem of status.problems) process.stdout.write(`  ${problem.message}\n`);
    const triggers = await client.monitoring.getTriggers();
    process.stdout.write(
      `Triggers: ${triggers.length}, not green: ${triggers.filter((t) => t.status !== 'green').length}\n`,
    );

    // Reputation lists (notebook: get_all_lists, get_lists(search="APT"), create/update/delete_list).
    const lists = await client.replists.getAllLists();
    process.stdout.write(`\nReputation lists: ${lists.length}\n`);
    for (const r of await client.replists.getLists({ search: 'APT' })) process.stdout.write(`  APT: ${r.name}\n`);
    const created = await client.replists.createList({
      name: 'test_list_01',
      type: 'ip',
      color: '1',
      description: 'Test list of IP addresses',
      content: ['1.1.1.1', '2.2.2.2'],
    });
    const updated = await client.replists.updateList(created.id, { description: 'Updated IP test list' });
    process.stdout.write(`  created ${created.name} (${created.id}), description now "${updated.description}"\n`);
    await client.replists.deleteList(created.id);
    process.stdout.write('  and deleted it\n');

    // Signatures (notebook: get_classes(), get_rules(search="ftp", cls="Network scan")).
    const classes = await client.signatures.getClasses();
    process.stdout.write(`\nRule classes: ${classes.length}\n`);
    for (const r of await client.signatures.getRules({ search: 'ftp', cls: 'Network scan' })) {
      process.stdout.write(`  Rule #${r.sid} - ${r.msg} (vendor ${String(r.vendor)}, enabled ${String(r.enabled)})\n`);
    }

    // Storage (notebook: storage.save_flows(nad_filter=..., persist_idx="12", delta_hours=5)).
    const target = process.env.PTNAD_URL ? process.env.PTNAD_SAVE_TARGET : '12';
    if (!target) {
      process.stdout.write('\nSaving flows skipped: set PTNAD_SAVE_TARGET to the storage to save into\n');
      return;
    }
    const stateDir = await mkdtemp(join(tmpdir(), 'storage_output-'));
    try {
      for (const filter of ["rpt.type == 'ms'", "files.filename ~ '*amd64.deb'"]) {
        const report = await client.storage.saveFlows({
          filter,
          persistIdx: target,
          deltaHours: 5,
          stateDir,
          pollMs: 500,
        });
        process.stdout.write(
          `\nSaved "${filter}": ${report.submitted.length} flow(s), ${report.state ?? 'nothing new'}`,
        );
      }
      process.stdout.write('\n');
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migrating-from-python failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
