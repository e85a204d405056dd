/**
 * Outbound webhooks (`--webhook URL`): each alert of a newly visible flow is POSTed as one JSON document, in the
 * order the alerts appeared, one request at a time. A failed delivery (connection error, timeout, 5xx, 429) is
 * retried with exponential back-off (honouring `Retry-After`) up to `maxAttempts`; a 4xx other than 408/429 is
 * final. Failures are reported through `onError`, never thrown into the emulator.
 */
import type { AlertWebhookDocument } from './webhook-payload.js';

/** Options of the webhook sender. */
export interface WebhookOptions {
  /** Receiver URL (http or https). */
  url: string;
  /** Attempts per document, first included. Default 6. */
  maxAttempts?: number;
  /** First retry delay in ms, doubled per attempt (with jitter), capped at 30 s. Default 500. */
  retryBaseMs?: number;
  /** Per-request timeout in ms. Default 10,000. */
  timeoutMs?: number;
  /** Called when a document is given up on or an attempt fails. */
  onError?: (message: string) => void;
}

/** Delivery counters. */
export interface WebhookStats {
  delivered: number;
  failed: number;
  attempts: number;
  queued: number;
}

/** Sends webhook documents in order with retries. */
export class WebhookSender {
  private readonly url: URL;
  private readonly queue: AlertWebhookDocument[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly aborter = new AbortController();
  readonly stats: WebhookStats = { delivered: 0, failed: 0, attempts: 0, queued: 0 };

  constructor(private readonly options: WebhookOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new RangeError(`webhook URL is not a URL: "${options.url}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RangeError(`webhook URL must be http or https, got "${url.protocol}"`);
    }
    this.url = url;
  }

  /** Queues documents; delivery starts at once in the background. */
  send(docs: readonly AlertWebhookDocument[]): void {
    if (this.closed || docs.length === 0) return;
    this.queue.push(...docs);
    this.stats.queued = this.queue.length;
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when every queued document was delivered or given up on. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops sending; documents still queued are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    this.aborter.abort();
    await this.running?.catch(() => undefined);
  }

  private async drain(): Promise<void> {
    for (let doc = this.queue.shift(); doc !== undefined && !this.closed; doc = this.queue.shift()) {
      this.stats.queued = this.queue.length;
      await this.deliver(doc);
    }
  }

  private async deliver(doc: AlertWebhookDocument): Promise<void> {
    const max = this.options.maxAttempts ?? 6;
    const body = JSON.stringify(doc);
    for (let attempt = 1; attempt <= max && !this.closed; attempt++) {
      this.stats.attempts++;
      let retryAfterMs: number | undefined;
      let problem: string;
      try {
        const res = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(this.options.timeoutMs ?? 10_000)]),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.stats.delivered++;
          return;
        }
        problem = `HTTP ${res.status}`;
        if (res.status !== 408 && res.status !== 429 && res.status < 500) {
          this.giveUp(doc, `${problem} (not retried)`);
          return;
        }
        retryAfterMs = retryAfter(res.headers.get('retry-after'));
      } catch (err) {
        if (this.closed) return;
        problem = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      if (attempt === max) {
        this.giveUp(doc, `${problem} after ${max} attempts`);
        return;
      }
      this.options.onError?.(`webhook: alert ${doc.alert.s_id} of flow ${doc.flow_id}: ${problem}; retrying`);
      const base = Math.min(30_000, (this.options.retryBaseMs ?? 500) * 2 ** (attempt - 1));
      await sleep(retryAfterMs ?? base * (0.5 + Math.random() / 2), this.aborter.signal);
    }
  }

  private giveUp(doc: AlertWebhookDocument, why: string): void {
    this.stats.failed++;
    this.options.onError?.(`webhook: gave up on alert ${doc.alert.s_id} of flow ${doc.flow_id}: ${why}`);
  }
}

function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return Math.min(s * 1000, 60_000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.min(at - Date.now(), 60_000));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
