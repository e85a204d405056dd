/**
 * Rendering of command results on stdout: `table` for people, `json`, `jsonl` and `csv` for scripts.
 * Tables are aligned and, only on a terminal, truncated to its width (when piped, nothing is cut so the data
 * stays whole). Machine formats keep the API's field names and values exactly.
 */

import pc from 'picocolors';

import type { OutputFormat } from './formats.js';

export { OUTPUT_FORMATS, type OutputFormat } from './formats.js';

/** Where output goes and what the terminal can do. */
export interface OutputTarget {
  write(text: string): void;
  /** True when the stream is a terminal: tables are then fitted to `columns`. */
  isTTY: boolean;
  /** Terminal width in characters, when known. */
  columns: number | undefined;
  color: boolean;
  /** Write CSV cells as they are, without neutralising spreadsheet formulas (`--csv-raw`). */
  csvRaw?: boolean;
}

/** A value as one line of text: null is empty, scalar arrays are comma-joined, objects are compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return value.map((v) => (v === null ? '' : String(v))).join(', ');
  }
  return JSON.stringify(value) ?? '';
}

/** A value for a CSV cell: like a table cell, except that nested values (arrays too) are JSON. */
export function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A CSV cell that a spreadsheet will not run as a formula (OWASP "CSV injection"): text starting with `=`, `+`,
 * `-`, `@`, tab or carriage return gets a leading `'`. Numbers stay numbers; `raw` turns this off.
 */
export function csvCell(value: unknown, raw = false): string {
  const text = csvValue(value);
  if (raw || typeof value !== 'string') return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Quotes one CSV field per RFC 4180 when it holds a comma, quote, CR or LF (or starts/ends with space). */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record terminated by CRLF, as RFC 4180 says. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

// Server data may carry terminal escape sequences and bidi controls (U+202E turns "exe.txt" into "txt.exe" on
// screen); a table must never let them reach the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A table cell safe for a terminal: C0/C1 controls and bidi controls become visible escapes. */
export function safeCell(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return ' ';
    const n = c.charCodeAt(0);
    return n > 0xff ? `\\u${n.toString(16)}` : `\\x${n.toString(16)}`;
  });
}

function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/**
 * Column widths that fit `total` characters: the widest columns give way first (all wide columns are capped
 * at the same width), never below 3 characters (`ab…`); a table that cannot fit even then overflows.
 */
export function fitWidths(natural: readonly number[], total: number, gap = 2): number[] {
  const room = total - gap * Math.max(0, natural.length - 1);
  const sum = (cap: number) => natural.reduce((n, w) => n + Math.min(w, cap), 0);
  const widest = Math.max(0, ...natural);
  if (sum(widest) <= room) return [...natural];
  let cap = widest;
  while (cap > 3 && sum(cap) > room) cap--;
  return natural.map((w) => Math.min(w, cap));
}

/** Renders an aligned table (no trailing spaces). */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  target: Pick<OutputTarget, 'isTTY' | 'columns' | 'color'>,
  fixedWidths?: number[],
): { text: string; widths: number[] } {
  const natural = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const widths =
    fixedWidths ?? (target.isTTY && target.columns ? fitWidths(natural, Math.max(20, target.columns)) : natural);
  const colors = pc.createColors(target.color);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? c.length;
        const cut = target.isTTY ? truncate(c, w) : c;
        return i === cells.length - 1 ? cut : cut.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  let text = '';
  if (fixedWidths === undefined) text += `${colors.bold(line(headers))}\n`;
  for (const r of rows) text += `${line(r)}\n`;
  return { text, widths };
}

/** Options of {@link RecordWriter}. */
export interface RecordWriterOptions {
  /** Keys to show in table and csv, in order; default: the keys of the records, in first-seen order. */
  columns?: readonly string[];
  /** Header texts for the columns (table and csv); default: the keys. */
  headers?: readonly string[];
  /** Table rows buffered before a chunk is printed (widths are fixed by the first chunk). Default 1000. */
  chunk?: number;
}

/**
 * Writes records one by one in the chosen format, so that large results stream. `json` is a pretty array,
 * `jsonl` one object per line, `csv` a header row plus one row per record (nested values as JSON).
 */
