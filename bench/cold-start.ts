/**
 * Cold start (issue 13): whole processes, timed from spawn to exit, against one emulator started beforehand in its
 * own process. The commands compared are run interleaved (each round runs every command once, in a rotated
 * order) so that drift of a shared machine hits all of them alike; each figure is a median with min and max.
 * Peak RSS is read from `/usr/bin/time -f %M` (the child's own maximum resident set) when that tool exists.
 * Also reported: the emulator's start-up time to its "listening" line with the default dataset.
 * Run alone with `npx tsx bench/cold-start.ts [rounds]`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './run.js';
import { median } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'packages/cli/bin/ptnad.js');
const EMULATOR = join(ROOT, 'packages/emulator/bin/ptnad-emulator.js');
const SDK_SCRIPT = join(ROOT, 'bench/cold-start-sdk.mjs');
const BARE_SCRIPT = join(ROOT, 'bench/cold-start-bare.mjs');
const TIME = '/usr/bin/time';

/** One measured process run. */
interface Run {
  wallMs: number;
  /** Peak RSS in MiB, or NaN when /usr/bin/time is not available. */
  rssMiB: number;
  code: number | null;
}

/** Runs `node ...args` to completion; rejects when it exits with a code not in `okCodes`. */
function runNode(args: readonly string[], env: NodeJS.ProcessEnv, okCodes: readonly number[]): Promise<Run> {
  const timed = existsSync(TIME);
  const cmd = timed ? TIME : process.execPath;
  const argv = timed ? ['-f', 'COLDSTART_RSS_KB %M', process.execPath, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - t0;
      const match = /COLDSTART_RSS_KB (\d+)/.exec(stderr);
      if (code === null || !okCodes.includes(code)) {
        reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim()} ${stdout.trim()}`));
        return;
      }
      resolve({ wallMs, rssMiB: match?.[1] ? Number(match[1]) / 1024 : Number.NaN, code });
    });
  });
}

/** An emulator child with its URL and the admin credentials printed in its banner. */
interface EmulatorChild {
  url: string;
  username: string;
  password: string;
  startMs: number;
  /** Spawn to the first answered request (sent at the listening line), ms. */
  firstAnswerMs(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts `ptnad-emulator --port 0` (default dataset) and resolves at its "listening" line. */
export function startEmulatorChild(): Promise<EmulatorChild> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [EMULATOR, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let listeningAt = 0;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (listeningAt === 0 && /listening on/.test(out + d)) listeningAt = performance.now();
      out += d;
      const url = /listening on (\S+)/.exec(out)?.[1];
      const admin = /user\s+(\S+) \/ (\S+) \(all rights\)/.exec(out);
      if (!url || !admin?.[1] || !admin[2]) return;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        url,
        username: admin[1],
        password: admin[2],
        startMs: listeningAt - t0,
        // The emulator may still be generating its dataset at the listening line: requests wait for it.
        firstAnswerMs: async () => {
          const res = await fetch(`${url}/api/v2/monitoring/status`);
          await res.arrayBuffer();
          return performance.now() - t0;
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before listening: ${err.trim()}`)));
  });
}

interface Stats {
  median: number;
  min: number;
  max: number;
}

