import { parseArgs } from 'node:util';
import type { EmulatorOptions } from './emulator.js';
import { FAULT_SPEC_HELP, parseFaultSpec } from './faults.js';

/** The `--help` text: every flag with its default, the fault SPEC grammar and the default accounts. */
export const HELP = `Usage: ptnad-emulator [options]

A local PT NAD REST API v2 server (deterministic dataset, real BQL engine) for demos and tests.

Options:
  --host HOST            interface to listen on (default 127.0.0.1; any other host exposes the well-known
                         credentials to the network, and a warning says so)
  --port PORT            TCP port, 0 picks a free one (default 8000)
  --tls                  serve HTTPS with the shipped TEST-ONLY localhost certificate (path printed at start)
  --seed N               dataset seed (default 1)
  --flows N              number of flows (default 20000)
  --now ISO              the dataset's "now"; flows span the 7 days before it (default: current time)
  --session-ttl SECONDS  lifetime of sessions and IAM tokens (default 3600)
  --api-key KEY          API key accepted as "Authorization: Bearer KEY" (default ptnad-emulator-api-key)
  --faults SPEC          inject faults (grammar below)
  --state FILE           persist user changes: each is fsynced to FILE.journal before it is applied, snapshots
                         go to FILE in the background; both are loaded at start
  --query-budget MS      time budget of one BQL query; longer queries end with a BQL error (default 5000)
  --live RATE            live mode: add RATE new flows per second (with alerts), visible after an indexing delay
  --webhook URL          with --live: POST each new alert to URL as PT NAD does (NAD-Alert-Bot's document)

Behaviours the evidence does not settle (each can be played both ways; defaults as the README explains):
  --bql-error-status 200|400       status of a BQL {"error"} answer (default 200)
  --list-order id|shuffled         replists and dynamic items without ?ordering: by id/value, or a new seeded
                                   order on every request (default id)
  --auth-failure-status 401|403    status for missing, invalid or expired credentials (default 401)
  --dynamic-items paged|whole      dynamic list items paged (limit/offset) or all in one answer (default paged)
  --iam-port PORT                  serve POST /connect/token on its own origin (this port, 0 = free; HTTPS with
                                   its own test-only certificate under --tls); the NAD port then answers 404 there

  -h, --help             show this help
  --version              print the version

Fault SPEC:
${FAULT_SPEC_HELP.split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}

Accounts: administrator / Administr@t0r (all rights), analyst / Analyst@123 (read-only),
ldap.user / Ld@pUser1 (IAM with amr=ldap only); IAM client ptnad / ptnad-emulator-iam-secret.
`;

/**
 * Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost). Anything else, and
 * above all the wildcards 0.0.0.0 and ::, exposes the well-known credentials to the network.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^(?:::ffff:)?(\d+)\.\d+\.\d+\.\d+$/.exec(h);
  return v4 !== null && v4[1] === '127';
}

/** A command-line mistake; the binary prints it and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What the command line asks for. */
export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: EmulatorOptions };

function intFlag(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** Parses argv (without node and the script); throws UsageError for unknown or malformed flags. */
export function parseCli(argv: string[]): CliCommand {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const options: EmulatorOptions = {
    host: values.host ?? '127.0.0.1',
    port: intFlag('port', values.port, 0, 65535) ?? 8000,
  };
  if (values.tls) options.tls = true;
  const seed = intFlag('seed', values.seed, 0, 2 ** 32 - 1);
  if (seed !== undefined) options.seed = seed;
  const flows = intFlag('flows', values.flows, 0, 5_000_000);
  if (flows !== undefined) options.flows = flows;
  if (values.now !== undefined) {
    if (Number.isNaN(new Date(values.now).getTime()))
      throw new UsageError(`--now must be an ISO date-time, got "${values.now}"`);
    options.now = values.now;
  }
  const ttl = intFlag('session-ttl', values['session-ttl'], 1, 10 * 365 * 86400);
  if (ttl !== undefined) options.sessionTtl = ttl;
  if (values['api-key'] !== undefined) {
    if (values['api-key'].trim() === '') throw new UsageError('--api-key must not be empty');
    options.apiKey = values['api-key'];
  }
  if (values.faults !== undefined) {
    try {
      parseFaultSpec(values.faults);
    } catch (err) {
      throw new UsageError(`--faults: ${err instanceof Error ? err.message : String(err)}`);
    }
    options.faults = values.faults;
  }
  if (values.state !== undefined) options.statePath = values.state;
  const budget = intFlag('query-budget', values['query-budget'], 1, 3_600_000);
  if (budget !== undefined) options.queryBudgetMs = budget;
  if (values.live !== undefined) {
    const rate = Number(values.live);
    if (!/^\d+(\.\d+)?$/.test(values.live) || rate <= 0 || rate > 100_000)
      throw new UsageError(`--live must be a number of flows per second from 0.001 to 100000, got "${values.live}"`);
    options.live = { rate, clock: 'wall' };
  }
  if (values.webhook !== undefined) {
    if (options.live === undefined) throw new UsageError('--webhook needs --live RATE (alerts come from live traffic)');
    if (!/^https?:\/\/[^\s]+$/.test(values.webhook) || !URL.canParse(values.webhook))
      throw new UsageError(`--webhook must be an http:// or https:// URL, got "${values.webhook}"`);
    options.webhook = values.webhook;
  }
  const bqlStatus = choice('bql-error-status', values['bql-error-status'], ['200', '400'] as const);
  if (bqlStatus) options.bqlErrorStatus = Number(bqlStatus) as 200 | 400;
  const order = choice('list-order', values['list-order'], ['id', 'shuffled'] as const);
  if (order) options.listOrder = order;
  const authStatus = choice('auth-failure-status', values['auth-failure-status'], ['401', '403'] as const);
  if (authStatus) options.authFailureStatus = Number(authStatus) as 401 | 403;
  const items = choice('dynamic-items', values['dynamic-items'], ['paged', 'whole'] as const);
  if (items) options.dynamicItems = items;
  const iamPort = intFlag('iam-port', values['iam-port'], 0, 65535);
  if (iamPort !== undefined) options.iam = { port: iamPort };
  return { kind: 'run', options };
}

function choice<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      tls: { type: 'boolean' },
      seed: { type: 'string' },
      flows: { type: 'string' },
      now: { type: 'string' },
      'session-ttl': { type: 'string' },
      'api-key': { type: 'string' },
      faults: { type: 'string' },
      state: { type: 'string' },
      'query-budget': { type: 'string' },
      live: { type: 'string' },
      webhook: { type: 'string' },
      'bql-error-status': { type: 'string' },
      'list-order': { type: 'string' },
      'auth-failure-status': { type: 'string' },
      'dynamic-items': { type: 'string' },
      'iam-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
}
