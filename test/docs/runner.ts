/**
 * The guide runner: reads a guide, and runs its ```ts and ```sh blocks in file order against one fresh emulator,
 * comparing each program's stdout with the ```text block that follows it. The rules it enforces are written
 * for authors in docs/CONTRIBUTING.md; keep the two in step.
 */

import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { type Dataset, type Emulator, generateDataset, startEmulator } from 'ptnad-emulator';
import { type Fence, readMarkdown } from './markdown.js';

// Through a file at the root, so the URL names a file inside the repository (test/repo-paths.test.ts).
export const REPO = dirname(fileURLToPath(new URL('../../package.json', import.meta.url)));

/**
 * The instant the docs run at: the emulator's dataset "now", and the clock every program a block starts sees
 * (test/docs/pin-clock.mjs shifts `Date` so each process starts at this instant and runs on from there).
 */
export const DOCS_NOW = '2025-06-02T09:00:00.000Z';

/** The most `no-run:` markers allowed over all guides of one language. */
export const NO_RUN_BUDGET_PER_LANGUAGE = 12;

/** Longest one block may run. */
const BLOCK_TIMEOUT_MS = 60_000;

const RUNNABLE = new Set(['ts', 'sh']);
/** Spellings of runnable languages that would silently escape the runner. */
const FORBIDDEN = new Set(['typescript', 'bash', 'shell', 'zsh', 'console', 'js', 'javascript', 'mjs', 'tsx']);
const AUTH_MODES = ['local', 'readonly', 'apikey', 'sso', 'ldap'] as const;
type AuthMode = (typeof AUTH_MODES)[number];

/** One runnable block and the output it must print. */
export interface Block {
  file: string;
  fence: Fence;
  auth: AuthMode;
  expected: Fence | undefined;
}

/** What a guide holds for the runner. */
export interface GuidePlan {
  blocks: Block[];
  noRun: Array<{ file: string; line: number; reason: string }>;
  /** Authoring mistakes (an unknown attribute, a `bash` fence, ...), each naming file and line. */
  problems: string[];
}

/** Reads a guide (path relative to the repository) into blocks to run. */
export function planGuide(file: string): GuidePlan {
  const doc = readMarkdown(readFileSync(join(REPO, file), 'utf8'));
  const plan: GuidePlan = { blocks: [], noRun: [], problems: [] };
  doc.fences.forEach((fence, i) => {
    const where = `${file}:${fence.line} (\`\`\`${fence.info})`;
    if (FORBIDDEN.has(fence.lang)) {
      plan.problems.push(`${where}: write \`\`\`ts or \`\`\`sh so the block runs (or add no-run:<reason>)`);
      return;
    }
    if (!RUNNABLE.has(fence.lang)) return;
    let auth: AuthMode = 'local';
    let noRun: string | undefined;
    for (const attr of fence.attrs) {
      if (attr.startsWith('no-run:') && attr.length > 'no-run:'.length) noRun = attr.slice('no-run:'.length);
      else if (attr.startsWith('auth=') && (AUTH_MODES as readonly string[]).includes(attr.slice(5)))
        auth = attr.slice(5) as AuthMode;
      else
        plan.problems.push(
          `${where}: unknown attribute "${attr}" (known: no-run:<reason>, auth=${AUTH_MODES.join('|')})`,
        );
    }
    if (noRun !== undefined) {
      plan.noRun.push({ file, line: fence.line, reason: noRun });
      return;
    }
    const next = doc.fences[i + 1];
    const expected = next?.lang === 'text' && isDirectlyAfter(fence, next) ? next : undefined;
    plan.blocks.push({ file, fence, auth, expected });
  });
  return plan;

  function isDirectlyAfter(a: Fence, b: Fence): boolean {
    // Only blank lines (or nothing) between the closing fence of `a` and the opening fence of `b`.
    const lines = readFileSync(join(REPO, file), 'utf8').split(/\r?\n/);
    const closeLine = a.line + (a.code === '' ? 0 : a.code.split('\n').length); // 0-based index of the closing fence
    for (let k = closeLine + 1; k < b.line - 1; k++) if ((lines[k] ?? '').trim() !== '') return false;
    return true;
  }
}

