/** Wire renderings of time: PT NAD shows naive ISO-8601 with microseconds (UTC), some endpoints add `Z`. */

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

function pad(n: number, width: number): string {
  let s = `${n}`;
  while (s.length < width) s = `0${s}`;
  return s;
}

/** `2023-06-08T11:02:08.718426` from epoch ms plus the sub-millisecond microseconds (0..999). */
export function naiveIso(ms: number, us = 0): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}` +
    `.${pad(d.getUTCMilliseconds(), 3)}${pad(us, 3)}`
  );
}

/** `2025-04-10T11:17:41.667952Z`: the same with a `Z` (triggers, list timestamps). */
export function isoZ(ms: number, us = 0): string {
  return `${naiveIso(ms, us)}Z`;
}

/** Milliseconds per minute, hour and day. */
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
