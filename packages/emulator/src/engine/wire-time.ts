/**
 * The naive ISO rendering of a time cell (`2023-06-08T11:02:08.718426`), as `naiveIso` gives it, without a Date
 * per call: an export renders two times per row, and building a Date plus seven padded numbers each time was a
 * tenth of a page's cost. The `YYYY-MM-DDT` prefix is cached per day; the clock part comes from lookup tables.
 * Anything outside the common case (fractional ms, microseconds outside 0..999, years outside 0..9999) goes to
 * `naiveIso` itself, so the text is always the same.
 */
import { naiveIso } from '../store/gen/time.js';

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: years that `naiveIso` pads to four digits. */
const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_800_000;

/** True when a time takes the table-driven path (whole ms in years 0..9999, whole µs 0..999). */
export function isPlainTime(ms: number, us: number): boolean {
  return Number.isInteger(ms) && ms >= MIN_MS && ms < MAX_MS && Number.isInteger(us) && us >= 0 && us <= 999;
}

/** `YYYY-MM-DDT` of a day number (days since the epoch). */
export function dayPrefix(day: number): string {
  return naiveIso(day * DAY_MS, 0).slice(0, 11);
}

const PAD2: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** A renderer with its own day cache (one per column: a column's times are mostly on the same day). */
export function naiveIsoRenderer(): (ms: number, us: number) => string {
  let day = Number.NaN;
  let prefix = '';
  return (ms, us) => {
    if (!isPlainTime(ms, us)) return naiveIso(ms, us);
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      day = d;
      prefix = dayPrefix(d);
    }
    let rest = ms - d * DAY_MS;
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const s = Math.floor(rest / 1000);
    return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[rest - s * 1000]}${PAD3[us]}`;
  };
}
