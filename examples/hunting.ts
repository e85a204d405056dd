/**
 * Threat hunting with the README's filters: validates each filter offline, runs it as BQL over the last week,
 * streams the matches page by page, and prints a per-hunt summary. `npx tsx examples/hunting.ts`
 * (in-process emulator unless PTNAD_URL is set; see quickstart.ts for the environment variables).
 */

import { bql, parseFilter } from 'ptnad-client/bql';
import { connect } from './connect.js';
import { formatTable } from './print-table.js';

const HUNTS: Record<string, string> = {
  'Outdated protocol: Telnet': "app_proto == 'telnet'",
  'DNS on port 53 that is not DNS':
    "dst.port == 53 && app_proto != 'dns' && (flags == 'FINISHED' && !(flags == 'MISSED_START' || flags == 'MISSED_END')) && pkts.recv > 0",
  'Remote access tools': 'app_service in [ "Anydesk", "Teamviewer", "RMS", "AmmyyAdmin", "Radmin", "RustDesk"]',
  'Mail without STARTTLS to outside':
    "(app_proto == 'smtp' || app_proto == 'pop3' || app_proto == 'imap') && !(smtp.rqs.cmd.name == 'STARTTLS' || pop3.rqs.cmd.name == 'STLS' || imap.rqs.cmd.name == 'STARTTLS') && dst.groups != 'HOME_NET'",
  'Connections to Telegram API': 'tls.server_name == "api.telegram.org"',
};

async function main(): Promise<void> {
  const conn = await connect();
  try {
    const { client } = conn;
    process.stdout.write(`PT NAD: ${conn.target}\n`);
    const since = new Date(Date.now() - 7 * 24 * 3600 * 1000);
    const summary: unknown[][] = [];
    for (const [name, filter] of Object.entries(HUNTS)) {
      const problems = client.bql.validate(filter).filter((d) => d.severity === 'error');
      if (problems.length > 0) {
        summary.push([name, 'invalid', problems.map((p) => p.message).join('; ')]);
        continue;
      }
      const query = bql`SELECT src.ip, dst.ip FROM flow WHERE end > ${since} AND ${parseFilter(filter)}`;
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
