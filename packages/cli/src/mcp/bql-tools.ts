/**
 * The BQL tools of `ptnad mcp`: validate a query, run one (validated first, row-capped), describe the field
 * catalogue, look up an IP or a domain (queries built with the `bql` template: the value is always a literal),
 * and run the shipped hunt pack.
 */

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { PTNADClient } from 'ptnad-client';
import * as kit from 'ptnad-client/bql';
import { z } from 'zod';
import { finding } from '../diagnostics.js';
import { type PackEntry, pick } from '../pack.js';
import { answer, type Caps, failure, refusal } from './result.js';

/** What the tools share. */
export interface ToolDeps {
  client: () => Promise<PTNADClient>;
  caps: Caps;
  pack: PackEntry[];
  /** Turns any error into a message without secrets. */
  describe: (err: unknown) => string;
  signal: AbortSignal;
}

const QUERY = z.string().min(1).max(20_000).describe('the BQL text');
const SOURCE = z
  .string()
  .regex(/^\d{1,9}$/)
  .optional()
  .describe('storage id (default 2, the live storage)');
const HOURS = z
  .number()
  .int()
  .min(1)
  .max(24 * 90)
  .default(24)
  .describe('time window ending now, in hours');
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

function rowsCap(caps: Caps) {
  return z.number().int().min(1).max(caps.maxRows).optional().describe(`most rows to return (at most ${caps.maxRows})`);
}

/** Runs a parsed query with the row cap applied; returns rows as objects keyed by column name. */
async function run(deps: ToolDeps, ast: kit.QueryAst, maxRows: number | undefined, source?: string) {
  const limit = Math.min(ast.limit ?? Number.POSITIVE_INFINITY, maxRows ?? deps.caps.maxRows);
  const capped = kit.withLimit(ast, limit);
  // Before sending: a query whose columns cannot be named (SELECT *) is refused without a request.
  const columns = kit.columnsOf(capped).map(String);
  const client = await deps.client();
  const res = await client.bql.executeRaw(kit.format(capped), {
    ...(source ? { source } : {}),
    signal: deps.signal,
  });
  const rows = kit.rowsToObjects(columns, res.result);
  return { columns, rows, total: res.total, limit };
}

function sinceWindow(hours: number): { start: number; end: number } {
  const end = Date.now() + 1;
  return { start: end - hours * 3_600_000, end };
}

