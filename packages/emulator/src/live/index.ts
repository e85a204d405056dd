/**
 * Wires live mode into a running emulator: the feed that appends flows as time passes and, optionally, the
 * outbound webhook that POSTs each new alert.
 */
import type { App } from '../app.js';
import { appendLiveFlows } from './append.js';
import { LiveFeed, type LiveOptions } from './feed.js';
import { LiveGenerator } from './generator.js';
import { type WebhookOptions, WebhookSender } from './webhook.js';
import { alertDocument } from './webhook-payload.js';

export { LIVE_MAX_DELAY_MS, type LiveArrival, LiveFeed, type LiveOptions } from './feed.js';
export { LIVE_MAX_FLOW_MS } from './generator.js';
export { type WebhookOptions, WebhookSender, type WebhookStats } from './webhook.js';
export { type AlertWebhookDocument, alertDocument, type WebhookHost } from './webhook-payload.js';

/** Live mode of one emulator: `emulator.live`. */
export interface LiveMode {
  /** The feed: `tick(ms)`, `now()`, `onArrival(...)`, `counts`. */
  feed: LiveFeed;
  /** The webhook sender, when `webhook` was given. */
  webhook: WebhookSender | undefined;
  /** Advances live time (same as `feed.tick`); returns the flows that became visible. */
  tick: LiveFeed['tick'];
  /** Stops the wall clock and the webhook. */
  close(): Promise<void>;
}

/** Starts live mode over the app's dataset; `uiBase` is the emulator's URL (for `flow_url`). */
export function startLive(
  app: App,
  options: LiveOptions,
  webhook: WebhookOptions | undefined,
  uiBase: () => string,
): LiveMode {
  const attackShare = options.attackShare ?? 0.2;
  if (!(attackShare >= 0 && attackShare <= 1))
    throw new RangeError(`live attackShare must be in 0..1, got ${attackShare}`);
  const seed = options.seed ?? app.dataset.seed;
  const generator = new LiveGenerator({ seed: app.dataset.seed, now: app.dataset.now }, seed, attackShare);
  const feed = new LiveFeed(generator, (flows) => appendLiveFlows(app, flows), {
    rate: options.rate,
    seed,
    start: app.dataset.now,
  });
  const sender = webhook ? new WebhookSender(webhook) : undefined;
  if (sender) {
    feed.onArrival((arrivals) => {
      const base = uiBase();
      sender.send(arrivals.flatMap(({ flow }) => flow.alert.map((a) => alertDocument(flow, a, base))));
    });
  }
  if (options.clock === 'wall') feed.startWallClock();
  return {
    feed,
    webhook: sender,
    tick: (ms) => feed.tick(ms),
    close: async () => {
      feed.stop();
      await sender?.close();
    },
  };
}
