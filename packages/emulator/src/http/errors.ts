/** A JSON error response thrown by handlers and helpers; the server turns it into the wire reply. */
export class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'object' && body !== null && 'detail' in body ? String(body.detail) : `HTTP ${status}`);
    this.name = 'HttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** DRF field errors: field name -> list of messages (or nested errors for list bodies). */
export type FieldErrors = Record<string, unknown>;

/** 400 with a DRF-style `{field: [messages]}` body. */
export function validationError(errors: FieldErrors): HttpError {
  return new HttpError(400, errors);
}

/** 400 for one field with one message. */
export function fieldError(field: string, message: string): HttpError {
  return new HttpError(400, { [field]: [message] });
}

/** 404 with DRF's default body. */
export function notFound(detail = 'Not found.'): HttpError {
  return new HttpError(404, { detail });
}

/** 400 with a `{detail}` body (malformed input that is not a single field). */
export function badRequest(detail: string): HttpError {
  return new HttpError(400, { detail });
}
