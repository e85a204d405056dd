/**
 * Emulator rows for `npm run bench`: BQL scan throughput for a simple and a complex filter over the default
 * dataset (20,000 flows) and a large one (200,000), and the default dataset's generation time and memory, all
 * measured by {@link benchEmulator} (bench/emulator.ts). Goal: >= 1,000,000 flows/s for the simple filter.
 */
import { benchEmulator } from './emulator.js';
import type { BenchRow } from './run.js';
import { count } from './stats.js';

const GOAL = 1_000_000;

/** A figure of the result, or NaN when the emulator bench did not report it. */
function figure(r: Record<string, number>, key: string): number {
  return r[key] ?? Number.NaN;
}

/** Rows for `npm run bench`. */
export async function emulatorRows(): Promise<BenchRow[]> {
  const r = await benchEmulator();
  const rate = (key: string) => `${count(figure(r, key))} flows/s`;
  const simple = figure(r, 'defaultSimpleFlowsPerSec');
  const largeSimple = figure(r, 'largeSimpleFlowsPerSec');
  return [
    {
      case: `Emulator BQL scan, simple filter (${count(figure(r, 'defaultFlows'))} flows)`,
      figure: `${rate('defaultSimpleFlowsPerSec')} (${count(figure(r, 'largeFlows'))} flows: ${rate('largeSimpleFlowsPerSec')})`,
      goal: '>= 1,000,000 flows/s',
      met: simple >= GOAL && largeSimple >= GOAL,
      details: r,
    },
    {
      case: `Emulator BQL scan, complex hunting filter (${count(figure(r, 'defaultFlows'))} flows)`,
      figure: `${rate('defaultComplexFlowsPerSec')} (${count(figure(r, 'largeFlows'))} flows: ${rate('largeComplexFlowsPerSec')})`,
      goal: 'reported (no goal)',
      met: null,
    },
    {
      case: 'Emulator default dataset: generation and memory',
      figure: `${count(figure(r, 'defaultGenerateMs'))} ms, heap +${figure(r, 'defaultHeapMB')} MB, RSS ${figure(r, 'defaultRssMB')} MB`,
      goal: '< 200 MB',
      met: figure(r, 'defaultRssMB') < 200,
    },
  ];
}
