/**
 * The error hierarchy of ptnad-client. Every error the SDK throws is a {@link PTNADError} with a stable string
 * {@link PTNADError.code | code} that callers (and the CLI) switch on; no raw undici or DOM error ever reaches a
 * caller (it is kept as `cause`, after redaction).
 *
 * Messages never contain secrets: the transport redacts URLs, headers and bodies before building any of these
 * (see internal/redact.ts).
 */

/**
 * The stable code of every SDK error. HTTP errors map by status: `bad_request` (400), `authentication` (401),
 * `permission_denied` (403), `not_found` (404), `conflict` (409), `unprocessable_entity` (422), `rate_limit`
 * (429), `server_error` (5xx), `api_error` (any other status).
 */
export type ErrorCode =
  | 'bad_request'
  | 'authentication'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'unprocessable_entity'
  | 'rate_limit'
  | 'server_error'
  | 'api_error'
  | 'connection'
  | 'timeout'
  | 'aborted'
  | 'validation'
  | 'unexpected_response'
  | 'response_too_large'
  | 'bql_syntax'
  | 'bql_query'
  | 'commit_failed'
  | 'task_failed'
  | 'sync_guard';

/** Options every SDK error takes. */
export interface PTNADErrorOptions {
  cause?: unknown;
  /** What the SDK was doing, e.g. "create reputation list". */
  operation?: string;
}

/** Root of every error thrown by ptnad-client. `code` says what kind of failure it is, `operation` what was done. */
export class PTNADError extends Error {
  /** The stable code of this kind of failure, e.g. `not_found`, `timeout`, `bql_syntax`. */
  readonly code: ErrorCode;
  /** What the SDK was doing, e.g. "create reputation list". Empty when not known. */
  readonly operation: string;

  constructor(message: string, options: PTNADErrorOptions & { code: ErrorCode }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.operation = options.operation ?? '';
  }
}

/** Invalid arguments given to the SDK, caught before anything was sent (bad list name, empty id, bad time, ...). */
export class ValidationError extends PTNADError {
  declare readonly code: 'validation';
  constructor(message: string, options: PTNADErrorOptions = {}) {
    super(message, { ...options, code: 'validation' });
  }
}

/**
 * The server's answer is not the shape the SDK needs (a list answer without `results`, `null` where an item
 * should be, text where JSON was expected). Says what was expected; the server is at fault, not the arguments.
 */
export class UnexpectedResponseError extends PTNADError {
  declare readonly code: 'unexpected_response';
  constructor(message: string, options: PTNADErrorOptions = {}) {
    super(message, { ...options, code: 'unexpected_response' });
  }
}

/** An answer was larger than the client's `maxResponseBytes`; reading it stopped there. */
export class ResponseTooLargeError extends PTNADError {
  declare readonly code: 'response_too_large';
  /** The limit that was exceeded, in bytes. */
  readonly limitBytes: number;
  constructor(message: string, options: PTNADErrorOptions & { limitBytes: number }) {
    super(message, { ...options, code: 'response_too_large' });
    this.limitBytes = options.limitBytes;
  }
}

/** Details of the HTTP exchange an {@link APIError} came from; everything is already redacted. */
export interface APIErrorInit {
  status: number;
  method: string;
  /** Redacted URL (no credentials, no secret query parameters). */
  url: string;
  /** The parsed JSON body, or the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  headers?: Record<string, string>;
  operation?: string;
  cause?: unknown;
}

/** The HTTP facts every error from a server answer carries ({@link APIError} and {@link BqlQueryError}). */
export interface HttpErrorFacts {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** The code of an HTTP status that has no more specific error class. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'authentication';
    case 403:
      return 'permission_denied';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 422:
      return 'unprocessable_entity';
    case 429:
      return 'rate_limit';
    default:
      return status >= 500 ? 'server_error' : 'api_error';
  }
}

/** The server answered with a status >= 400 (or a 2xx body that carries an error). */
export class APIError extends PTNADError implements HttpErrorFacts {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  /** `code` defaults to the status's code; the subclasses pass their own. */
  constructor(message: string, init: APIErrorInit, code: ErrorCode = codeForStatus(init.status)) {
    super(message, { cause: init.cause, operation: init.operation, code });
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.body = init.body;
    this.headers = init.headers ?? {};
  }
}

