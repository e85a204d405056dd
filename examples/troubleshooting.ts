/**
 * Handling SDK errors by their stable `code`: what to retry, what to report, what to fix. Provokes a few failures
 * on purpose and prints how a scheduled job would treat each. `npx tsx examples/troubleshooting.ts`
 * (in-process emulator unless PTNAD_URL is set; see connect.ts).
 */

import { type ErrorCode, PTNADError } from 'ptnad-client';
import { connect } from './connect.js';

/** What a scheduled job should do about a failure, by code. */
function advice(code: ErrorCode): string {
  switch (code) {
    case 'connection':
    case 'timeout':
    case 'rate_limit':
    case 'server_error':
      return 'transient: retry the run later';
    case 'authentication':
    case 'permission_denied':
      return 'credentials: fix the account, do not retry';
    case 'bql_syntax':
    case 'bql_query':
    case 'validation':
      return 'input: fix the query or the arguments';
    case 'sync_guard':
      return 'feed: check the download before forcing the sync';
    default:
      return 'report it with err.operation and err.message';
  }
}

async function main(): Promise<void> {
  const conn = await connect();
  const { client } = conn;
  const attempts: Record<string, () => Promise<unknown>> = {
    'get a rule that does not exist': () => client.signatures.getRule(999999999),
    'run a query that does not parse': () => client.bql.query('SELECT src.ip FROM flow WHERE'),
    'query a field the server does not know': () =>
      client.bql.execute('SELECT src.ip FROM flow WHERE nosuch.field == 1'),
    'create a list with an empty name': () => client.replists.createList({ name: '', type: 'ip', color: 7 }),
  };
  try {
    process.stdout.write(`PT NAD: ${conn.target}\n`);
    for (const [what, call] of Object.entries(attempts)) {
      try {
        await call();
        process.stdout.write(`${what}: succeeded\n`);
      } catch (err) {
        if (!(err instanceof PTNADError)) throw err;
        process.stdout.write(`${what}: ${err.name} (${err.code}) -> ${advice(err.code)}\n`);
      }
    }
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
