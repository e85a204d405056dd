/**
 * The main job (`npm start`): log in, run the README's usage query and three hunting filters as BQL, print the
 * rows as tables, and print the monitoring status. Uses an in-process emulator unless PTNAD_URL is set.
 */

import { bql, parseFilter } from 'ptnad-client/bql';
import { connect } from './connect.js';
import { printQueryTable } from './print-table.js';

/** `YYYY.MM.DD` of a day, the date-literal form of the README query. */
function dateLiteral(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}.${p(d.getUTCMonth() + 1)}.${p(d.getUTCDate())}`;
}

const HUNTS: Array<[string, string]> = [
  ['HTTP POST requests answered 200', 'http(rqs.method==POST && rsp.code==200)'],
  ['TLS on a non-standard port to outside', "app_proto == 'tls' && dst.port != 443 && dst.groups != 'HOME_NET'"],
  ['Connections to hosting providers', "dst.geo.org == 'DigitalOcean, LLC' || dst.geo.org == 'Amazon.com, Inc.'"],
];

async function main(): Promise<void> {
  const conn = await connect();
  try {
    const { client } = conn;
    process.stdout.write(`PT NAD: ${conn.target}\n`);
    await client.login();
    process.stdout.write('Logged in.\n');

    // A day inside the dataset: the emulator's flows span the 7 days before now; a live NAD has yesterday too.
    const since = dateLiteral(new Date(Date.now() - 24 * 3600 * 1000));
    const usage = `SELECT src.ip, dst.ip, proto FROM flow WHERE end > ${since} LIMIT 10`;
    printQueryTable('Usage query (README)', usage, await client.bql.execute(usage));

    const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000);
    for (const [title, filter] of HUNTS) {
      // The filter is parsed and embedded as a structure, so its text cannot change the statement around it.
      const query = bql`SELECT start, src.ip, dst.ip, dst.port, app_proto FROM flow WHERE end > ${weekAgo} AND ${parseFilter(filter)} LIMIT 10`;
      printQueryTable(`Hunt: ${title}`, query.text, await client.bql.execute(query));
    }

    const status = await client.monitoring.getStatus();
    process.stdout.write(`\nMonitoring status: ${status.status}\n`);
    for (const p of status.problems) process.stdout.write(`  [${p.status}] ${p.message}\n`);
    if (status.problems.length === 0) process.stdout.write('  no problems reported\n');
    await client.logout();
  } finally {
    await conn.close();
  }
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (err: unknown) => {
    process.stderr.write(`quickstart failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
