/**
 * The webhook sink: POSTs each event as one JSON document (the shape NAD-Alert-Bot-style receivers take), or the
 * `--template` filled in with the event's fields, in order, one at a time. 2xx accepts it. 408, 429, 5xx and connection errors are retried with exponential
 * back-off (honouring `Retry-After`) until they succeed: an event is never dropped. Any other 4xx stops the
 * watcher with that status (the checkpoint stays before the event, so nothing is lost).
 * The label and messages show the URL without credentials, query or fragment (webhook URLs often hold tokens).
 */
import { Agent, fetch } from 'undici';
import { CliError, EXIT } from '../errors.js';
import type { WatchEvent } from './events.js';
import { backoffMs, pause, retryAfterMs } from './retry.js';
import type { Sink, SinkContext } from './sink.js';

/** Delivers events to an HTTP receiver. */
export class WebhookSink implements Sink {
  readonly label: string;
  private readonly dispatcher: Agent;

  constructor(
    private readonly url: URL,
    private readonly ctx: SinkContext,
  ) {
    this.label = `webhook:${url.protocol}//${url.host}${url.pathname.length > 1 ? '/…' : ''}`;
    this.dispatcher = new Agent({ connect: ctx.ca ? { ca: ctx.ca } : {}, keepAliveTimeout: 30_000 });
  }

  async write(events: readonly WatchEvent[]): Promise<void> {
    for (const e of events) await this.post(e);
  }

  private async post(event: WatchEvent): Promise<void> {
    const body = this.ctx.template === undefined ? JSON.stringify(event) : renderTemplate(this.ctx.template, event);
    for (let attempt = 1; ; attempt++) {
      let wait: number | undefined;
      let problem: string;
      try {
        const res = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'ptnad-cli watch' },
          body,
          dispatcher: this.dispatcher,
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        problem = `HTTP ${res.status}`;
        if (res.status !== 408 && res.status !== 429 && res.status < 500) {
          throw new CliError(`${this.label} refused event ${event.id}: ${problem}`, EXIT.api);
        }
        wait = retryAfterMs(res.headers.get('retry-after'));
      } catch (err) {
        if (err instanceof CliError) throw err;
        problem = errorText(err);
      }
      const delay = wait ?? backoffMs(attempt);
      this.ctx.onRetry(`${this.label}: ${problem}; retrying event ${event.id} in ${delay} ms`);
      await pause(delay);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/**
 * A body from a template: each `{{path}}` (e.g. `{{msg}}`, `{{attacker.ip}}`) becomes the JSON encoding of that
 * field of the event (`null` when absent), so `{"text": {{msg}}}` stays valid JSON whatever the message holds.
 */
export function renderTemplate(template: string, event: WatchEvent): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_@.-]+)\s*\}\}/g, (_, path: string) => {
    let v: unknown = event;
    for (const p of path.split('.'))
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    return JSON.stringify(v ?? null);
  });
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: string; message?: string } | undefined;
  return cause?.code ? `${err.message} (${cause.code})` : err.message;
}
