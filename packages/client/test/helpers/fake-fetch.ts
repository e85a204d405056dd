/**
 * A scripted `fetch` for unit tests of the transport: records every request exactly as the SDK sent it and
 * answers from a handler. Integration tests use the real emulator instead.
 */

import type { FetchLike } from '../../src/index.js';

export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string | undefined;
}

export type Handler = (req: SeenRequest, index: number) => Response | Promise<Response>;

export interface FakeFetch {
  fetch: FetchLike;
  requests: SeenRequest[];
}

/** A fetch that records requests and answers with `handler`; honours the abort signal like a real fetch. */
export function fakeFetch(handler: Handler): FakeFetch {
  const requests: SeenRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    const req: SeenRequest = {
      method: init.method ?? 'GET',
      url: new URL(url),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    requests.push(req);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    const answer = Promise.resolve(handler(req, requests.length - 1));
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  };
  return { fetch, requests };
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** An error shaped like undici's `fetch failed` with a coded cause. */
export function networkError(code: string, message = `connect ${code} 127.0.0.1:1`): Error {
  const cause = Object.assign(new Error(message), { code });
  return new TypeError('fetch failed', { cause });
}

/** A promise that never settles (until the request's signal aborts it). */
export function never(): Promise<Response> {
  return new Promise(() => undefined);
}

/** Collects log lines of every level. */
export function memoryLogger() {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, logger: { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') } };
}
