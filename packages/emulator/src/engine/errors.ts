/**
 * The engine's one error type. Syntax errors from the toolkit's parser and semantic errors found while
 * compiling (unknown table, unknown function, operands of the wrong type) both become a BqlEngineError whose
 * message names the line and column, which the HTTP route returns as `{"error": message}`.
 */
import { BqlSyntaxError, locate, type Span } from 'ptnad-client/bql';

/** A query the engine cannot run; `message` carries `at line L, column C` and a caret snippet. */
export class BqlEngineError extends Error {
  /** 0-based offset into the query text. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The bare reason, without the position. */
  readonly reason: string;

  constructor(reason: string, where: { offset: number; line: number; column: number; snippet?: string }) {
    super(`${reason} at line ${where.line}, column ${where.column}${where.snippet ? `\n${where.snippet}` : ''}`);
    this.name = 'BqlEngineError';
    this.reason = reason;
    this.offset = where.offset;
    this.line = where.line;
    this.column = where.column;
  }
}

/** Builds a BqlEngineError for a position (a span's start, or an offset) inside `text`. */
export function engineError(text: string, at: Span | number | undefined, reason: string): BqlEngineError {
  return new BqlEngineError(reason, locate(text, typeof at === 'number' ? at : (at?.start ?? 0)));
}

/** Turns the parser's BqlSyntaxError into a BqlEngineError (same message and position); rethrows anything else. */
export function wrapSyntaxError(err: unknown): never {
  if (err instanceof BqlSyntaxError) {
    const e = new BqlEngineError(err.reason, { offset: err.offset, line: err.line, column: err.column });
    // Keep the parser's own message: it already has the position and a caret snippet.
    Object.defineProperty(e, 'message', { value: err.message });
    throw e;
  }
  throw err;
}
