/** Wire renderings of time: PT NAD shows naive ISO-8601 with microseconds (UTC), some endpoints add `Z`. */

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

function pad(n: number, width: number): string {
  let s = `${n}`;
  while (s.length < width) s = `0${s}`;
  return s;
}

/** `2023-06-08T11:02:08.718426` from epoch ms plus the sub-millisecond microseconds (0..999). */
export function naiveIso(ms: number, us = 0): string {
  return isoText(ms, us, ISO_CODES);
}

function isoText(ms: number, us: number, c: number[]): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  // Years of four digits and whole microseconds under 1000 (every time the generator makes): the text is written
  // as character codes into one flat string. A template of a dozen parts would be kept as a rope of a dozen
  // nodes (~400 bytes per timestamp instead of ~50, on every host service, list item and rule).
  if (!(year >= 0 && year <= 9999 && us >= 0 && us <= 999 && us === Math.floor(us))) {
    return c === ISO_CODES ? paddedIso(d, us) : `${paddedIso(d, us)}Z`;
  }
  digits(c, 0, year, 4);
  digits(c, 5, d.getUTCMonth() + 1, 2);
  digits(c, 8, d.getUTCDate(), 2);
  digits(c, 11, d.getUTCHours(), 2);
  digits(c, 14, d.getUTCMinutes(), 2);
  digits(c, 17, d.getUTCSeconds(), 2);
  digits(c, 20, d.getUTCMilliseconds(), 3);
  digits(c, 23, us, 3);
  return String.fromCharCode.apply(null, c);
}

// `YYYY-MM-DDTHH:MM:SS.uuuuuu` (and with `Z`): the separators stay, the digits are overwritten on every call.
const ISO_CODES: number[] = Array.from('0000-00-00T00:00:00.000000', (ch) => ch.charCodeAt(0));
const ISO_Z_CODES: number[] = Array.from('0000-00-00T00:00:00.000000Z', (ch) => ch.charCodeAt(0));

/** Writes `n` as `width` decimal digits (zero-padded) at `at`. */
function digits(codes: number[], at: number, n: number, width: number): void {
  for (let i = at + width - 1; i >= at; i--) {
    codes[i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
}

/** The general form (any year, any `us`), as the dataset has always rendered it. */
function paddedIso(d: Date, us: number): string {
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}` +
    `.${pad(d.getUTCMilliseconds(), 3)}${pad(us, 3)}`
  );
}

/** `2025-04-10T11:17:41.667952Z`: the same with a `Z` (triggers, list timestamps). */
export function isoZ(ms: number, us = 0): string {
  return isoText(ms, us, ISO_Z_CODES);
}

/** Milliseconds per minute, hour and day. */
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
