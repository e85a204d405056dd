import { parseArgs } from 'node:util';
import type { EmulatorOptions } from './emulator.js';
import { FAULT_SPEC_HELP, parseFaultSpec } from './faults.js';

/** The `--help` text: every flag with its default, the fault SPEC grammar and the default accounts. */
export const HELP = `Usage: ptnad-emulator [options]

A local PT NAD REST API v2 server (deterministic dataset, real BQL engine) for demos and tests.

Options:
  --host HOST            interface to listen on (default 127.0.0.1)
  --port PORT            TCP port, 0 picks a free one (default 8000)
  --tls                  serve HTTPS with the shipped TEST-ONLY localhost certificate (path printed at start)
  --seed N               dataset seed (default 1)
  --flows N              number of flows (default 20000)
  --now ISO              the dataset's "now"; flows span the 7 days before it (default: current time)
  --session-ttl SECONDS  lifetime of sessions and IAM tokens (default 3600)
  --api-key KEY          API key accepted as "Authorization: Bearer KEY" (default ptnad-emulator-api-key)
  --faults SPEC          inject faults (grammar below)
  --state FILE           persist user changes to FILE (atomic writes) and load it at start
  --query-budget MS      time budget of one BQL query; longer queries end with a BQL error (default 5000)
  -h, --help             show this help
  --version              print the version

Fault SPEC:
${FAULT_SPEC_HELP.split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}

Accounts: administrator / Administr@t0r (all rights), analyst / Analyst@123 (read-only),
ldap.user / Ld@pUser1 (IAM with amr=ldap only); IAM client ptnad / ptnad-emulator-iam-secret.
`;

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
  return { kind: 'run', options };
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
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
}
