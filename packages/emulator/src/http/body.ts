import type { IncomingMessage } from 'node:http';
import { badRequest, HttpError } from './errors.js';
import { jsonErrorOffset, lineColumn } from './json-position.js';

/** Default cap on request bodies: big enough for bulk IOC uploads, small enough to stop accidents. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Reads the whole request body, rejecting it with 413 once it passes `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  // HTTP/1.1: without Content-Length or Transfer-Encoding there is no body; skip the stream machinery (hot GETs).
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    return Buffer.alloc(0);
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(buf);
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, { detail: `Request body is larger than ${maxBytes} bytes.` });
}

/** The media type of a request without parameters, lower case ('' when absent). */
export function mediaType(req: IncomingMessage): string {
  const raw = req.headers['content-type'] ?? '';
  return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

/** 415 as DRF words it. */
export function unsupportedMediaType(type: string): HttpError {
  return new HttpError(415, { detail: `Unsupported media type "${type}" in request.` });
}

/** Parses a JSON body; a syntax error is a 400 that says where (line and column) and what V8 saw. */
export function parseJsonBody(buf: Buffer): unknown {
  const text = buf.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 quotes the body around the error, newlines included: keep the message on one line.
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    const offset = jsonErrorOffset(text);
    if (offset < 0) throw badRequest(`JSON parse error - ${message}`);
    const { line, column } = lineColumn(text, offset);
    throw badRequest(`JSON parse error - line ${line} column ${column}: ${message}`);
  }
}

/** Parses an `application/x-www-form-urlencoded` body into a plain map (last value wins). */
export function parseFormBody(buf: Buffer): Map<string, string> {
  return new Map(new URLSearchParams(buf.toString('utf8')));
}
