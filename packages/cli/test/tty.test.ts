import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { startEmulator } from 'ptnad-emulator';
import { describe, expect, it } from 'vitest';
import { saveConfig } from '../src/config.js';
import type { Streams } from '../src/context.js';
import { main } from '../src/main.js';
import { formatProgress, Progress } from '../src/progress.js';

// Terminal behaviour (colours, truncation, progress) needs a TTY, which a child process in a test does not
// have; these run main() in-process with streams that say they are terminals.
function terminal(isTTY: boolean, columns = 60) {
  const out = Object.assign(new PassThrough(), { isTTY, columns });
  const err = Object.assign(new PassThrough(), { isTTY });
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  err.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const streams: Streams = { stdout: out, stderr: err, stdin: Readable.from([]) };
  return {
    streams,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

const ESC = '\u001b[';

describe('on a terminal', () => {
  it('colours diagnostics only on a TTY without NO_COLOR or --no-color', async () => {
    const query = 'dst.port == "abc"';
    const tty = terminal(true);
    expect(await main(['bql', 'check', query], { streams: tty.streams, env: {} })).toBe(2);
    expect(tty.stdout).toContain(ESC);
    for (const [args, env] of [
      [['bql', 'check', query], { NO_COLOR: '1' }],
      [['--no-color', 'bql', 'check', query], {}],
    ] as const) {
      const t = terminal(true);
      expect(await main([...args], { streams: t.streams, env })).toBe(2);
      expect(t.stdout).toMatch(/^error: /);
      expect(t.stdout).not.toContain(ESC);
    }
    const piped = terminal(false);
    await main(['bql', 'check', query], { streams: piped.streams, env: {} });
    expect(piped.stdout).not.toContain(ESC);
  });

  it('fits tables to the terminal width, and cuts nothing when piped', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ptnad-tty-'));
    const url = `https://${'very-long-host-name.'.repeat(5)}example`;
    saveConfig(join(home, 'ptnad'), { current: 'lab', profiles: { lab: { url, username: 'someone' } } });
    const env = { XDG_CONFIG_HOME: home, NO_COLOR: '1' };
    const tty = terminal(true, 50);
    expect(await main(['profiles', 'list'], { streams: tty.streams, env })).toBe(0);
    const lines = tty.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(50);
    expect(tty.stdout).toContain('…');
    const piped = terminal(false, 50);
    await main(['profiles', 'list'], { streams: piped.streams, env });
    expect(piped.stdout).toContain(url);
  });

  it('draws progress on stderr at most ten times a second and clears it', () => {
    let now = 0;
    let drawn = '';
    const p = new Progress(
      {
        write: (t) => {
          drawn += t;
        },
      },
      'rows',
      () => now,
    );
    p.update(1, 100);
    now = 50;
    p.update(2, 100);
    now = 150;
    p.update(3, 100);
    p.done();
    expect(drawn.split('\r\u001b[K').filter((s) => s !== '')).toEqual([
      formatProgress('rows', 1, 100),
      formatProgress('rows', 3, 100),
    ]);
    expect(drawn.endsWith('\r\u001b[K')).toBe(true);
    expect(formatProgress('rows', 1234, 10000)).toBe('rows: [##..................] 1,234 / 10,000 (12%)');
    const off = new Progress(undefined, 'rows');
    off.update(1, 2);
    expect(off.enabled).toBe(false);
  });

  it('colours the status and draws progress for --all only on a terminal without NO_COLOR', async () => {
    const emu = await startEmulator({ port: 0, seed: 2, flows: 300 });
    try {
      for (const t of emu.state.dataset.triggers) t.status = 'green';
      const env = { PTNAD_URL: emu.url, PTNAD_USERNAME: 'administrator', PTNAD_PASSWORD: 'Administr@t0r' };
      const query = ['bql', 'run', 'SELECT id, end FROM flow', '--all', '--page-size', '50', '-o', 'jsonl'];
      const tty = terminal(true);
      expect(await main(['status'], { streams: tty.streams, env })).toBe(0);
      expect(tty.stdout).toContain(`${ESC}32mGREEN`);
      const progress = terminal(true);
      expect(await main(query, { streams: progress.streams, env })).toBe(0);
      expect(progress.stdout.trim().split('\n').length).toBe(300);
      expect(progress.stderr.startsWith('\r\u001b[Krows: [')).toBe(true);
      expect(progress.stderr).toMatch(/rows: \[[#.]{20}\] \d+ \/ 300 \(\d+%\)/);
      expect(progress.stderr.endsWith('\r\u001b[K')).toBe(true);
      const plain = terminal(true);
      expect(await main(['status'], { streams: plain.streams, env: { ...env, NO_COLOR: '1' } })).toBe(0);
      expect(plain.stdout).toBe('GREEN: no problems\n');
      const quiet = terminal(true);
      expect(await main(query, { streams: quiet.streams, env: { ...env, NO_COLOR: '1' } })).toBe(0);
      expect(quiet.stderr).toBe('');
    } finally {
      await emu.close();
    }
  });
});