function stats(xs: readonly number[]): Stats {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

function ms(s: Stats): string {
  return `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}-${s.max.toFixed(0)})`;
}

/** The figures of one cold-start run. */
export interface ColdStartResult {
  rounds: number;
  commands: Record<string, { wall: Stats; rss: Stats }>;
  emulatorStart: Stats;
  emulatorFirstAnswer: Stats;
}

/** Measures every command `rounds` times, interleaved, against one emulator. */
export async function benchColdStart(rounds = 11): Promise<ColdStartResult> {
  const emulatorStarts: number[] = [];
  const emulatorAnswers: number[] = [];
  // The emulator's own start-up is measured first, three times, one process at a time.
  for (let i = 0; i < 3; i++) {
    const e = await startEmulatorChild();
    emulatorStarts.push(e.startMs);
    emulatorAnswers.push(await e.firstAnswerMs());
    await e.stop();
  }
  const emu = await startEmulatorChild();
  emulatorStarts.push(emu.startMs);
  emulatorAnswers.push(await emu.firstAnswerMs());
  // A profile directory of its own, so that no config of the machine's user is read.
  const home = mkdtempSync(join(tmpdir(), 'ptnad-coldstart-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: home,
    NO_COLOR: '1',
    PTNAD_USERNAME: emu.username,
    PTNAD_PASSWORD: emu.password,
  };
  const commands: Array<{ name: string; args: string[]; ok: number[] }> = [
    { name: "node -e ''", args: ['-e', ''], ok: [0] },
    { name: 'ptnad --help', args: [CLI, '--help'], ok: [0] },
    { name: 'ptnad status', args: [CLI, '--url', emu.url, 'status'], ok: [0, 1, 2] },
    { name: 'SDK one-shot script', args: [SDK_SCRIPT, emu.url, emu.username, emu.password], ok: [0] },
    // The same job on node:http alone: what Node itself costs for it, so the SDK's share is the difference.
    { name: 'bare node:http script', args: [BARE_SCRIPT, emu.url, emu.username, emu.password], ok: [0] },
    {
      name: "import('ptnad-client') alone",
      args: ['--input-type=module', '-e', "await import('ptnad-client')"],
      ok: [0],
    },
  ];
  const walls = new Map<string, number[]>(commands.map((c) => [c.name, []]));
  const rsses = new Map<string, number[]>(commands.map((c) => [c.name, []]));
  try {
    // One untimed pass warms the file system cache for every command.
    for (const c of commands) await runNode(c.args, { ...env }, c.ok);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < commands.length; k++) {
        const c = commands[(k + r) % commands.length];
        if (!c) continue;
        const run = await runNode(c.args, { ...env }, c.ok);
        walls.get(c.name)?.push(run.wallMs);
        rsses.get(c.name)?.push(run.rssMiB);
      }
    }
  } finally {
    await emu.stop();
    rmSync(home, { recursive: true, force: true });
  }
  const result: ColdStartResult = {
    rounds,
    commands: {},
    emulatorStart: stats(emulatorStarts),
    emulatorFirstAnswer: stats(emulatorAnswers),
  };
  for (const c of commands) {
    result.commands[c.name] = { wall: stats(walls.get(c.name) ?? []), rss: stats(rsses.get(c.name) ?? []) };
  }
  return result;
}

/** Rows for `npm run bench`. */
export async function coldStartRows(): Promise<BenchRow[]> {
  const r = await benchColdStart();
  const floor = r.commands["node -e ''"];
  if (!floor) throw new Error('the floor was not measured');
  const row = (name: string, goal: number | null, rssGoal?: number): BenchRow => {
    const m = r.commands[name];
    if (!m) throw new Error(`${name} was not measured`);
    const ratio = m.wall.median / floor.wall.median;
    const rss = Number.isNaN(m.rss.median) ? 'RSS not measured' : `peak RSS ${m.rss.median.toFixed(0)} MiB`;
    const goals = [goal === null ? 'reported' : `<= ${goal}x of node -e ''`];
    if (rssGoal !== undefined) goals.push(`RSS <= ${rssGoal} MiB`);
    const met = goal === null ? null : ratio <= goal && (rssGoal === undefined || !(m.rss.median > rssGoal));
    return {
      case: `Cold start: ${name} (whole process, ${r.rounds} interleaved runs)`,
      figure: `${ratio.toFixed(2)}x (${ms(m.wall)} vs ${ms(floor.wall)}), ${rss}`,
      goal: goals.join(', '),
      met,
      details: { ...m, floor: floor.wall },
    };
  };
  const start = r.emulatorStart;
  return [
    row("node -e ''", null),
    row('ptnad --help', 1.3),
    row('ptnad status', 2.0, 60),
    row('SDK one-shot script', 1.6),
    row('bare node:http script', null),
    row("import('ptnad-client') alone", null),
    {
      case: 'Emulator start-up to its "listening" line (default dataset)',
      figure: ms(start),
      goal: '<= 600 ms',
      met: start.median <= 600,
      details: { ...start },
    },
    {
      case: 'Emulator start-up to its first answer (a request sent at the "listening" line; default dataset)',
      figure: ms(r.emulatorFirstAnswer),
      goal: 'reported',
      met: null,
      details: { ...r.emulatorFirstAnswer },
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rounds = Number(process.argv[2] ?? 11);
  const r = await benchColdStart(rounds);
  const floor = r.commands["node -e ''"]?.wall.median ?? Number.NaN;
  for (const [name, m] of Object.entries(r.commands)) {
    process.stdout.write(
      `${name.padEnd(30)} ${ms(m.wall).padEnd(22)} ${(m.wall.median / floor).toFixed(2)}x  RSS ${m.rss.median.toFixed(0)} MiB (${m.rss.min.toFixed(0)}-${m.rss.max.toFixed(0)})\n`,
    );
  }
  process.stdout.write(`emulator start-up              ${ms(r.emulatorStart)}\n`);
  process.stdout.write(`emulator first answer          ${ms(r.emulatorFirstAnswer)}\n`);
}
