/**
 * `ptnad watch` end to end: the emulator runs here in live mode, ticked from the wall clock, and records when each
 * flow became visible; the real watcher (`ptnad watch flows --sink stdout`, built CLI, a child process) reads it
 * over HTTP; each line it prints is timed on arrival. Latency = arrival - appearance, p50 and p99, at 100 and
 * 2,000 flows/s (10 s of traffic each, then up to 2 minutes for the stragglers; poll interval 200 ms, the rest
 * defaults). Without a time index in the emulator every request scans all flows, so at 2,000 flows/s the
 * emulator, not the watcher, sets the pace.
 * Memory: the same watcher with a file sink and a state file follows one hour of emulator time (10 flows/s,
 * played 60x faster than the wall clock); its RSS is read from /proc after the first simulated minute and once it
 * has delivered the whole hour. Goal: every flow delivered, RSS flat (end <= 1.25x) and < 150 MB.
 * Run alone with `npx tsx bench/watch-latency.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import type { BenchRow } from './run.js';
import { count, mib } from './stats.js';

const CLI = fileURLToPath(new URL('../packages/cli/bin/ptnad.js', import.meta.url));

function watcher(emu: Emulator, args: string[]): ChildProcess {
  const home = mkdtempSync(join(tmpdir(), 'ptnad-bench-watch-'));
  return spawn(process.execPath, [CLI, '--url', emu.url, 'watch', 'flows', ...args], {
    env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, PTNAD_API_KEY: emu.credentials.apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Ticks live time `speed` times faster than the wall clock every 10 ms, recording appearance times. */
function drive(emu: Emulator, speed: number, appeared?: Map<string, number>): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    for (const a of emu.live?.tick((now - last) * speed) ?? []) appeared?.set(a.flow.id, now);
    last = now;
  }, 10);
  return () => clearInterval(timer);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function latencyAt(
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number; n: number; missed: number; drainSeconds: number }> {
  const emu = await startEmulator({ port: 0, flows: 2000, seed: 1, now: new Date(), live: { rate, seed: 2 } });
  const appeared = new Map<string, number>();
  const latencies: number[] = [];
  const state = join(mkdtempSync(join(tmpdir(), 'ptnad-bench-watch-')), 'state.json');
  const child = watcher(emu, ['--poll-interval', '200ms', '--state', state]);
  let buf = '';
  child.stderr?.resume();
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    const now = performance.now();
    buf += d;
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const id = (JSON.parse(buf.slice(0, nl)) as { id: string }).id;
      const t = appeared.get(id);
      if (t !== undefined) latencies.push(now - t);
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
  });
  await untilFile(state); // traffic starts once the watcher has pinned its start
  const stop = drive(emu, 1, appeared);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stop();
  // Wait for the stragglers (a watcher that cannot keep up shows it in p99), at most two minutes.
  const t0 = Date.now();
  while (latencies.length < appeared.size && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 50));
  const drainSeconds = (Date.now() - t0) / 1000;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  await emu.close();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    n: sorted.length,
    missed: appeared.size - sorted.length,
    drainSeconds,
  };
}

async function untilFile(path: string): Promise<void> {
  for (;;) {
    try {
      statSync(path);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
}

export async function rssAfterAnHour(): Promise<{
  first: number;
  end: number;
  rows: number;
  visible: number;
  stateBytes: number;
}> {
  const emu = await startEmulator({ port: 0, flows: 2000, seed: 1, now: new Date(), live: { rate: 10, seed: 3 } });
  const dir = mkdtempSync(join(tmpdir(), 'ptnad-bench-watch-'));
  const out = join(dir, 'flows.jsonl');
  const state = join(dir, 'state.json');
  const child = watcher(emu, ['--sink', `file:${out}`, '--state', state, '--poll-interval', '200ms']);
  child.stdout?.resume();
  child.stderr?.resume();
  await untilFile(state);
  const speed = 60;
  const stop = drive(emu, speed);
  await new Promise((r) => setTimeout(r, 60_000 / speed)); // one simulated minute
  const first = rssOf(child.pid as number);
  await new Promise((r) => setTimeout(r, 3_600_000 / speed - 60_000 / speed));
  stop();
  // The RSS that counts is the one after the watcher has processed the whole hour: wait until it caught up.
  const visible = emu.live?.feed.counts.visible ?? 0;
  const lines = () => (readFileSync(out, 'utf8').match(/\n/g) ?? []).length;
  const t0 = Date.now();
  while (lines() < visible && Date.now() - t0 < 240_000) await new Promise((r) => setTimeout(r, 500));
  const end = rssOf(child.pid as number);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  await emu.close();
  return { first, end, rows: lines(), visible, stateBytes: statSync(state).size };
}

/** The rows of `npm run bench` for the watcher. */
export async function watchRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const rate of [100, 2000]) {
    const r = await latencyAt(rate, 10);
    rows.push({
      case: `ptnad watch flows: emulator to sink latency at ${count(rate)} flows/s (stdout sink, polls every 200 ms)`,
      figure: `p50 ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms (${count(r.n)} flows; ${r.missed} missing after a ${r.drainSeconds.toFixed(1)} s drain)`,
      goal: 'reported; every flow arrives',
      met: r.missed === 0,
      details: r,
    });
  }
  const m = await rssAfterAnHour();
  rows.push({
    case: 'ptnad watch flows: watcher RSS after one hour of emulator time (10 flows/s, file sink + state)',
    figure: `${mib(m.end)} at the end, ${mib(m.first)} after the first minute (${(m.end / m.first).toFixed(2)}x); ${count(m.rows)} of ${count(m.visible)} flows delivered, state ${count(m.stateBytes)} bytes`,
    goal: 'every flow delivered; flat (<= 1.25x) and < 150 MB',
    met: m.rows === m.visible && m.end <= 1.25 * m.first && m.end < 150 * 2 ** 20,
    details: m,
  });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await watchRows()) process.stdout.write(`${r.case}: ${r.figure} (goal ${r.goal}: ${r.met})\n`);
}
