import type { ServerResponse } from 'node:http';
import type { Reply } from '../routes/types.js';

/** Writes a reply with Content-Length (keep-alive friendly). */
export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | string[]> = { ...reply.headers };
  let payload: Buffer | null = null;
  if (reply.raw) {
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
