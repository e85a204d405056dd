/**
 * Leveled logging through the redactor: every line the SDK logs passes `Redactor.text` first, so a logger can
 * be pointed at any sink without leaking passwords, tokens, cookies, CSRF tokens or API keys.
 */

import type { Logger, LogLevel } from '../core/config.js';
import type { Redactor } from './redact.js';

export type { Logger, LogLevel } from '../core/config.js';

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
