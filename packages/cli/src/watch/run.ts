/**
 * `ptnad watch attacks|flows`: follows new alerts or flows with `client.bql.follow` and delivers them to a sink.
 * Delivery: a batch goes to the sink, the sink accepts it, then the checkpoint is saved to `--state` (atomic
 * replace). A crash repeats at most the batch in flight; the file sink even removes that repeat on restart.
 * SIGTERM/SIGINT: finish the batch in flight, save, exit 0. A second signal exits at once (130).
 */
import { readFileSync } from 'node:fs';
import type { Follower } from 'ptnad-client';
import type { Context } from '../context.js';
import { parseDuration, parsePositiveInt } from '../duration.js';
import { EXIT, UsageError } from '../errors.js';
import { packageVersion } from '../main.js';
import { eventTime, toEvent, WATCH_KINDS, type WatchKind, watchQuery } from './events.js';
import { openSink, parseSink, type Sink } from './sink.js';
import { readState, removeStaleTemps, type WatchState, writeState } from './state.js';
import { WatchStatus } from './status.js';

/** The typed options of `ptnad watch`. */
export interface WatchOptions {
  filter?: string;
  sink: string;
  format: 'json' | 'cef';
  state?: string;
  once?: boolean;
  since?: string;
  lookBack: string;
  pollInterval: string;
  pageSize: string;
  sinkCa?: string;
  template?: string;
}

/** Runs `ptnad watch <kind>`; resolves to the exit code. */
export async function watch(ctx: Context, args: unknown[], raw: Record<string, unknown>): Promise<number> {
  const opts = raw as unknown as WatchOptions;
  const kind = String(args[0]) as WatchKind;
  if (!WATCH_KINDS.includes(kind)) throw new UsageError(`watch what? "${kind}": use attacks or flows`);
  const filter = opts.filter?.trim() || undefined;
  if (filter) {
    const { parseFilter } = await import('ptnad-client/bql');
    parseFilter(filter); // a BqlSyntaxError here is a usage error with a caret
  }
  const spec = parseSink(opts.sink);
  const lookBackMs = shortDuration(opts.lookBack, '--look-back');
  const pollMs = shortDuration(opts.pollInterval, '--poll-interval');
  const pageSize = parsePositiveInt(opts.pageSize, '--page-size');
  const sinceMs = opts.since ? parseDuration(opts.since, '--since') : undefined;
  const query = watchQuery(kind, filter);
  const queryKey = `${kind}\n${filter ?? ''}`;
  const saved = opts.state ? readState(opts.state) : undefined;
  if (opts.state) removeStaleTemps(opts.state);
  if (saved && saved.query !== queryKey) {
    throw new UsageError(
      `--state ${opts.state} belongs to "watch ${saved.query.replace('\n', '" with filter "')}"`,
      'use another state file for another kind or filter, or remove it to start again from now',
    );
  }
  let ca: string | undefined;
  if (opts.sinkCa) {
    try {
      ca = readFileSync(opts.sinkCa, 'utf8');
    } catch (err) {
      throw new UsageError(`--sink-ca ${opts.sinkCa}: cannot read it (${(err as { code?: string }).code ?? err})`);
    }
  }

  let template: string | undefined;
  if (opts.template) {
    if (spec.kind !== 'webhook') throw new UsageError('--template applies to webhook sinks only');
    try {
      template = readFileSync(opts.template, 'utf8');
    } catch (err) {
      throw new UsageError(`--template ${opts.template}: cannot read it (${(err as { code?: string }).code ?? err})`);
    }
  }

  const stop = new AbortController();
  const restoreSignals = ownSignals(() => {
    ctx.streams.stderr.write(
      `${ctx.streams.stderr.isTTY ? '\r\x1b[K' : ''}ptnad: watch: stopping after the batch in flight (signal again to exit at once)\n`,
    );
    stop.abort();
  });
  const status = new WatchStatus((t) => ctx.streams.stderr.write(t), ctx.streams.stderr.isTTY === true, spec.kind);
  let sink: Sink | undefined;
  try {
    const client = await ctx.client();
    sink = await openSink(
      spec,
      {
        format: opts.format,
        ...(ca ? { ca } : {}),
        ...(template !== undefined ? { template } : {}),
        ...(saved?.sinkState ? { saved: saved.sinkState } : {}),
        onRetry: (m) => status.problem(m),
        version: packageVersion(),
      },
      ctx.streams.stdout,
    );
    const out = sink;
    const follower: Follower = client.bql.follow(query, {
      ...(saved ? { checkpoint: saved.checkpoint } : {}),
      from: sinceMs === undefined ? 'now' : new Date(Date.now() - sinceMs),
      lookBackMs,
      pollIntervalMs: pollMs,
      maxIntervalMs: Math.max(pollMs, 15_000),
      pageSize,
      signal: stop.signal,
      onError: (e, info) => status.problem(`${e.message} (polling again in ${info.retryInMs} ms)`),
      onPoll: (stats) => {
        if (opts.once && stats.caughtUp) stop.abort();
      },
    });
    const save = () => {
      if (!opts.state) return;
      const state: WatchState = { v: 1, query: queryKey, sink: out.label, checkpoint: follower.checkpoint() };
      const sinkState = out.state?.();
      if (sinkState) state.sinkState = sinkState;
      writeState(opts.state, state);
    };
    try {
      await follower.ready();
    } catch (err) {
      if (stop.signal.aborted) return finish(status, 'stopped before start');
      throw err;
    }
    if (!saved) save(); // pin "now": a restart resumes here even if nothing arrived yet
    for await (const rows of follower.batches()) {
      const events = rows.map((r) => toEvent(kind, r));
      await out.write(events);
      save();
      const last = events[events.length - 1];
      status.delivered(events.length, last ? eventTime(last) : undefined);
    }
    return finish(status, stop.signal.aborted && !opts.once ? 'stopped' : 'done');
  } finally {
    restoreSignals();
    await sink?.close().catch(() => undefined);
  }
}

/** Durations down to milliseconds (`250ms`, `1s`, `2m`); longer units go through parseDuration. */
function shortDuration(text: string, option: string): number {
  const m = /^(\d+)\s*ms$/i.exec(text.trim());
  if (m) {
    const ms = Number(m[1]);
    if (ms > 0) return ms;
  }
  return parseDuration(text, option);
}

function finish(status: WatchStatus, reason: string): number {
  status.finish(reason);
  return EXIT.ok;
}

/**
 * Takes SIGINT and SIGTERM for the watcher while it runs: the first drains and stops, a second exits at once.
 * main() turns a Ctrl-C into exit 130 through its own listener; a watcher stopped by a signal is a clean stop
 * (exit 0), so main's listener is set aside meanwhile and put back afterwards.
 */
function ownSignals(onStop: () => void): () => void {
  const inherited = process.listeners('SIGINT');
  for (const l of inherited) process.off('SIGINT', l);
  let count = 0;
  const handler = () => {
    count++;
    if (count > 1) process.exit(EXIT.interrupted);
    onStop();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    for (const l of inherited) process.on('SIGINT', l);
  };
}
