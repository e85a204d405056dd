/**
 * The one place where errors become exit codes and messages. Every command throws; main() calls
 * {@link reportError}. Classes are recognised by name along the prototype chain so that this module does not
 * have to load the SDK (start-up stays fast) and subclasses map like their parents.
 */

/** Exit codes of every command except `status` (which follows the monitoring-plugin convention). */
export const EXIT = {
  ok: 0,
  api: 1,
  usage: 2,
  auth: 3,
  connection: 4,
  interrupted: 130,
} as const;

/** An error the CLI raises itself, carrying its exit code and an optional hint line. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Bad arguments, a bad file, a missing setting: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** The user pressed Ctrl-C (or the process got SIGINT): exit 130. */
export class InterruptedError extends CliError {
  constructor() {
    super('interrupted', EXIT.interrupted);
  }
}

/** Names of the error's class and all its ancestors, e.g. ["BqlQueryError", "APIError", "PTNADError", "Error"]. */
export function classNames(err: unknown): Set<string> {
  const names = new Set<string>();
  if (err === null || typeof err !== 'object') return names;
  for (let p: unknown = Object.getPrototypeOf(err); p !== null && typeof p === 'object'; p = Object.getPrototypeOf(p)) {
    const ctor = (p as { constructor?: { name?: unknown } }).constructor;
    if (ctor && typeof ctor.name === 'string') names.add(ctor.name);
  }
  const own = (err as { name?: unknown }).name;
  if (typeof own === 'string') names.add(own);
  return names;
}

/** What the user sees for an error: the exit code, one message and an optional hint. */
export interface ErrorReport {
  exitCode: number;
  message: string;
  hint: string | undefined;
}

/** Maps any thrown value to an exit code, a message and a hint. */
export function describeError(err: unknown): ErrorReport {
  const names = classNames(err);
  const message = err instanceof Error ? err.message : String(err);
  const field = (name: string): unknown =>
    err !== null && typeof err === 'object' ? (err as Record<string, unknown>)[name] : undefined;

  if (err instanceof CliError) return { exitCode: err.exitCode, message, hint: err.hint };
  if (names.has('AbortError')) return { exitCode: EXIT.interrupted, message: 'interrupted', hint: undefined };
  if (names.has('ConnectionError')) {
    const tls = field('tls') === true;
    return {
      exitCode: EXIT.connection,
      message,
      hint: tls
        ? 'the server certificate is not trusted (self-signed?): pass --ca FILE with its CA certificate, ' +
          'or --insecure to skip verification (unsafe)'
        : 'check the URL (--url, PTNAD_URL or the profile) and that the server is reachable from here',
    };
  }
  if (names.has('TimeoutError')) {
    return { exitCode: EXIT.connection, message, hint: 'the server did not answer in time; raise --timeout SECONDS' };
  }
  if (names.has('AuthenticationError')) {
    return {
      exitCode: EXIT.auth,
      message,
      hint: 'check the credentials: run `ptnad login` again or set PTNAD_USERNAME/PTNAD_PASSWORD or PTNAD_API_KEY',
    };
  }
  if (names.has('PermissionDeniedError')) {
    return { exitCode: EXIT.auth, message, hint: 'this account lacks the permission for that action' };
  }
  if (names.has('BqlSyntaxError')) {
    return { exitCode: EXIT.usage, message, hint: 'check the query with `ptnad bql check`' };
  }
  if (names.has('ValidationError') || names.has('BqlQueryError')) {
    return { exitCode: EXIT.usage, message, hint: undefined };
  }
  if (names.has('CommitError')) {
    const fatal = field('fatalError');
    const others = field('otherErrors');
    const details = [typeof fatal === 'string' ? fatal : '', ...(Array.isArray(others) ? others.map(String) : [])]
      .filter((s) => s !== '')
      .join('; ');
    return { exitCode: EXIT.api, message: details ? `${message}: ${details}` : message, hint: undefined };
  }
  if (names.has('NotFoundError')) return { exitCode: EXIT.api, message, hint: 'check the id or key' };
  if (names.has('PTNADError')) return { exitCode: EXIT.api, message, hint: undefined };
  const code = field('code');
  if (typeof code === 'string' && (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')) {
    return { exitCode: EXIT.usage, message, hint: undefined };
  }
  return { exitCode: EXIT.api, message: `internal error: ${message}`, hint: 'run again with --debug for details' };
}

/** Replaces every known secret (passwords, keys) in a text, in case one slipped into a message. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    // Very short secrets would blank out ordinary letters; the SDK redacts those at the source anyway.
    if (s.length >= 3) out = out.split(s).join('***');
  }
  return out;
}

/** Options of {@link reportError}. */
export interface ReportOptions {
  write: (text: string) => void;
  debug: boolean;
  secrets: readonly string[];
  /** Wraps the "ptnad:" prefix in red when colours are on. */
  paint?: (text: string) => string;
}

/** Prints one error line (plus a hint, plus the stack with --debug) and returns the exit code. */
export function reportError(err: unknown, opts: ReportOptions): number {
  const { exitCode, message, hint } = describeError(err);
  if (exitCode === EXIT.interrupted) {
    opts.write('ptnad: interrupted\n');
    return exitCode;
  }
  const paint = opts.paint ?? ((s: string) => s);
  let text = `${paint('ptnad: error:')} ${message}\n`;
  if (hint) text += `hint: ${hint}\n`;
  if (opts.debug && err instanceof Error && err.stack) {
    text += `${err.stack}\n`;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.stack) text += `caused by: ${cause.stack}\n`;
  }
  opts.write(scrub(text, opts.secrets));
  return exitCode;
}
