/**
 * `npm run bench`: runs every benchmark against emulators started on 127.0.0.1, then writes bench/results.json and
 * bench/results.md. Each figure is a ratio measured in the same run, or a count: absolute times on shared machines
 * are noisy, so goals are stated as ratios and budgets that survive that noise.
 *
 * Usage: npm run bench [-- --only parser,emulator,dataset,sdk,stream,sync,coldstart,rotation,hostile,index,bql-types,lsp,watch,state,sessions]
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';

/** One row of the results table. */
export interface BenchRow {
  case: string;
  figure: string;
  goal: string;
  met: boolean | null;
  details?: Record<string, unknown>;
}

type Suite = { name: string; run: () => Promise<BenchRow[]> };

const suites: Suite[] = [
  { name: 'parser', run: async () => (await import('./parser-rows.js')).parserRows() },
  { name: 'emulator', run: async () => (await import('./emulator-rows.js')).emulatorRows() },
  { name: 'dataset', run: async () => (await import('./emulator-build.js')).emulatorBuildRows() },
  { name: 'sdk', run: async () => (await import('./sdk-overhead.js')).sdkOverheadRows() },
  { name: 'stream', run: async () => (await import('./stream-export.js')).streamExportRows() },
  { name: 'sync', run: async () => (await import('./ioc-sync.js')).iocSyncRows() },
  { name: 'coldstart', run: async () => (await import('./cold-start.js')).coldStartRows() },
  { name: 'rotation', run: async () => (await import('./redactor-rotation.js')).rotationRows() },
  { name: 'hostile', run: async () => (await import('./status-under-load.js')).statusUnderLoadRows() },
  { name: 'index', run: async () => (await import('./flow-index.js')).flowIndexRows() },
  { name: 'bql-types', run: async () => (await import('./bql-types.js')).bqlTypesRows() },
  { name: 'lsp', run: async () => (await import('./bql-lsp.js')).bqlLspRows() },
  { name: 'watch', run: async () => (await import('./watch-latency.js')).watchRows() },
  { name: 'state', run: async () => (await import('./state-journal.js')).stateJournalRows() },
  { name: 'sessions', run: async () => (await import('./sessions.js')).sessionRows() },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const only = values.only ? new Set(values.only.split(',')) : null;
  const started = Date.now();
  const rows: BenchRow[] = [];
  for (const suite of suites) {
    if (only && !only.has(suite.name)) continue;
    process.stderr.write(`bench: ${suite.name} ...\n`);
    const t0 = Date.now();
    try {
      rows.push(...(await suite.run()));
    } catch (err) {
      rows.push({ case: suite.name, figure: `failed: ${(err as Error).message}`, goal: '-', met: false });
    }
    process.stderr.write(`bench: ${suite.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemGiB: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ machine, rows }, null, 2)}\n`);
  const md = renderMarkdown(machine, rows);
  writeFileSync(new URL('./results.md', import.meta.url), md);
  process.stdout.write(md);
  if (rows.some((r) => r.met === false)) process.exitCode = 1;
}

function renderMarkdown(machine: Record<string, unknown>, rows: BenchRow[]): string {
  const lines = [
    `Node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.totalMemGiB} GiB, ${machine.date}, ${machine.seconds} s`,
    '',
    '| case | figure | goal | met |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.case} | ${r.figure} | ${r.goal} | ${r.met === null ? '-' : r.met ? 'yes' : 'NO'} |`),
    '',
  ];
  return lines.join('\n');
}

await main();