/** 400. */
export class BadRequestError extends APIError {
  declare readonly code: 'bad_request';
  constructor(message: string, init: APIErrorInit) {
    super(message, init, 'bad_request');
  }
}
/** 401, or a login the server refused. */
export class AuthenticationError extends APIError {
  declare readonly code: 'authentication';
  constructor(message: string, init: APIErrorInit) {
    super(message, init, 'authentication');
  }
}
/** 403 that is not a stale session: the account lacks the permission. */
export class PermissionDeniedError extends APIError {
  declare readonly code: 'permission_denied';
  constructor(message: string, init: APIErrorInit) {
    super(message, init, 'permission_denied');
  }
}
/** 404. */
export class NotFoundError extends APIError {
  declare readonly code: 'not_found';
  constructor(message: string, init: APIErrorInit) {
    super(message, init, 'not_found');
  }
}
/** 409. */
export class ConflictError extends APIError {
  declare readonly code: 'conflict';
  constructor(message: string, init: APIErrorInit) {
    super(message, init, 'conflict');
  }
}
/** 422. */
export class UnprocessableEntityError extends APIError {
  declare readonly code: 'unprocessable_entity';
  constructor(message: string, init: APIErrorInit) {
    super(message, init, 'unprocessable_entity');
  }
}
/** 429. */
export class RateLimitError extends APIError {
  declare readonly code: 'rate_limit';
  constructor(message: string, init: APIErrorInit) {
    super(message, init, 'rate_limit');
  }

  /** Seconds the server asked us to wait (Retry-After), when it said. */
  get retryAfterSeconds(): number | undefined {
    const raw = this.headers['retry-after'];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (Number.isFinite(n)) return n;
    const at = Date.parse(raw);
    return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
  }
}
/** 5xx. */
export class InternalServerError extends APIError {
  declare readonly code: 'server_error';
  constructor(message: string, init: APIErrorInit) {
    super(message, init, 'server_error');
  }
}

/** The request never got an HTTP answer: DNS, refused, reset, TLS failure. */
export class ConnectionError extends PTNADError {
  declare readonly code: 'connection';
  /** The system's error code such as ECONNREFUSED, ECONNRESET, CERT_UNTRUSTED, when known. */
  readonly systemCode: string | undefined;
  /** True when the failure is a TLS certificate problem (self-signed, expired, wrong host). */
  readonly tls: boolean;

  constructor(message: string, options: PTNADErrorOptions & { systemCode?: string; tls?: boolean } = {}) {
    super(message, { cause: options.cause, operation: options.operation, code: 'connection' });
    this.systemCode = options.systemCode;
    this.tls = options.tls ?? false;
  }
}

/** The SDK's own timeout (timeoutMs) expired. Distinct from a caller's abort. */
export class TimeoutError extends PTNADError {
  declare readonly code: 'timeout';
  constructor(message: string, options: PTNADErrorOptions = {}) {
    super(message, { ...options, code: 'timeout' });
  }
}

/** The caller's AbortSignal fired. Never retried. */
export class AbortError extends PTNADError {
  declare readonly code: 'aborted';
  constructor(message: string, options: PTNADErrorOptions = {}) {
    super(message, { ...options, code: 'aborted' });
  }
}

/**
 * Any BQL error, local or from the server: catch this once. `line` and `column` (1-based) say where the problem
 * is when either side knows it; `reason` is the message without the position and snippet.
 * @example
 * try { await client.bql.query(text); } catch (e) { if (e instanceof BqlError) console.log(e.line, e.column, e.reason); }
 */
export abstract class BqlError extends PTNADError {
  declare readonly code: 'bql_syntax' | 'bql_query';
  /** 1-based line of the problem, when known. */
  abstract readonly line: number | undefined;
  /** 1-based column of the problem (UTF-16 code units), when known. */
  abstract readonly column: number | undefined;
  /** The bare reason, e.g. "unterminated string". */
  abstract readonly reason: string;
}

/** A BQL text could not be parsed. Thrown offline by ptnad-client/bql, before any request. */
export class BqlSyntaxError extends BqlError {
  declare readonly code: 'bql_syntax';
  /** 0-based offset into the text. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units, like editors count). */
  readonly column: number;
  /** What the parser would have accepted at that point, e.g. ["field", "("]. */
  readonly expected: string[];
  readonly reason: string;

