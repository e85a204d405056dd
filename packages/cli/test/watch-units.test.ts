// Units of `ptnad watch`: sink specs, the RFC 5424 and CEF renderings with their escaping, event shaping; and
// the command-line contract (bad filter, foreign state, a second signal).

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from 'ptnad-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCef } from '../src/watch/cef.js';
import { toEvent, watchQuery } from '../src/watch/events.js';
import { parseSink } from '../src/watch/sink.js';
import { renderTemplate } from '../src/watch/sink-webhook.js';
import { octetFrame, parseOctetFrames, parseSyslogMessage, syslogMessage } from '../src/watch/syslog-format.js';
import { assertBuilt, isolatedEnv, ptnad } from './harness.js';
import { liveEmulator, startWatcher, until } from './watch-helpers.js';

describe('watch units', () => {
  it('parses sink specs and says what is wrong with bad ones', () => {
    expect(parseSink('stdout')).toEqual({ kind: 'stdout' });
    expect(parseSink('file:/var/log/a.jsonl')).toEqual({ kind: 'file', path: '/var/log/a.jsonl' });
    expect(parseSink('syslog+tcp://siem.local:514')).toEqual({
      kind: 'syslog',
      transport: 'tcp',
      host: 'siem.local',
      port: 514,
    });
    expect(parseSink('syslog+udp://[::1]:514')).toMatchObject({ host: '::1', transport: 'udp' });
    expect(parseSink('webhook:https://hooks.example/x').kind).toBe('webhook');
    expect(() => parseSink('file:')).toThrow(/needs a path/);
    expect(() => parseSink('webhook:ftp://x')).toThrow(/http/);
    expect(() => parseSink('syslog://x:514')).toThrow(/syslog\+udp/);
    expect(() => parseSink('syslog+tcp://x:70000')).toThrow(/port/);
    expect(() => parseSink('kafka:x')).toThrow(/not a sink/);
  });

  it('nests dotted columns and keeps the stable id', () => {
    const e = toEvent('attacks', { id: 'a1', ts: '2025-06-01T00:00:00.000001', 'attacker.ip': '10.0.0.1', pr: 1 });
    expect(e).toEqual({
      type: 'alert',
      id: 'a1',
      ts: '2025-06-01T00:00:00.000001',
      attacker: { ip: '10.0.0.1' },
      pr: 1,
    });
    expect(watchQuery('flows', "app_proto == 'rdp'")).toMatch(
      /^SELECT id, start, end, .* FROM flow WHERE app_proto == 'rdp'$/,
    );
  });

  it('renders RFC 5424 with escaped structured data and parses octet-counted frames back', () => {
    const e = toEvent('attacks', { id: 'x"]\\y', ts: '2025-06-01T00:00:00.000000', pr: 2, msg: 'ünïcode\nline' });
    const m = syslogMessage(e, JSON.stringify(e), new Date('2025-06-01T00:00:00Z'));
    expect(m).toMatch(
      /^<132>1 2025-06-01T00:00:00.000Z \S+ ptnad \d+ alert \[ptnad@32473 id="x\\"\\]\\\\y" type="alert"\] \{/,
    );
    const frames = Buffer.concat([octetFrame(m), octetFrame('<134>1 - - - - - - hi')]);
    const half = parseOctetFrames(frames.subarray(0, 20));
    expect(half.messages).toEqual([]);
    const all = parseOctetFrames(frames);
    expect(all.messages).toEqual([m, '<134>1 - - - - - - hi']);
    expect(JSON.parse(parseSyslogMessage(m)?.msg ?? '')).toEqual(e); // byte counts, not characters
  });

  it('fills webhook templates with JSON-encoded fields', () => {
    const e = toEvent('attacks', { id: 'a1', msg: 'quote " and\nnewline', 'attacker.ip': '10.0.0.1', pr: 1 });
    const body = renderTemplate('{"text": {{msg}}, "ip": {{ attacker.ip }}, "pr": {{pr}}, "none": {{nope.x}}}', e);
    expect(JSON.parse(body)).toEqual({ text: 'quote " and\nnewline', ip: '10.0.0.1', pr: 1, none: null });
  });

  it('renders CEF with escaped header and extension values', () => {
    const e = toEvent('attacks', {
      id: 'id=1',
      ts: '2025-06-01T00:00:00.000000',
      sid: 2013504,
      msg: 'ET POLICY a|b \\ c',
      cls: 'Bad = class\nx',
      pr: 1,
      parent: 'Pflow',
      'attacker.ip': '10.0.0.1',
      'victim.ip': '8.8.8.8',
      att_ck: ['T1110', 'T1059'],
    });
    expect(toCef(e, '1.2.3')).toBe(
      'CEF:0|Positive Technologies|PT NAD|1.2.3|2013504|ET POLICY a\\|b \\\\ c|10|externalId=id\\=1 rt=1748736000000 ' +
        'src=10.0.0.1 dst=8.8.8.8 cat=Bad \\= class\\nx cs1Label=flowId cs1=Pflow cs2Label=attck cs2=T1110,T1059 cn1Label=priority cn1=1',
    );
  });
});

describe('watch command line', () => {
  let emu: Emulator;
  beforeAll(async () => {
    assertBuilt();
    emu = await liveEmulator(20, 4, 1);
  });
  afterAll(() => emu.close());

  it('a bad filter is a usage error with its position; a state of another query is refused', async () => {
    const { env } = isolatedEnv({ PTNAD_API_KEY: emu.credentials.apiKey });
    const bad = await ptnad(['--url', emu.url, 'watch', 'attacks', '--filter', 'pr == == 1'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 1/i);
    const state = join(mkdtempSync(join(tmpdir(), 'ptnad-watch-')), 'state.json');
    const first = await ptnad(['--url', emu.url, 'watch', 'attacks', '--state', state, '--once'], { env });
    expect(first.code).toBe(0);
    const other = await ptnad(['--url', emu.url, 'watch', 'flows', '--state', state, '--once'], { env });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/belongs to "watch attacks"/);
    writeFileSync(state, 'not json');
    const corrupt = await ptnad(['--url', emu.url, 'watch', 'attacks', '--state', state], { env });
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toMatch(/not JSON/);
  }, 60_000);

  it('the first signal drains the batch in flight; a second one exits at once', async () => {
    // A receiver that never answers: the batch in flight cannot drain.
    let requests = 0;
    const server = createServer(() => {
      requests++;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const state = join(mkdtempSync(join(tmpdir(), 'ptnad-watch-')), 'state.json');
    const w = startWatcher(emu, ['attacks', '--sink', `webhook:${url}`, '--state', state]);
    await until(() => w.stderr() !== '' || requests > 0 || w.child.exitCode !== null || existsSync(state), 'start');
    emu.live?.tick(5000);
    await until(() => requests > 0, 'a webhook request in flight');
    w.child.kill('SIGTERM');
    // Signals are not queued: wait until the first one was taken before sending the second.
    await until(() => /stopping after the batch in flight/.test(w.stderr()), 'the first signal to be taken');
    w.child.kill('SIGINT');
    const { code } = await w.exited;
    expect(code).toBe(130);
    server.closeAllConnections();
    server.close();
  }, 60_000);
});
