/**
 * Dataset build cost as a user sees it: the emulator binary started in a child process with `--flows N`, timed from
 * spawn to its first answer (its "listening" line comes before the dataset is built; see emulator-process.ts), and
 * its peak resident memory (VmHWM from /proc, Linux) at that moment. Goals
 * (issue 15): the 1,000,000-flow dataset built in <= 10 s and <= 1 GB; the default 20,000-flow emulator listening
 * in <= 0.6 s and <= 200 MB. Run alone with `npx tsx bench/emulator-build.ts [flows...]`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnEmulator } from './emulator-process.js';
import type { BenchRow } from './run.js';

/** What starting an emulator with `flows` flows cost, measured at its first answer. */
export type BuildCost = {
  flows: number;
  /** Wall time from spawn to the first answer (the dataset is built by then). */
  listenMs: number;
  /** Peak resident memory of the child (VmHWM). */
  peakRssMB: number;
  /**
   * CPU time (user + system, all threads, GC helpers included) the child used until then: on a shared, busy
   * machine wall time includes waiting for a core, CPU time shows the work itself.
   */
  cpuMs: number;
};

/** Time to the first answer, CPU time and peak RSS of an emulator started with `flows` flows. */
export async function buildCost(flows: number): Promise<BuildCost> {
  const t0 = performance.now();
  const emu = await spawnEmulator(['--flows', String(flows), '--seed', '5', '--now', '2025-06-01T00:00:00Z']);
  const listenMs = Math.round(performance.now() - t0);
  let peakRssMB = Number.NaN;
  let cpuMs = Number.NaN;
  try {
    const status = readFileSync(`/proc/${emu.child.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    peakRssMB = Math.round(kb / 1024);
    // Fields 14 and 15 of /proc/PID/stat (after the parenthesised command name): utime and stime in clock ticks
    // (100 per second on Linux).
    const stat = readFileSync(`/proc/${emu.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    // Not Linux: no /proc; the row says NaN.
  }
  await emu.stop();
  return { flows, listenMs, peakRssMB, cpuMs };
}

/** Rows for `npm run bench`. */
export async function emulatorBuildRows(): Promise<BenchRow[]> {
  const small = await buildCost(20_000);
  const big = await buildCost(1_000_000);
  return [
    {
      case: 'Emulator start-up, default dataset (20,000 flows): spawn to listening',
      figure: `${small.listenMs} ms, peak RSS ${small.peakRssMB} MB`,
      goal: '<= 600 ms, <= 200 MB',
      met: small.listenMs <= 600 && small.peakRssMB <= 200,
      details: { ...small },
    },
    {
      case: 'Emulator start-up, 1,000,000 flows: spawn to listening',
      figure: `${(big.listenMs / 1000).toFixed(1)} s (CPU ${(big.cpuMs / 1000).toFixed(1)} s), peak RSS ${big.peakRssMB} MB`,
      goal: '<= 10 s, <= 1,024 MB',
      met: big.listenMs <= 10_000 && big.peakRssMB <= 1024,
      details: { ...big },
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const counts = process.argv.slice(2).map(Number);
  for (const n of counts.length > 0 ? counts : [20_000, 1_000_000]) {
    process.stdout.write(`${JSON.stringify(await buildCost(n))}\n`);
  }
}