/**
 * Compares a program's stdout with an expected output: trailing spaces and trailing blank lines are ignored,
 * and a line holding only `...` matches any number of lines. Returns undefined on a match, else an explanation.
 */
export function matchOutput(actual: string, expected: string): string | undefined {
  const norm = (s: string) =>
    s
      .replace(/\r\n/g, '\n')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/\n+$/, '')
      .split('\n');
  const a = norm(actual);
  const e = norm(expected);
  const memo = new Map<string, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let ok: boolean;
    if (j === e.length) ok = i === a.length;
    else if (e[j]?.trim() === '...') ok = match(i, j + 1) || (i < a.length && match(i + 1, j));
    else ok = i < a.length && a[i] === e[j] && match(i + 1, j + 1);
    memo.set(key, ok);
    return ok;
  };
  if (match(0, 0)) return undefined;
  let k = 0;
  while (k < a.length && k < e.length && a[k] === e[k]) k++;
  return `output differs at line ${k + 1}:\n  expected: ${JSON.stringify(e[k] ?? '<end>')}\n  actual:   ${JSON.stringify(a[k] ?? '<end>')}\n--- actual stdout ---\n${a.join('\n')}\n---`;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

let sharedDataset: Dataset | undefined;

/** One guide's environment: a fresh emulator, a work directory and a config directory of its own. */
export class GuideSession {
  readonly workDir: string;
  private readonly scriptDir: string;
  private counter = 0;

  private constructor(
    readonly file: string,
    readonly emulator: Emulator,
  ) {
    this.workDir = mkdtempSync(join(tmpdir(), 'ptnad-docs-'));
    // The reader runs commands from a clone of the repository: give the work directory its top-level entries.
    for (const entry of ['examples', 'packages', 'fixtures', 'node_modules', 'package.json']) {
      symlinkSync(join(REPO, entry), join(this.workDir, entry));
    }
    mkdirSync(join(this.workDir, '.home', '.config'), { recursive: true });
    // ```ts blocks are written inside the repository so that `ptnad-client` & co. resolve to the workspace.
    this.scriptDir = join(REPO, 'node_modules', '.cache', 'ptnad-docs', file.replace(/[/\\.]/g, '_'));
    rmSync(this.scriptDir, { recursive: true, force: true });
    mkdirSync(this.scriptDir, { recursive: true });
    // ES modules, as in a project with "type": "module" (top-level await works).
    writeFileSync(join(this.scriptDir, 'package.json'), '{ "type": "module" }\n');
  }

