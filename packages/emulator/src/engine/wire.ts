/**
 * The `POST /bql` answer written straight to UTF-8 JSON bytes: each row goes into one growing buffer as it is
 * projected, so a page of 10,000 rows never exists as 10,000 cell arrays, nor as a string that is then copied
 * into a Buffer. Cells that are plain ASCII strings, small integers and flow times (most of an export) are
 * written byte by byte; anything else goes through `JSON.stringify`. The bytes are exactly those of
 * `JSON.stringify({ result, took, total })` of the same answer (the engine tests compare them).
 */
import { naiveIso } from '../store/gen/time.js';
import { DAY_MS, dayPrefix, isPlainTime } from './wire-time.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN = 91;
const CLOSE = 93;
const DIGIT0 = 48;

/** The day whose `YYYY-MM-DDT` a time column wrote last (a column's times mostly fall on one day). */
export interface DayCache {
  day: number;
  prefix: Uint8Array;
}

/** A fresh {@link DayCache}. */
export function dayCache(): DayCache {
  return { day: Number.NaN, prefix: new Uint8Array(11) };
}

/** A growing buffer of JSON text. */
export class WireWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(capacity = 65_536) {
    this.buf = Buffer.allocUnsafe(Math.max(64, capacity));
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** One ASCII byte (`[`, `,`, `]`). */
  byte(c: number): void {
    this.ensure(1);
    this.buf[this.pos++] = c;
  }

  openRow(): void {
    this.byte(OPEN);
  }

  closeRow(): void {
    this.byte(CLOSE);
  }

  comma(): void {
    this.byte(COMMA);
  }

  /** Text as UTF-8, as it is (structural JSON or an already escaped literal). */
  text(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A JSON string literal. */
  string(s: string): void {
    const n = s.length;
    this.ensure(n + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      // Control characters, quotes, backslashes and non-ASCII take JSON.stringify's escaping and UTF-8 encoding.
      if (c < 0x20 || c === QUOTE || c === BACKSLASH || c > 0x7f) {
        this.text(JSON.stringify(s));
        return;
      }
      b[p++] = c;
    }
    b[p++] = QUOTE;
    this.pos = p;
  }

  /** A JSON number (`null` for NaN and the infinities, `0` for -0, as JSON.stringify writes them). */
  number(v: number): void {
    if ((v | 0) !== v) {
      this.text(Number.isFinite(v) ? String(v) : 'null');
      return;
    }
    this.ensure(11);
    const b = this.buf;
    let p = this.pos;
    let x = v;
    if (x < 0) {
      b[p++] = 45;
      x = -x;
    }
    const start = p;
    do {
      b[p++] = DIGIT0 + (x % 10);
      x = Math.floor(x / 10);
    } while (x > 0);
    for (let i = start, j = p - 1; i < j; i++, j--) {
      const t = b[i] as number;
      b[i] = b[j] as number;
      b[j] = t;
    }
    this.pos = p;
  }

  /** Any cell, as JSON.stringify writes it inside an array. */
  value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.string(v);
        return;
      case 'number':
        this.number(v);
        return;
      case 'boolean':
        this.text(v ? 'true' : 'false');
        return;
      case 'object':
        this.text(v === null ? 'null' : (JSON.stringify(v) ?? 'null'));
        return;
      default:
        // undefined, functions and symbols are null inside an array; a bigint throws as JSON.stringify would.
        this.text(JSON.stringify(v) ?? 'null');
    }
  }

  /** A time as the quoted naive ISO text `naiveIso(ms, us)` gives (`"2023-06-08T11:02:08.718426"`). */
  time(ms: number, us: number, cache: DayCache): void {
    if (!isPlainTime(ms, us)) {
      this.string(naiveIso(ms, us));
      return;
    }
    const d = Math.floor(ms / DAY_MS);
    if (d !== cache.day) {
      cache.day = d;
      cache.prefix.set(Buffer.from(dayPrefix(d), 'latin1'));
    }
    this.ensure(28);
    const b = this.buf;
    let p = this.pos;
    b[p++] = QUOTE;
    b.set(cache.prefix, p);
    p += 11;
    let rest = ms - d * DAY_MS;
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const s = Math.floor(rest / 1000);
    const frac = rest - s * 1000;
    b[p++] = DIGIT0 + Math.floor(h / 10);
    b[p++] = DIGIT0 + (h % 10);
    b[p++] = 58;
    b[p++] = DIGIT0 + Math.floor(m / 10);
    b[p++] = DIGIT0 + (m % 10);
    b[p++] = 58;
    b[p++] = DIGIT0 + Math.floor(s / 10);
    b[p++] = DIGIT0 + (s % 10);
    b[p++] = 46;
    b[p++] = DIGIT0 + Math.floor(frac / 100);
    b[p++] = DIGIT0 + (Math.floor(frac / 10) % 10);
    b[p++] = DIGIT0 + (frac % 10);
    b[p++] = DIGIT0 + Math.floor(us / 100);
    b[p++] = DIGIT0 + (Math.floor(us / 10) % 10);
    b[p++] = DIGIT0 + (us % 10);
    b[p++] = QUOTE;
    this.pos = p;
  }
}

/** Writes one cell of a row. */
export type CellWriter = (w: WireWriter, row: unknown) => void;
