/**
 * What a running command gets: the global flags, the output streams, a lazily built SDK client, the
 * interrupt signal, and helpers for warnings, progress and record output.
 */

import pc from 'picocolors';
import type { PTNADClient } from 'ptnad-client';
import { configDir } from './config.js';
import { type Connection, resolveConnection } from './connection.js';
import {
  type OutputFormat,
  type OutputTarget,
  RecordWriter,
  type RecordWriterOptions,
  writeObject,
  writeRecords,
} from './output.js';
import { Progress } from './progress.js';
import { type SecretInput, SecretReader } from './prompt.js';

/** The global options of every command. */
export interface GlobalFlags {
  url?: string;
  profile?: string;
  insecure?: boolean;
  ca?: string;
  /** Seconds. */
  timeout?: number;
  output: OutputFormat;
  color: boolean;
  debug: boolean;
  csvRaw?: boolean;
}

/** The process streams a command uses (replaceable in tests). */
export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: SecretInput;
}

/** The per-run state shared by all commands. */
export class Context {
  readonly flags: GlobalFlags;
  readonly env: NodeJS.ProcessEnv;
  readonly streams: Streams;
  readonly signal: AbortSignal;
  /** stdout as an output target (data only). */
  readonly out: OutputTarget;
  /** Colours for stderr messages. */
  readonly errColors: ReturnType<typeof pc.createColors>;
  /** Colours for stdout (off unless stdout is a terminal and colours are allowed). */
  readonly outColors: ReturnType<typeof pc.createColors>;
  /** Every secret in play; error messages are scrubbed of them. */
  readonly secrets: string[] = [];
  /** The highest retry number the SDK reported (its warnings say "retry N in ... ms"): attempts = this + 1. */
  retries = 0;
  #connection: Connection | undefined;
  #client: PTNADClient | undefined;
  #secretReader: SecretReader | undefined;

  constructor(flags: GlobalFlags, env: NodeJS.ProcessEnv, streams: Streams, signal: AbortSignal) {
    this.flags = flags;
    this.env = env;
    this.streams = streams;
    this.signal = signal;
    const plain = !flags.color || (env.NO_COLOR !== undefined && env.NO_COLOR !== '');
    this.out = {
      write: (text) => {
        streams.stdout.write(text);
      },
      isTTY: streams.stdout.isTTY === true,
      columns: streams.stdout.columns,
      color: !plain && streams.stdout.isTTY === true,
      csvRaw: flags.csvRaw === true,
    };
    this.errColors = pc.createColors(!plain && streams.stderr.isTTY === true);
    this.outColors = pc.createColors(this.out.color);
  }

  /** The output format chosen with --output. */
  get format(): OutputFormat {
    return this.flags.output;
  }

  /** The config directory ($XDG_CONFIG_HOME/ptnad). */
  get configDir(): string {
    return configDir(this.env);
  }

  /** Writes a line to stderr. */
  info(message: string): void {
    this.streams.stderr.write(`${message}\n`);
  }

  /** Writes a warning to stderr. */
  warn(message: string): void {
    this.streams.stderr.write(`${this.errColors.yellow('ptnad: warning:')} ${message}\n`);
  }

  /** A progress line on stderr, drawn only on a terminal and without NO_COLOR / --no-color. */
  progress(label: string): Progress {
    const plain = !this.flags.color || (this.env.NO_COLOR !== undefined && this.env.NO_COLOR !== '');
    const on = this.streams.stderr.isTTY === true && !plain;
    return new Progress(on ? { write: (t) => this.streams.stderr.write(t) } : undefined, label);
  }

  /** Reads secrets from a prompt or stdin. */
  get secretReader(): SecretReader {
    this.#secretReader ??= new SecretReader(this.streams.stdin, (t) => this.streams.stderr.write(t), this.signal);
    return this.#secretReader;
  }

  /** A streaming writer of records in the chosen format. */
  writer(options?: RecordWriterOptions): RecordWriter {
    return new RecordWriter(this.out, this.format, options);
  }

  /** Writes a list of records in the chosen format. */
  records(records: Iterable<Record<string, unknown>>, options?: RecordWriterOptions): void {
    writeRecords(this.out, this.format, records, options);
  }

  /** Writes one object in the chosen format. */
  object(obj: Record<string, unknown>): void {
    writeObject(this.out, this.format, obj);
  }

  /** The connection settings (flags, env, profile), resolved once. */
  connection(): Connection {
    if (!this.#connection) {
      const c = resolveConnection(this.flags, this.env, this.configDir, (m) => this.warn(m));
      this.secrets.push(...c.secrets);
      this.#connection = c;
    }
    return this.#connection;
  }

  /** The SDK client for the resolved connection (imported and built on first use). */
  async client(): Promise<PTNADClient> {
    if (this.#client) return this.#client;
    const c = this.connection();
    this.#client = await createClient(this, c);
    return this.#client;
  }

  /**
   * Ends the run: a session opened with a password is logged out (so that no run leaves a live session behind
   * on the server), then the client's connections are closed so the process can exit at once.
   */
  async close(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      if (client.isLoggedIn && this.#connection?.auth.type === 'local') {
        // Bounded: a server that does not answer must not hold the exit (nor an interrupted run).
        await client.logout({ signal: AbortSignal.timeout(5000), maxRetries: 0 }).catch(() => undefined);
      }
    } finally {
      // Closing waits for requests still open; one abandoned at a deadline (a trickling body) must not hold us.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 1000);
        timer.unref();
      });
      await Promise.race([client.close(), grace]);
      clearTimeout(timer);
    }
  }
}

/** Builds a PTNADClient from a connection; warns loudly when TLS verification is off. */
export async function createClient(ctx: Context, c: Connection): Promise<PTNADClient> {
  const { PTNADClient } = await import('ptnad-client');
  if (c.insecure) {
    ctx.streams.stderr.write(
      `${ctx.errColors.red(ctx.errColors.bold('ptnad: WARNING: TLS certificate verification is OFF (--insecure):'))} ` +
        'the server is not authenticated and anyone on the network path can read or change this traffic\n',
    );
  }
  const debug = ctx.flags.debug;
  const print = (m: string) => {
    if (debug) ctx.info(`ptnad: debug: ${m}`);
  };
  // Always listening to warnings: they tell how many attempts a request took, which a final timeout reports.
  const logger = {
    debug: print,
    info: print,
    warn: (m: string) => {
      const n = /; retry (\d+) in /.exec(m);
      if (n) ctx.retries = Math.max(ctx.retries, Number(n[1]));
      print(m);
    },
    error: print,
  };
  return new PTNADClient(c.url, {
    verifySsl: !c.insecure,
    ...(c.ca ? { ca: c.ca } : {}),
    ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}),
    logger,
    logLevel: debug ? ('debug' as const) : ('warn' as const),
    userAgent: 'ptnad-cli',
    auth: c.auth,
  });
}

/** Reads the global flags from a command's merged options. */
export function globalFlags(opts: Record<string, unknown>): GlobalFlags {
  return {
    url: typeof opts.url === 'string' ? opts.url : undefined,
    profile: typeof opts.profile === 'string' ? opts.profile : undefined,
    insecure: opts.insecure === true,
    ca: typeof opts.ca === 'string' ? opts.ca : undefined,
    timeout: typeof opts.timeout === 'number' ? opts.timeout : undefined,
    output: (typeof opts.output === 'string' ? opts.output : 'table') as OutputFormat,
    color: opts.color !== false,
    debug: opts.debug === true,
    csvRaw: opts.csvRaw === true,
  };
}
