/**
 * The one place where errors become exit codes and messages. Every command throws; main() calls
 * {@link reportError}. SDK errors are told apart by their stable `code` (`authentication`, `timeout`, ...), so
 * this module does not load the SDK (start-up stays fast).
 */

import type { ErrorCode } from 'ptnad-client';

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

/** What the user sees for an error: the exit code, one message and an optional hint. */
export interface ErrorReport {
  exitCode: number;
  message: string;
  hint: string | undefined;
}

/** The SDK's stable error codes (see ptnad-client `PTNADError.code`) and what each means at the command line. */
// Typed by the SDK's ErrorCode union: a code added to the SDK does not compile here until it has an exit code.
const BY_CODE: Record<ErrorCode, { exitCode: number; hint?: string }> = {
  authentication: {
    exitCode: EXIT.auth,
    hint: 'check the credentials: run `ptnad login` again or set PTNAD_USERNAME/PTNAD_PASSWORD or PTNAD_API_KEY',
  },
  permission_denied: { exitCode: EXIT.auth, hint: 'this account lacks the permission for that action' },
  connection: {
    exitCode: EXIT.connection,
    hint: 'check the URL (--url, PTNAD_URL or the profile) and that the server is reachable from here',
  },
  timeout: { exitCode: EXIT.connection, hint: 'the server did not answer in time; raise --timeout SECONDS' },
  aborted: { exitCode: EXIT.interrupted },
  bql_syntax: { exitCode: EXIT.usage, hint: 'check the query with `ptnad bql check`' },
  bql_query: { exitCode: EXIT.usage },
  validation: { exitCode: EXIT.usage },
  sync_guard: { exitCode: EXIT.usage, hint: 'pass --max-remove 1 or --allow-empty if the removal is intended' },
  not_found: { exitCode: EXIT.api, hint: 'check the id or key' },
  commit_failed: { exitCode: EXIT.api },
  task_failed: { exitCode: EXIT.api },
  bad_request: { exitCode: EXIT.api },
  conflict: { exitCode: EXIT.api },
  unprocessable_entity: { exitCode: EXIT.api },
  rate_limit: { exitCode: EXIT.api, hint: 'the server is rate limiting; try again later' },
  server_error: { exitCode: EXIT.api },
  api_error: { exitCode: EXIT.api },
  unexpected_response: { exitCode: EXIT.api, hint: 'the server answered in a shape this client does not know' },
  response_too_large: { exitCode: EXIT.api },
};

/** The SDK's stable `code` of an error, or undefined for anything that is not an SDK error. */
export function errorCode(err: unknown): ErrorCode | undefined {
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && Object.hasOwn(BY_CODE, code) ? (code as ErrorCode) : undefined;
}

function field(err: unknown, name: string): unknown {
  return err !== null && typeof err === 'object' ? (err as Record<string, unknown>)[name] : undefined;
}

/** The server's reason for a failed task: `result.error`, or `result` itself when it is text. */
function taskReason(err: unknown): string | undefined {
  const result = field(err, 'result');
  if (typeof result === 'string' && result !== '') return result;
  const e = result !== null && typeof result === 'object' ? (result as { error?: unknown }).error : undefined;
  if (typeof e === 'string' && e !== '') return e;
  if (e !== undefined && e !== null) return JSON.stringify(e);
  return undefined;
}

/** Maps any thrown value to an exit code, a message and a hint. */
export function describeError(err: unknown): ErrorReport {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof CliError) return { exitCode: err.exitCode, message, hint: err.hint };
  const code = errorCode(err);
  if (code !== undefined) {
    const { exitCode, hint } = BY_CODE[code] ?? { exitCode: EXIT.api };
    switch (code) {
      case 'aborted':
        return { exitCode, message: 'interrupted', hint: undefined };
      case 'connection':
        return {
          exitCode,
          message,
          hint:
            field(err, 'tls') !== true
              ? hint
              : // The SDK names auth.ca when the IAM (with a trust of its own) is the untrusted side.
                /\bauth\.ca\b/.test(message)
                ? "the IAM's certificate is not trusted (self-signed?): pass --sso-ca FILE (or PTNAD_SSO_CA) with its " +
                  'CA certificate; --ca covers only PT NAD'
                : 'the server certificate is not trusted (self-signed?): pass --ca FILE with its CA certificate, ' +
                  'or --insecure to skip verification (unsafe)',
        };
      case 'commit_failed': {
        const fatal = field(err, 'fatalError');
        const others = field(err, 'otherErrors');
        const details = [typeof fatal === 'string' ? fatal : '', ...(Array.isArray(others) ? others.map(String) : [])]
          .filter((s) => s !== '')
          .join('; ');
        // The SDK's message already carries the reasons; add them only when it does not (a bare CommitError).
        return { exitCode, message: details && !message.includes(details) ? `${message}: ${details}` : message, hint };
      }
      case 'task_failed': {
        const reason = taskReason(err);
        return { exitCode, message: reason && !message.includes(reason) ? `${message}: ${reason}` : message, hint };
      }
      default:
        return { exitCode, message, hint };
    }
  }
  const sys = field(err, 'code');
  if (typeof sys === 'string' && (sys === 'ENOENT' || sys === 'EACCES' || sys === 'EISDIR')) {
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
  /** Retries the SDK reported during the run (a connection failure or timeout says how many attempts it took). */
  retries?: number;
}

/** Prints one error line (plus a hint, plus the stack with --debug) and returns the exit code. */
export function reportError(err: unknown, opts: ReportOptions): number {
  const { exitCode, message, hint } = describeError(err);
  if (exitCode === EXIT.interrupted) {
    opts.write('ptnad: interrupted\n');
    return exitCode;
  }
  const paint = opts.paint ?? ((s: string) => s);
  const code = errorCode(err);
  const attempts =
    (code === 'timeout' || code === 'connection') && opts.retries !== undefined
      ? ` (${opts.retries + 1} attempt${opts.retries === 0 ? '' : 's'})`
      : '';
  let text = `${paint('ptnad: error:')} ${message}${attempts}\n`;
  if (hint) text += `hint: ${hint}\n`;
  if (opts.debug && err instanceof Error && err.stack) {
    text += `${err.stack}\n`;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.stack) text += `caused by: ${cause.stack}\n`;
  }
  opts.write(scrub(text, opts.secrets));
  return exitCode;
}
