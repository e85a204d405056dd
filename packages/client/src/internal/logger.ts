/**
 * Leveled logging through the redactor: every line the SDK logs passes `Redactor.text` first, so a logger can
 * be pointed at any sink without leaking passwords, tokens, cookies, CSRF tokens or API keys.
 */

import type { Logger, LogLevel } from '../core/config.js';
import type { Redactor } from './redact.js';

export type { Logger, LogLevel } from '../core/config.js';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/** Codes of the process warnings already emitted (see {@link SafeLogger.securityWarning}). */
const WARNED = new Set<string>();

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

  /**
   * A warning that must reach someone even when the program gave no logger (TLS verification turned off): the
   * logger when there is one, otherwise a Node process warning (stderr, like NODE_TLS_REJECT_UNAUTHORIZED=0's),
   * once per process and `code`. `logLevel: 'off'` silences it, as it silences everything.
   */
  securityWarning(message: string, code: string): void {
    if (this.sink !== undefined) {
      this.warn(message);
      return;
    }
    if (this.level === 'off' || WARNED.has(code)) return;
    WARNED.add(code);
    process.emitWarning(`[ptnad-client] ${this.redactor.text(message)}`, { code });
  }

  #write(level: Exclude<LogLevel, 'off'>, message: string): void {
    if (!this.enabled(level) || this.sink === undefined) return;
    this.sink[level](`[ptnad-client] ${this.redactor.text(message)}`);
  }
}
