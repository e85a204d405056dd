/**
 * Builds the APIError subclass for an HTTP error answer, with the one message shape the SDK uses everywhere:
 * `Failed to <operation>: <status> <reason>: <server detail>`. Everything is redacted before it is stored.
 */

import { STATUS_CODES } from 'node:http';
import {
  APIError,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../core/errors.js';
import type { Redactor } from './redact.js';

const MAX_DETAIL = 500;

/** The class that represents a status (400, 401, 403, 404, 409, 422, 429, 5xx, else APIError). */
function errorClassFor(status: number): typeof APIError {
  if (status === 400) return BadRequestError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 422) return UnprocessableEntityError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return InternalServerError;
  return APIError;
}

/** Parses an error body: JSON when it is JSON, the text otherwise, undefined when empty. */
export function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The human part of a server error body: DRF's `detail`, the BQL `error`, OAuth's `error_description`,
 * a field -> messages map, or the text itself. Truncated so a 1 MB HTML error page does not become a message.
 * Line breaks are kept; other control characters are removed.
 */
export function serverDetail(body: unknown): string {
  let text = '';
  if (typeof body === 'string') text = body;
  else if (Array.isArray(body)) text = body.map((item) => serverDetail(item)).join('; ');
  else if (body !== null && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const direct = record.detail ?? record.error_description ?? record.error ?? record.message;
    if (typeof direct === 'string') text = direct;
    else if (direct !== undefined) text = serverDetail(direct);
    else {
      text = Object.entries(record)
        .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(' ') : serverDetail(value)}`)
        .join('; ');
    }
  } else if (body !== undefined && body !== null) text = String(body);
  // Keep the server's line breaks (a BQL engine's caret snippet is multi-line) and tabs; drop every other
  // control character (ESC, BEL, NUL, C1) so a message cannot drive a terminal, and trailing blanks per line.
  text = text
    .replace(/\r\n?/g, '\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/^\n+|\n+$/g, '');
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}...` : text;
}

/** Options for {@link buildAPIError}. */
export interface HttpFailure {
  status: number;
  statusText?: string;
  method: string;
  url: string;
  bodyText: string;
  headers: Headers;
  operation: string;
}

/** Makes the typed, redacted error for a failed HTTP exchange. `cls` overrides the status mapping. */
export function buildAPIError(
  failure: HttpFailure,
  redactor: Redactor,
  cls?: new (message: string, init: APIErrorInit) => APIError,
): APIError {
  const body = redactor.value(parseBody(failure.bodyText));
  const reason = failure.statusText || STATUS_CODES[failure.status] || 'Error';
  const detail = serverDetail(body);
  const message = redactor.text(
    `Failed to ${failure.operation}: ${failure.status} ${reason}${detail ? `: ${detail}` : ''}`,
  );
  const Ctor = cls ?? errorClassFor(failure.status);
  return new Ctor(message, {
    status: failure.status,
    method: failure.method,
    url: redactor.url(failure.url),
    body,
    headers: redactor.headers(failure.headers),
    operation: failure.operation,
  });
}