export class RecordWriter {
  readonly #target: OutputTarget;
  readonly #format: OutputFormat;
  readonly #chunk: number;
  #columns: string[] | undefined;
  #headers: string[] | undefined;
  #buffer: Record<string, unknown>[] = [];
  #widths: number[] | undefined;
  #count = 0;

  constructor(target: OutputTarget, format: OutputFormat, options: RecordWriterOptions = {}) {
    this.#target = target;
    this.#format = format;
    this.#columns = options.columns ? [...options.columns] : undefined;
    this.#headers = options.headers ? [...options.headers] : undefined;
    this.#chunk = options.chunk ?? 1000;
  }

  /** How many records were written so far. */
  get count(): number {
    return this.#count;
  }

  /** Adds one record. */
  write(record: Record<string, unknown>): void {
    this.#count++;
    switch (this.#format) {
      case 'jsonl':
        this.#target.write(`${JSON.stringify(record)}\n`);
        return;
      case 'json': {
        const body = JSON.stringify(record, null, 2).replace(/\n/g, '\n  ');
        this.#target.write(`${this.#count === 1 ? '[\n  ' : ',\n  '}${body}`);
        return;
      }
      case 'csv': {
        if (this.#count === 1) {
          this.#columns ??= Object.keys(record);
          this.#target.write(csvLine(this.#headers ?? this.#columns));
        }
        const raw = this.#target.csvRaw === true;
        this.#target.write(csvLine((this.#columns ?? []).map((k) => csvCell(record[k], raw))));
        return;
      }
      case 'table':
        this.#buffer.push(record);
        if (this.#buffer.length >= this.#chunk) this.#flushTable();
        return;
    }
  }

  /** Finishes the output (closes the JSON array, prints the buffered table). */
  end(): void {
    if (this.#format === 'json') this.#target.write(this.#count === 0 ? '[]\n' : '\n]\n');
    // An empty result still gets its header row when the columns are known, so parsers see the schema.
    if (this.#format === 'csv' && this.#count === 0 && this.#columns) {
      this.#target.write(csvLine(this.#headers ?? this.#columns));
    }
    if (this.#format === 'table') this.#flushTable();
  }

  #flushTable(): void {
    if (this.#buffer.length === 0 && this.#widths !== undefined) return;
    if (this.#columns === undefined) {
      const keys = new Set<string>();
      for (const r of this.#buffer) for (const k of Object.keys(r)) keys.add(k);
      this.#columns = [...keys];
    }
    const columns = this.#columns;
    if (columns.length === 0) return;
    const rows = this.#buffer.map((r) => columns.map((k) => safeCell(cellText(r[k]))));
    const { text, widths } = renderTable(this.#headers ?? columns, rows, this.#target, this.#widths);
    this.#widths = widths;
    this.#target.write(text);
    this.#buffer = [];
  }
}

/** Writes a whole list of records. */
export function writeRecords(
  target: OutputTarget,
  format: OutputFormat,
  records: Iterable<Record<string, unknown>>,
  options?: RecordWriterOptions,
): void {
  const w = new RecordWriter(target, format, options);
  for (const r of records) w.write(r);
  w.end();
}

/** Writes one object: a key/value listing in table format, the object itself in the machine formats. */
export function writeObject(target: OutputTarget, format: OutputFormat, obj: Record<string, unknown>): void {
  if (format === 'json') {
    target.write(`${JSON.stringify(obj, null, 2)}\n`);
    return;
  }
  if (format === 'jsonl' || format === 'csv') {
    writeRecords(target, format, [obj]);
    return;
  }
  const colors = pc.createColors(target.color);
  const keys = Object.keys(obj);
  const width = Math.max(0, ...keys.map((k) => k.length));
  let text = '';
  for (const k of keys) {
    const value = safeCell(cellText(obj[k]));
    const room = target.isTTY && target.columns ? Math.max(10, target.columns - width - 2) : Number.POSITIVE_INFINITY;
    text += `${colors.bold(k.padEnd(width))}  ${value.length > room ? `${value.slice(0, room - 1)}…` : value}\n`;
  }
  target.write(text);
}
