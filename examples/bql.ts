/**
 * BQL (docs/guide/bql.md): a query with rows as objects, the offline toolkit (parse, validate, format), a query
 * built safely from an untrusted value, typed rows, streaming a large result, and reading BQL errors.
 * `npx tsx examples/bql.ts [indicator]` (default a URL with a quote in it). In-process emulator unless
 * PTNAD_URL is set (see connect.ts).
 */

import { BqlError } from 'ptnad-client';
import { bql, format, parse, validate } from 'ptnad-client/bql';
import { connect } from './connect.js';
import { formatTable } from './print-table.js';

async function main(): Promise<void> {
  const indicator = process.argv[2] ?? "http://evil.example/a?b'#c";
  const conn = await connect();
  try {
    const { client } = conn;
    process.stdout.write(`PT NAD: ${conn.target}\n\n`);

    // Rows as objects, typed from the query text (rows[0]?.port is number | null).
    const rows = await client.bql.query(
      "SELECT src.ip, dst.ip, dst.port port FROM flow WHERE app_proto == 'telnet' ORDER BY end desc LIMIT 5",
    );
    process.stdout.write(
      `Newest Telnet sessions:\n${formatTable(
        ['src.ip', 'dst.ip', 'port'],
        rows.map((r) => [r['src.ip'], r['dst.ip'], r.port]),
      )}\n\n`,
    );

    // The offline toolkit: canonical text and diagnostics, no request.
    const draft = "select src.ip from flow where dst.prot==80&&app_proto=='htttp' limit 5";
    process.stdout.write(`Formatted: ${format(parse(draft))}\n`);
    for (const d of validate(parse(draft))) process.stdout.write(`  ${d.severity}: ${d.message}\n`);

    // An untrusted value becomes exactly one literal.
    const q = bql`SELECT src.ip, dst.ip FROM flow WHERE http.rqs.url == ${indicator} LIMIT 10`;
    process.stdout.write(`\nBuilt: ${q.text}\nMatches: ${(await client.bql.query(q)).length}\n`);

    // Stream every DNS session, page by page, and count the clients.
    const clients = new Set<string>();
    let n = 0;
    for await (const [src] of client.bql.stream("SELECT src.ip FROM flow WHERE app_proto == 'dns'", {
      pageSize: 1000,
    })) {
      clients.add(String(src));
      n++;
    }
    process.stdout.write(`\nStreamed ${n} DNS sessions from ${clients.size} clients\n`);

    // Errors: offline syntax errors and server rejections are both a BqlError with a position.
    for (const bad of [
      'SELECT src.ip FROM flow WHERE dst.port == 80 &&',
      'SELECT src.ip FROM flow WHERE dst.port == "x"',
    ]) {
      try {
        await client.bql.query(bad);
      } catch (err) {
        if (!(err instanceof BqlError)) throw err;
        process.stdout.write(`\n${err.code} at line ${err.line}, column ${err.column}: ${err.reason.split('\n')[0]}\n`);
      }
    }
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bql example failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
