/**
 * `ptnad demo`: what `npm start` does: an in-process emulator (or --url), a login, the usage query, three
 * hunting filters and the status.
 */

import type { Command } from 'commander';
import { handler, type Runner } from '../action.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { EMULATOR_MISSING_HINT } from './emulator.js';

/** Declares `ptnad demo`. */
export function register(program: Command, runner: Runner): void {
  program.command('demo').action(handler(runner, demo));
}

function dateLiteral(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}.${p(d.getUTCMonth() + 1)}.${p(d.getUTCDate())}`;
}

const DEMO_HUNTS: ReadonlyArray<[string, string]> = [
  ['HTTP POST requests answered 200', 'http(rqs.method==POST && rsp.code==200)'],
  ['TLS to the outside on a non-standard port', "app_proto == 'tls' && dst.port != 443 && dst.groups != 'HOME_NET'"],
  ['Connections to hosting providers', "dst.geo.org == 'DigitalOcean, LLC' || dst.geo.org == 'Amazon.com, Inc.'"],
];

/** `ptnad demo`: against --url/PTNAD_URL when given, else against an emulator started in this process. */
export async function demo(ctx: Context): Promise<number> {
  const heading = (text: string) => {
    if (ctx.format === 'table') ctx.out.write(`\n== ${text}\n`);
    else ctx.info(`== ${text}`);
  };
  let stop: (() => Promise<void>) | undefined;
  let client: Awaited<ReturnType<Context['client']>>;
  if (ctx.flags.url || ctx.env.PTNAD_URL) {
    client = await ctx.client();
  } else {
    const emulatorModule = import('ptnad-emulator').catch((err: unknown) => {
      const code = (err as { code?: unknown }).code;
      if (code === 'ERR_MODULE_NOT_FOUND') {
        throw new UsageError(
          'ptnad-emulator is not installed (or pass --url to run the demo against a server)',
          EMULATOR_MISSING_HINT,
        );
      }
      throw err;
    });
    const [{ startEmulator }, { PTNADClient }] = await Promise.all([emulatorModule, import('ptnad-client')]);
    ctx.info('ptnad: starting an emulator in this process (20,000 synthetic flows)...');
    const emu = await startEmulator({ port: 0 });
    stop = () => emu.close();
    const admin = emu.credentials.users.find((u) => u.role === 'admin' && u.source === 'local');
    if (!admin) throw new UsageError('the emulator has no local admin account');
    client = new PTNADClient(emu.url, { auth: { type: 'local', username: admin.username, password: admin.password } });
    ctx.info(`ptnad: emulator at ${emu.url}, user ${admin.username}`);
  }
  try {
    const kit = await import('ptnad-client/bql');
    await client.login({ signal: ctx.signal });
    const since = dateLiteral(new Date(Date.now() - 24 * 3600 * 1000));
    const usage = `SELECT src.ip, dst.ip, proto FROM flow WHERE end > ${since} LIMIT 10`;
    heading(`Usage query: ${usage}`);
    ctx.records(await client.bql.query(usage, { signal: ctx.signal }), { columns: kit.columnsOf(usage).map(String) });
    for (const [title, filter] of DEMO_HUNTS) {
      const query = kit.bql`SELECT start, src.ip, dst.ip, dst.port, app_proto FROM flow WHERE end > ${new Date(
        Date.now() - 7 * 24 * 3600 * 1000,
      )} AND (${kit.parseFilter(filter)}) LIMIT 10`;
      heading(`Hunt: ${title}: ${filter}`);
      ctx.records(await client.bql.query(query, { signal: ctx.signal }), {
        columns: kit.columnsOf(query).map(String),
      });
    }
    const status = await client.monitoring.getStatus({ signal: ctx.signal });
    heading(`Monitoring status: ${status.status}`);
    ctx.records(
      status.problems.map((p) => ({ status: p.status, message: p.message })),
      { columns: ['status', 'message'] },
    );
    return EXIT.ok;
  } finally {
    if (stop) {
      await client.close();
      await stop();
    }
  }
}