/** Registers the BQL tools. */
export function registerBqlTools(server: McpServer, deps: ToolDeps): void {
  const { caps } = deps;

  server.registerTool(
    'bql_validate',
    {
      description:
        'Check a BQL query or filter offline (nothing is sent): syntax errors and catalogue findings with line, column and a suggested fix.',
      inputSchema: z.strictObject({ query: QUERY }),
      annotations: READ_ONLY,
    },
    async ({ query }) => {
      const diagnostics = kit_validate(query);
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      return answer(
        errors === 0 ? `valid (${diagnostics.length} warning(s))` : `${errors} error(s)`,
        { valid: errors === 0, diagnostics },
        caps,
        'diagnostics',
      );
    },
  );

  server.registerTool(
    'bql_query',
    {
      description:
        'Run a read-only BQL SELECT on PT NAD (validated first; queries with errors are refused). Rows come back as objects keyed by column name, at most the row cap; `total` counts every match.',
      inputSchema: z.strictObject({ query: QUERY, source: SOURCE, max_rows: rowsCap(caps) }),
      annotations: READ_ONLY,
    },
    async ({ query, source, max_rows }) => {
      let ast: kit.QueryAst;
      try {
        ast = kit.parseQuery(query);
      } catch (err) {
        return failure('invalid BQL, not sent', deps.describe(err));
      }
      const diagnostics = kit_validate(query);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        return failure('invalid BQL, not sent', errors.map((d) => `- ${d.message}`).join('\n'));
      }
      try {
        const r = await run(deps, ast, max_rows, source);
        return answer(
          `${r.rows.length} row(s) of ${r.total} match(es)`,
          { columns: r.columns, rows: r.rows, total: r.total, row_cap: r.limit, warnings: diagnostics },
          caps,
          'rows',
        );
      } catch (err) {
        return failure('the query failed', deps.describe(err));
      }
    },
  );

  server.registerTool(
    'fields_describe',
    {
      description:
        'The BQL field catalogue of a table: every field with its type, whether it holds several values, and the known values of enums.',
      inputSchema: z.strictObject({
        table: z
          .enum([...kit.TABLES.keys()] as [string, ...string[]])
          .default('flow')
          .describe('table name'),
        prefix: z.string().max(100).optional().describe('only fields starting with this text, e.g. "src."'),
      }),
      annotations: READ_ONLY,
    },
    async ({ table, prefix }) => {
      const fields = describeFields(table).filter((f) => prefix === undefined || f.name.startsWith(prefix));
      return answer(`${fields.length} field(s) of ${table}`, { table, fields }, caps, 'fields');
    },
  );

  const lookup = async (filter: kit.BqlQuery, hours: number, maxRows: number | undefined) => {
    const base = kit.parseQuery(
      'SELECT start, end, id, src.ip, src.port, dst.ip, dst.port, proto, app_proto, bytes.total FROM flow ORDER BY start desc',
    );
    const ast = kit.withTimeRange(kit.andFilter(base, filter as kit.FilterInput), sinceWindow(hours));
    return run(deps, ast, maxRows);
  };

  server.registerTool(
    'lookup_ip',
    {
      description: 'Recent flows to or from one IP address (newest first), with the total number of matches.',
      inputSchema: z.strictObject({
        ip: z.union([z.ipv4(), z.ipv6()]).describe('IPv4 or IPv6 address'),
        hours: HOURS,
        max_rows: rowsCap(caps),
      }),
      annotations: READ_ONLY,
    },
    async ({ ip, hours, max_rows }) => {
      try {
        const r = await lookup(kit.bql`src.ip == ${ip} || dst.ip == ${ip}`, hours, max_rows);
        return answer(`${r.total} flow(s) with ${ip} in ${hours} h`, { ip, hours, ...r }, caps, 'rows');
      } catch (err) {
        return failure('the lookup failed', deps.describe(err));
      }
    },
  );

  server.registerTool(
    'lookup_domain',
    {
      description:
        'Recent flows where a domain name was asked in DNS, sent as TLS SNI or as an HTTP Host (newest first).',
      inputSchema: z.strictObject({
        domain: z
          .string()
          .max(253)
          .regex(
            /^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9-]{1,63}\.?$/,
            'not a domain name',
          )
          .describe('domain name, e.g. example.com'),
        hours: HOURS,
        max_rows: rowsCap(caps),
      }),
      annotations: READ_ONLY,
    },
    async ({ domain, hours, max_rows }) => {
      try {
        const filter = kit.bql`dns.rqs.name == ${domain} || tls.server_name == ${domain} || http.rqs.host == ${domain}`;
        const r = await lookup(filter, hours, max_rows);
        return answer(`${r.total} flow(s) with ${domain} in ${hours} h`, { domain, hours, ...r }, caps, 'rows');
      } catch (err) {
        return failure('the lookup failed', deps.describe(err));
      }
    },
  );

  server.registerTool(
    'hunt_run',
    {
      description:
        'Run the shipped pack of public hunting filters over a time window: the number of hits of each filter (and, with samples, a few flows).',
      inputSchema: z.strictObject({
        hours: HOURS,
        category: z.string().max(200).optional().describe('only filters of this category (English or Russian name)'),
        samples: z.number().int().min(0).max(10).default(0).describe('sample flows per filter'),
        lang: z.enum(['en', 'ru']).default('en'),
      }),
      annotations: READ_ONLY,
    },
    async ({ hours, category, samples, lang }) => {
      const entries = deps.pack.filter(
        (e) => category === undefined || e.category?.en === category || e.category?.ru === category,
      );
      if (entries.length === 0) return refusal(`no filter in the pack has the category "${category}"`);
      const results: Record<string, unknown>[] = [];
      for (const e of entries) {
        const base = kit.parseQuery(
          'SELECT start, id, src.ip, dst.ip, dst.port, app_proto FROM flow ORDER BY start desc',
        );
        const item: Record<string, unknown> = {
          category: pick(e.category, lang),
          name: pick(e.name, lang),
          filter: e.filter,
        };
        try {
          const ast = kit.withTimeRange(kit.andFilter(base, kit.parseFilter(e.filter)), sinceWindow(hours));
          const r = await run(deps, ast, samples);
          item.hits = r.total;
          if (samples > 0) item.samples = r.rows;
        } catch (err) {
          item.error = deps.describe(err);
        }
        results.push(item);
      }
      return answer(`${results.length} filter(s) run over ${hours} h`, { hours, results }, caps, 'results');
    },
  );
}

/** The catalogue of a table as plain records (own fields, then child tables' fields as `child.field`). */
export function describeFields(table: string): { name: string; type: string; array: boolean; values?: string[] }[] {
  return kit.fieldPaths(table).flatMap((path) => {
    const f = kit.lookupField(table, path);
    if (!f) return [];
    return [{ name: path, type: f.type, array: f.array, ...(f.values ? { values: [...f.values] } : {}) }];
  });
}

/** Validates query or filter text: diagnostics with line, column, code and suggestion. */
function kit_validate(text: string) {
  let ast: kit.BqlAst;
  try {
    ast = kit.parse(text);
  } catch (err) {
    if (!(err instanceof kit.BqlSyntaxError)) throw err;
    return [
      finding(text, {
        severity: 'error',
        message: err.message,
        code: 'syntax',
        span: { start: err.offset, end: err.offset + 1 },
      }),
    ];
  }
  return kit.validate(ast).map((d) => finding(text, d));
}
