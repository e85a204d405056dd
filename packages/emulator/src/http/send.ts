import type { ServerResponse } from 'node:http';
import type { Reply } from '../routes/types.js';

/** The JSON bytes of a reply that has a JSON body, or undefined. */
export function jsonBytes(reply: Reply): Buffer | undefined {
  if (reply.json !== undefined) return reply.json;
  return reply.body === undefined ? undefined : Buffer.from(JSON.stringify(reply.body));
}

/** Writes a reply with Content-Length (keep-alive friendly). */
export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | string[]> = { ...reply.headers };
  let payload: Buffer | null = null;
  if (reply.json !== undefined && reply.status !== 204) {
    payload = reply.json;
    headers['Content-Type'] = 'application/json';
  } else if (reply.raw) {
    payload = reply.raw;
    headers['Content-Type'] = reply.contentType ?? 'application/octet-stream';
  } else if (reply.body !== undefined && reply.status !== 204) {
    payload = Buffer.from(JSON.stringify(reply.body));
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = String(payload ? payload.length : 0);
  res.writeHead(reply.status, headers);
  res.end(payload ?? undefined);
}
