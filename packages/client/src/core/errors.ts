/**
 * The error hierarchy of ptnad-client. Every error the SDK throws is a {@link PTNADError};
 * no raw undici or DOM error ever reaches a caller (it is kept as `cause`, after redaction).
 *
 * Messages never contain secrets: the transport redacts URLs, headers and bodies before
 * building any of these (see internal/redact.ts).
 */

/** Root of every error thrown by ptnad-client. `operation` says what the SDK was doing. */
export class PTNADError extends Error {
  /** What the SDK was doing, e.g. "Failed to create reputation list". Empty when not known. */
  readonly operation: string;

  constructor(message: string, options?: { cause?: unknown; operation?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.operation = options?.operation ?? '';
  }
}

/** Invalid arguments caught before anything was sent (bad list name, empty id, ...). */
export class ValidationError extends PTNADError {}

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

/** The server answered with a status >= 400 (or a 2xx body that carries an error). */
export class APIError extends PTNADError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(message: string, init: APIErrorInit) {
    super(message, { cause: init.cause, operation: init.operation });
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.body = init.body;
    this.headers = init.headers ?? {};
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {
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
export class InternalServerError extends APIError {}

/** The request never got an HTTP answer: DNS, refused, reset, TLS failure. */
export class ConnectionError extends PTNADError {
  /** A stable code such as ECONNREFUSED, ECONNRESET, CERT_UNTRUSTED, when known. */
  readonly code: string | undefined;
  /** True when the failure is a TLS certificate problem (self-signed, expired, wrong host). */
  readonly tls: boolean;

  constructor(message: string, options?: { cause?: unknown; operation?: string; code?: string; tls?: boolean }) {
    super(message, options);
    this.code = options?.code;
    this.tls = options?.tls ?? false;
  }
}

/** The SDK's own timeout (timeoutMs) expired. Distinct from a caller's abort. */
export class TimeoutError extends PTNADError {}

/** The caller's AbortSignal fired. Never retried. */
export class AbortError extends PTNADError {}

/** A BQL text could not be parsed. Thrown offline by ptnad-client/bql, before any request. */
export class BqlSyntaxError extends PTNADError {
  /** 0-based offset into the text. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units, like editors count). */
  readonly column: number;
  /** What the parser would have accepted at that point, e.g. ["field", "("]. */
  readonly expected: string[];
  /** The bare reason without the location and snippet, e.g. "unterminated string". */
  readonly reason: string;

  constructor(
    reason: string,
    details: { offset: number; line: number; column: number; expected?: string[]; snippet: string },
  ) {
    super(`${reason} at line ${details.line}, column ${details.column}\n${details.snippet}`);
    this.reason = reason;
    this.offset = details.offset;
    this.line = details.line;
    this.column = details.column;
    this.expected = details.expected ?? [];
  }
}

/** The server rejected a BQL query (`{"error": "..."}`), with the server's own message. */
export class BqlQueryError extends APIError {}

/** `signatures/commit` failed; carries the server's `fatal_error` and `other_errors`. */
export class CommitError extends APIError {
  readonly fatalError: string | null;
  readonly otherErrors: string[];

  constructor(message: string, init: APIErrorInit & { fatalError: string | null; otherErrors: string[] }) {
    super(message, init);
    this.fatalError = init.fatalError;
    this.otherErrors = init.otherErrors;
  }
}

/** An async server task (save, getfile) ended in FAILURE or REVOKED. */
export class TaskFailedError extends PTNADError {
  readonly taskId: string;
  readonly state: string;
  readonly result: unknown;

  constructor(message: string, init: { taskId: string; state: string; result: unknown; operation?: string }) {
    super(message, { operation: init.operation });
    this.taskId = init.taskId;
    this.state = init.state;
    this.result = init.result;
  }
}

/**
 * The answer was larger than `maxResponseBytes` (default 64 MiB); it was refused as it arrived and never held
 * whole. Not a connection problem and never retried. Downloads (`files.download`) are streamed and not limited.
 */
export class ResponseTooLargeError extends PTNADError {
  readonly code = 'response_too_large' as const;
  /** The limit in bytes (`maxResponseBytes`). */
  readonly limit: number;

  constructor(message: string, options: { operation?: string; limit: number; cause?: unknown }) {
    super(message, options);
    this.limit = options.limit;
  }
}
