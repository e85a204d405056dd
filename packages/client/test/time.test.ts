/**
 * One time parser for the whole package (issue 11 item 7): `toEpochMs`, `withTimeRange`, `flows`, `files` and the
 * toolkit's re-export read every input alike, naive times as UTC, and reject ambiguous input with the accepted
 * forms. The same checks run in child processes under TZ=Europe/Moscow and TZ=America/New_York, where the old
 * parsers disagreed by the local offset.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ACCEPTED_TIME_FORMS, toEpochMs, ValidationError } from '../src/index.js';
import { ACCEPTED, REJECTED } from './helpers/time-cases.js';

const run = promisify(execFile);
const probe = fileURLToPath(new URL('./helpers/time-probe.ts', import.meta.url));

interface ProbeOutput {
  offsetMinutes: number;
  accepted: Array<{ input: string; results: number[] }>;
  rejected: Array<{ input: string; messages: string[] }>;
}

describe('the one time parser', () => {
  it('reads every accepted form as the same instant', () => {
    for (const [input, ms] of ACCEPTED) expect(toEpochMs(input, 'start'), String(input)).toBe(ms);
  });

  it('rejects ambiguous input, naming the argument and listing the accepted forms', () => {
    for (const input of REJECTED) {
      expect(() => toEpochMs(input, 'start'), String(input)).toThrow(ValidationError);
    }
    expect(() => toEpochMs('June 1, 2025', 'start')).toThrow(
      `Invalid start: "June 1, 2025". Accepted: ${ACCEPTED_TIME_FORMS}`,
    );
    expect(() => toEpochMs(1748736000, 'end')).toThrow(/looks like epoch seconds; pass milliseconds \(1748736000000\)/);
  });

  for (const tz of ['Europe/Moscow', 'America/New_York']) {
    it(`every entry point agrees under TZ=${tz}`, async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', probe], {
        env: { ...process.env, TZ: tz },
        timeout: 60_000,
      });
      const out = JSON.parse(stdout) as ProbeOutput;
      // The child really runs in another zone (else this test could not catch a local-time parse).
      expect(out.offsetMinutes).not.toBe(0);
      for (const [i, [input, ms]] of ACCEPTED.entries()) {
        expect(out.accepted[i]?.results, `${String(input)} under ${tz}`).toEqual([ms, ms, ms, ms, ms]);
      }
      for (const [i, input] of REJECTED.entries()) {
        for (const message of out.rejected[i]?.messages ?? ['missing']) {
          expect(message, `${String(input)} under ${tz}`).toMatch(/^ValidationError: Invalid start: /);
        }
      }
    });
  }
});
