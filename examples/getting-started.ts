/**
 * The getting-started guide's first program: a BQL query built with the `bql` template, rows as objects, and the
 * monitoring status. `npx tsx examples/getting-started.ts` (in-process emulator unless PTNAD_URL is set; see
 * connect.ts for the variables).
 */

import { bql } from 'ptnad-client/bql';
import { connect } from './connect.js';

async function main(): Promise<void> {
  const conn = await connect();
  try {
    const { client } = conn;
    process.stdout.write(`PT NAD: ${conn.target}\n`);
    const port = 53; // a value from outside: the bql template quotes it, it never becomes query text
    const rows = await client.bql.query(
      bql`SELECT src.ip, dst.ip, app_proto FROM flow WHERE dst.port == ${port} LIMIT 3`,
    );
    for (const row of rows) process.stdout.write(`${row['src.ip']} -> ${row['dst.ip']} ${row.app_proto}\n`);
    const status = await client.monitoring.getStatus();
    process.stdout.write(`status: ${status.status}\n`);
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