  static async start(file: string): Promise<GuideSession> {
    // The dataset is immutable (user changes live in the emulator's stores), so one is shared by all guides.
    sharedDataset ??= generateDataset({ seed: 1, flows: 20_000, now: new Date(DOCS_NOW) });
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0, dataset: sharedDataset, onError: () => {} });
    return new GuideSession(file, emulator);
  }

  /** The environment a block runs with (documented in docs/CONTRIBUTING.md). */
  env(auth: AuthMode): NodeJS.ProcessEnv {
    const emu = this.emulator;
    const local = emu.credentials.users.find((u) => u.role === 'admin' && u.source === 'local');
    const readonly = emu.credentials.users.find((u) => u.role === 'readonly' && u.source === 'local');
    const directory = emu.credentials.users.find((u) => u.source === 'directory');
    const user = auth === 'readonly' ? readonly : auth === 'ldap' ? directory : local;
    const base: NodeJS.ProcessEnv = {
      PATH: `${join(REPO, 'node_modules', '.bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: join(this.workDir, '.home'),
      XDG_CONFIG_HOME: join(this.workDir, '.home', '.config'),
      TMPDIR: tmpdir(),
      LANG: 'C.UTF-8',
      TZ: 'UTC',
      NO_COLOR: '1',
      NODE_OPTIONS: `--import=${new URL('./pin-clock.mjs', import.meta.url).href}`,
      PTNAD_DOCS_CLOCK: DOCS_NOW,
      PTNAD_URL: emu.url,
    };
    if (auth === 'apikey') return { ...base, PTNAD_API_KEY: emu.credentials.apiKey };
    const withUser = { ...base, PTNAD_USERNAME: user?.username ?? '', PTNAD_PASSWORD: user?.password ?? '' };
    if (auth === 'sso' || auth === 'ldap') {
      return {
        ...withUser,
        PTNAD_SSO_URL: emu.iamUrl,
        PTNAD_CLIENT_ID: emu.credentials.iamClient.clientId,
        PTNAD_CLIENT_SECRET: emu.credentials.iamClient.clientSecret,
        ...(auth === 'ldap' ? { PTNAD_SSO_TYPE: 'ldap' } : {}),
      };
    }
    return withUser;
  }

  /** Runs one block; never throws for the program's own failure (the caller reads the result). */
  run(block: Block): Promise<RunResult> {
    const { fence } = block;
    let command: string;
    let args: string[];
    if (fence.lang === 'ts') {
      // What tsx does (esbuild strips the types of one module), done here once instead of loading tsx's loader into
      // every block's process: that start-up was 3/4 of a block's CPU time. Imports stay as written and resolve
      // from the script's place inside the repository. Types are checked separately (typecheck.test.ts).
      const base = join(this.scriptDir, `block-${++this.counter}-line-${fence.line}`);
      writeFileSync(`${base}.ts`, `${fence.code}\n`);
      const js = transformSync(fence.code, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: `${base}.ts` });
      writeFileSync(`${base}.mjs`, js.code);
      command = process.execPath;
      args = ['--enable-source-maps', `${base}.mjs`];
    } else {
      command = 'bash';
      args = ['-c', `set -euo pipefail\n${fence.code}\n`];
    }
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: this.workDir,
        env: this.env(block.auth),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      let timedOut = false;
      const killGroup = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, BLOCK_TIMEOUT_MS);
      child.on('error', reject);
      let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
      // When the block's shell exits, whatever it left running in the background (and holding stdout open) is
      // killed with the process group; 'close' follows once every holder of the pipes is gone.
      child.on('exit', (code, signal) => {
        exit = { code, signal };
        killGroup();
      });
      child.on('close', () => {
        clearTimeout(timer);
        resolve({ ...exit, stdout, stderr, timedOut });
      });
    });
  }

  /** Runs a block and returns an error message naming file, line and block, or undefined when it passed. */
  async check(block: Block): Promise<string | undefined> {
    let r: RunResult;
    try {
      r = await this.run(block);
    } catch (err) {
      // esbuild's syntax errors, a failed spawn
      return `${block.file}:${block.fence.line} (\`\`\`${block.fence.info}): ${err instanceof Error ? err.message : String(err)}`;
    }
    const where = `${block.file}:${block.fence.line} (\`\`\`${block.fence.info})`;
    const tail = (s: string) => (s.length > 4000 ? `...${s.slice(-4000)}` : s);
    if (r.timedOut) return `${where}: still running after ${BLOCK_TIMEOUT_MS / 1000} s\nstderr:\n${tail(r.stderr)}`;
    if (r.code !== 0) {
      return `${where}: exited with ${r.code ?? r.signal}\nstdout:\n${tail(r.stdout)}\nstderr:\n${tail(r.stderr)}`;
    }
    if (block.expected) {
      const diff = matchOutput(r.stdout, block.expected.code);
      if (diff)
        return `${where}: the \`\`\`text block at line ${block.expected.line} ${diff}\nstderr:\n${tail(r.stderr)}`;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.emulator.close();
    rmSync(this.workDir, { recursive: true, force: true });
    rmSync(this.scriptDir, { recursive: true, force: true });
  }
}

/** The guides of one language, as repository-relative paths, sorted. */
export function guideFiles(lang: 'en' | 'ru'): string[] {
  const dir = lang === 'en' ? 'docs/guide' : 'docs/ru/guide';
  return readdirMd(join(REPO, dir)).map((f) => relative(REPO, join(REPO, dir, f)));
}

function readdirMd(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
}
