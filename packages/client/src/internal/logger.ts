/**
 * Leveled logging through the redactor: every line the SDK logs passes `Redactor.text` first, so a logger can
 * be pointed at any sink without leaking passwords, tokens, cookies, CSRF tokens or API keys.
 */

import type { Redactor } from './redact.js';

/** Log levels, from the most to the least verbose; `off` silences the SDK. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** A sink for the SDK's log lines; `console` fits. Each method receives one already-redacted line. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/** The SDK's internal logger: level filtering and redaction in one place. */
export class SafeLogger {
  constructor(
    private readonly sink: Logger | undefined,
    private readonly level: LogLevel,
    private readonly redactor: Redactor,
  ) {}

  enabled(level: Exclude<LogLevel, 'off'>): boolean {
    return this.sink !== undefined && RANK[level] >= RANK[this.level];
  }

  debug(message: string): void {
    this.#write('debug', message);
  }

  info(message: string): void {
    this.#write('info', message);
  }

  warn(message: string): void {
    this.#write('warn', message);
  }

  error(message: string): void {
    this.#write('error', message);
  }

  #write(level: Exclude<LogLevel, 'off'>, message: string): void {
    if (!this.enabled(level) || this.sink === undefined) return;
    this.sink[level](`[ptnad-client] ${this.redactor.text(message)}`);
  }
}
