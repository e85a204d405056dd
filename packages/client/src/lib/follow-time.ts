/**
 * Times as `follow` compares them: PT NAD renders datetime cells as naive UTC ISO strings with up to six
 * fraction digits (`2025-06-01T12:00:00.123456`); some versions add `Z` or send epoch milliseconds. Every form is
 * turned into one fixed-width string (`YYYY-MM-DDTHH:MM:SS.ffffff`), so that plain string comparison is time
 * order, and it is sent back to the server as a quoted literal.
 */

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z?$/;

/** The fixed-width form of a time cell, or undefined when the cell is not a time. */
export function normalizeTime(cell: unknown): string | undefined {
  if (typeof cell === 'number' && Number.isFinite(cell)) return fromEpochMicros(Math.round(cell * 1000));
  if (typeof cell !== 'string') return undefined;
  const m = ISO.exec(cell);
  if (!m) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}`;
}

/** `time` (fixed-width) moved back by `ms` milliseconds. */
export function minusMs(time: string, ms: number): string {
  const base = Date.parse(`${time.slice(0, 19)}Z`);
  const micros = base * 1000 + Number(time.slice(20, 26)) - Math.round(ms * 1000);
  return fromEpochMicros(micros);
}

/** Milliseconds since the epoch of a fixed-width time. */
export function epochMs(time: string): number {
  return Date.parse(`${time.slice(0, 19)}Z`) + Number(time.slice(20, 23));
}

function fromEpochMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const us = micros - ms * 1000;
  const iso = new Date(ms).toISOString(); // 2025-06-01T12:00:00.123Z
  return `${iso.slice(0, 23)}${String(us).padStart(3, '0')}`;
}
