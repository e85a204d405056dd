/**
 * The time inputs every entry point must read alike, in every time zone: shared by time.test.ts (in-process)
 * and time-probe.ts (the same checks in a child process with another TZ).
 */
import type { TimeInput } from '../../src/index.js';

/** Input -> the epoch ms it must mean (naive times are UTC). */
export const ACCEPTED: Array<[TimeInput, number]> = [
  ['2025-06-01 12:00', Date.UTC(2025, 5, 1, 12, 0)],
  ['2025-06-01T12:00', Date.UTC(2025, 5, 1, 12, 0)],
  ['2025-06-01T12:00:30.5', Date.UTC(2025, 5, 1, 12, 0, 30, 500)],
  ['2023-06-08T11:02:08.718426', Date.UTC(2023, 5, 8, 11, 2, 8, 718)],
  ['2025-06-01', Date.UTC(2025, 5, 1)],
  ['2025.06.01', Date.UTC(2025, 5, 1)],
  ['2025-06-01T15:00:00+03:00', Date.UTC(2025, 5, 1, 12, 0)],
  ['2025-06-01T12:00:00Z', Date.UTC(2025, 5, 1, 12, 0)],
  ['2025-06-01T07:00:00-0500', Date.UTC(2025, 5, 1, 12, 0)],
  ['1748736000000', 1748736000000],
  [' 1748736000000 ', 1748736000000],
  [1748736000000, 1748736000000],
  [1748736000000.9, 1748736000000],
  [new Date(Date.UTC(2025, 5, 1)), Date.UTC(2025, 5, 1)],
  [0, 0],
];

/** Inputs that are ambiguous or not times: rejected, with the accepted forms in the message. */
export const REJECTED: TimeInput[] = [
  'June 1, 2025',
  '06/01/2025',
  '01.06.2025',
  '2025-02-30',
  '2025-06-01T24:00',
  '2025-06-01 12:00 MSK',
  'yesterday',
  '',
  '1748736000',
  1748736000,
];