  constructor(
    reason: string,
    details: { offset: number; line: number; column: number; expected?: string[]; snippet: string },
  ) {
    super(`${reason} at line ${details.line}, column ${details.column}\n${details.snippet}`, { code: 'bql_syntax' });
    this.reason = reason;
    this.offset = details.offset;
    this.line = details.line;
    this.column = details.column;
    this.expected = details.expected ?? [];
  }
}

/**
 * The server rejected a BQL query (`{"error": "..."}`), with the server's own message (line breaks kept, so a
 * caret snippet stays readable). Carries the HTTP facts like an {@link APIError} (which is its `cause` when the
 * answer was an HTTP error), and `line`/`column` when the server's message names a position.
 */
export class BqlQueryError extends BqlError implements HttpErrorFacts {
  declare readonly code: 'bql_query';
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly reason: string;

  constructor(message: string, init: APIErrorInit & { reason?: string }) {
    super(message, { cause: init.cause, operation: init.operation, code: 'bql_query' });
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.body = init.body;
    this.headers = init.headers ?? {};
    this.reason = init.reason ?? message;
    const at = serverPosition(this.reason);
    this.line = at?.line;
    this.column = at?.column;
  }
}

/**
 * The position a server's BQL error message names, in the forms engines use: "line 2, column 5",
 * "line 2:5", "at 2:5", or "position 14" / "offset 14" / "column 14" on a one-line query.
 */
export function serverPosition(message: string): { line: number; column: number } | undefined {
  const lc = /\bline\s+(\d+)\s*(?:,\s*(?:col(?:umn)?|char(?:acter)?|pos(?:ition)?)\s*|:)(\d+)/i.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pair = /\bat\s+(\d+):(\d+)\b/.exec(message);
  if (pair) return { line: Number(pair[1]), column: Number(pair[2]) };
  const single = /\b(?:position|pos|offset|col(?:umn)?|char(?:acter)?)\s+(\d+)\b/i.exec(message);
  if (single) return { line: 1, column: Number(single[1]) };
  return undefined;
}

/** `signatures/commit` failed; carries the server's `fatal_error` and `other_errors`. */
export class CommitError extends APIError {
  declare readonly code: 'commit_failed';
  readonly fatalError: string | null;
  readonly otherErrors: string[];

  constructor(message: string, init: APIErrorInit & { fatalError: string | null; otherErrors: string[] }) {
    super(message, init, 'commit_failed');
    this.fatalError = init.fatalError;
    this.otherErrors = init.otherErrors;
  }
}

/** An async server task (save, getfile) ended in FAILURE or REVOKED; the message carries the server's reason. */
export class TaskFailedError extends PTNADError {
  declare readonly code: 'task_failed';
  readonly taskId: string;
  readonly state: string;
  readonly result: unknown;

  constructor(message: string, init: { taskId: string; state: string; result: unknown; operation?: string }) {
    super(message, { operation: init.operation, code: 'task_failed' });
    this.taskId = init.taskId;
    this.state = init.state;
    this.result = init.result;
  }
}

/**
 * `replists.syncDynamicList` refused to run, before changing anything, because the feed would empty the list or
 * remove more than the allowed share of it (a failed download looks like an empty feed).
 */
export class SyncGuardError extends PTNADError {
  declare readonly code: 'sync_guard';
  /** Values the sync would have removed. */
  readonly wouldRemove: number;
  /** Values the list holds now. */
  readonly current: number;
  /** Valid values in the feed. */
  readonly wanted: number;
  /** The largest share of the list a sync may remove (the `maxRemoveRatio` in force). */
  readonly maxRemoveRatio: number;
  /** A few of the values that would have been removed. */
  readonly examples: string[];

  constructor(
    message: string,
    init: PTNADErrorOptions & {
      wouldRemove: number;
      current: number;
      wanted: number;
      maxRemoveRatio: number;
      examples: string[];
    },
  ) {
    super(message, { cause: init.cause, operation: init.operation, code: 'sync_guard' });
    this.wouldRemove = init.wouldRemove;
    this.current = init.current;
    this.wanted = init.wanted;
    this.maxRemoveRatio = init.maxRemoveRatio;
    this.examples = init.examples;
  }
}
