/**
 * A Nagios/Icinga check written with the SDK, for when `ptnad status` is not enough: the same exit codes
 * (0 green, 1 yellow, 2 red, 3 unknown), plus performance data (problem counts and health triggers by colour),
 * which `ptnad status` does not print. Guide: docs/guide/monitoring.md.
 *
 * Run: `npx tsx examples/monitoring.ts` (in-process emulator), or with PTNAD_URL and credentials set (see
 * connect.ts). Pointed at PT NAD with PTNAD_URL it exits with the plugin code (a yellow appliance exits 1); the
 * demo against the in-process emulator says which code that would be and exits 0.
 */

import type { MonitoringStatus, Trigger } from 'ptnad-client';
import { connect } from './connect.js';

/** The monitoring-plugin code of a colour, as `ptnad status` maps it. */
const EXIT: Record<string, number> = { green: 0, yellow: 1, red: 2 };
const LABEL = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];

/** The plugin's output (first line, perfdata, one line per problem) and its exit code. */
export function pluginResult(status: MonitoringStatus, triggers: Trigger[]): { code: number; text: string } {
  const code = EXIT[status.status] ?? 3;
  const count = (colour: string) => triggers.filter((t) => t.status === colour).length;
  const perfdata = [
    `problems=${status.problems.length};;;0`,
    `triggers_red=${count('red')};;;0`,
    `triggers_yellow=${count('yellow')};;;0`,
    `triggers_total=${triggers.length};;;0`,
  ].join(' ');
  const head = `PT NAD ${LABEL[code]} - ${status.status}, ${status.problems.length} problem(s) | ${perfdata}`;
  // Long output: Nagios and Icinga show the lines after the first one in the service details.
  const lines = status.problems.map((p) => `[${p.status}] ${p.message}`);
  return { code, text: `${[head, ...lines].join('\n')}\n` };
}

async function main(): Promise<number> {
  const conn = await connect();
  try {
    const { client } = conn;
    // A deadline for the whole check, below the monitoring system's own plugin timeout.
    const signal = AbortSignal.timeout(50_000);
    const [status, triggers] = await Promise.all([
      client.monitoring.getStatus({ signal }),
      client.monitoring.getTriggers({ signal }),
    ]);
    const { code, text } = pluginResult(status, triggers);
    process.stdout.write(text);
    return code;
  } finally {
    await conn.close();
  }
}

main().then(
  (code) => {
    if (process.env.PTNAD_URL) process.exitCode = code;
    else process.stdout.write(`(a check run with PTNAD_URL set exits ${code}; this demo exits 0)\n`);
  },
  (err: unknown) => {
    // No answer is UNKNOWN, on stdout, where monitoring systems read the plugin's output.
    process.stdout.write(`PT NAD UNKNOWN - ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
