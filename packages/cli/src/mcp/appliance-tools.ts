/**
 * The appliance tools of `ptnad mcp`: monitoring status and triggers, a flow or an alert in detail, the
 * reputation lists and the rules (read-only); and, only when the server was started with `--allow-write`,
 * adding values to a dynamic reputation list and switching a rule on or off (committed to the sensors only
 * with `--allow-commit`).
 */

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolDeps } from './bql-tools.js';
import { answer, failure, refusal } from './result.js';

/** What the server was allowed to do at start. */
export interface Permissions {
  write: boolean;
  commit: boolean;
}

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;
const WINDOW = {
  start: z.string().max(40).optional().describe('window start (ISO 8601 or epoch ms); default: 30 days ago'),
  end: z.string().max(40).optional().describe('window end; default: now'),
};
// Printable ASCII without spaces (flow ids hold "~"); the SDK encodes it as one path segment whatever it is.
const ID = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[!-~]+$/, 'printable ASCII characters without spaces only');

function windowOf(start: string | undefined, end: string | undefined) {
  const asTime = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
  return {
    start: start !== undefined ? asTime(start) : Date.now() - 30 * 86_400_000,
    end: end !== undefined ? asTime(end) : Date.now() + 1,
  };
}

/** Wraps a tool body: any failure becomes a tool error with a message free of secrets. */
function guarded<A>(
  deps: ToolDeps,
  what: string,
  body: (args: A) => ReturnType<typeof answer> | Promise<ReturnType<typeof answer>>,
) {
  return async (args: A) => {
    try {
      return await body(args);
    } catch (err) {
      return failure(`${what} failed`, deps.describe(err));
    }
  };
}

/** Registers the read-only appliance tools, and the write tools when permitted. */
export function registerApplianceTools(server: McpServer, deps: ToolDeps, perms: Permissions): void {
  const { caps } = deps;
  const req = () => ({ signal: deps.signal });

  server.registerTool(
    'monitoring_status',
    {
      description: "The appliance's overall health colour, its problems, and every health trigger.",
      inputSchema: z.strictObject({}),
      annotations: READ_ONLY,
    },
    guarded(deps, 'reading the monitoring status', async () => {
      const client = await deps.client();
      const [status, triggers] = await Promise.all([
        client.monitoring.getStatus(req()),
        client.monitoring.getTriggers(req()),
      ]);
      const data = {
        status: status.status,
        problems: status.problems.map((p) => ({ status: p.status, message: p.message })),
        triggers: triggers.map((t) => ({
          id: t.id,
          type: t.type,
          status: t.status,
          updated: t.updated,
          message: t.message,
        })),
      };
      return answer(`status ${status.status}, ${status.problems.length} problem(s)`, data, caps, 'triggers');
    }),
  );

  server.registerTool(
    'flow_get',
    {
      description: 'One flow (session) in detail, by its id (from a query or lookup); the window must contain it.',
      inputSchema: z.strictObject({ id: ID.describe('flow id'), ...WINDOW }),
      annotations: READ_ONLY,
    },
    guarded(deps, 'reading the flow', async ({ id, start, end }: { id: string; start?: string; end?: string }) => {
      const client = await deps.client();
      const flow = await client.flows.get(id, windowOf(start, end), req());
      return answer(`flow ${id}`, { flow }, caps);
    }),
  );

  server.registerTool(
    'alert_get',
    {
      description: 'One alert of a flow in detail.',
      inputSchema: z.strictObject({ flow_id: ID.describe('flow id'), alert_id: ID.describe('alert id'), ...WINDOW }),
      annotations: READ_ONLY,
    },
    guarded(
      deps,
      'reading the alert',
      async ({
        flow_id,
        alert_id,
        start,
        end,
      }: {
        flow_id: string;
        alert_id: string;
        start?: string;
        end?: string;
      }) => {
        const client = await deps.client();
        const alert = await client.flows.getAlert(flow_id, alert_id, windowOf(start, end), req());
        return answer(`alert ${alert_id} of flow ${flow_id}`, { alert }, caps);
      },
    ),
  );

  server.registerTool(
    'replists_list',
    {
      description: 'Reputation lists (id, name, type, colour, external key of dynamic lists, item count).',
      inputSchema: z.strictObject({
        search: z.string().max(200).optional().describe('text to search in names and descriptions'),
        max_rows: z.number().int().min(1).max(caps.maxRows).optional(),
      }),
      annotations: READ_ONLY,
    },
    guarded(deps, 'listing reputation lists', async ({ search, max_rows }: { search?: string; max_rows?: number }) => {
      const client = await deps.client();
      const limit = max_rows ?? caps.maxRows;
      const page = await client.replists.getLists({ ...(search ? { search } : {}), limit }, req());
      const lists = page.results.slice(0, limit).map((l) => ({
        id: l.id,
        name: l.name,
        type: l.type,
        color: l.color,
        external_key: l.external_key ?? null,
        items_count: l.items_count,
        description: l.description ?? null,
      }));
      return answer(
        `${lists.length} list(s) of ${page.count ?? lists.length}`,
        { total: page.count, lists },
        caps,
        'lists',
      );
    }),
  );

  server.registerTool(
    'rules_list',
    {
      description: 'Detection rules (sid, message, vendor, class, priority, enabled), searched by text.',
      inputSchema: z.strictObject({
        search: z.string().max(200).optional().describe('text to search in rules'),
        enabled: z.boolean().optional(),
        max_rows: z.number().int().min(1).max(caps.maxRows).optional(),
      }),
      annotations: READ_ONLY,
    },
    guarded(
      deps,
      'listing rules',
      async ({ search, enabled, max_rows }: { search?: string; enabled?: boolean; max_rows?: number }) => {
        const client = await deps.client();
        const limit = max_rows ?? caps.maxRows;
        const page = await client.signatures.getRules(
          { ...(search ? { search } : {}), ...(enabled !== undefined ? { enabled } : {}), limit },
          req(),
        );
        const rules = page.results.slice(0, limit).map((r) => ({
          sid: r.sid,
          msg: r.msg,
          vendor: r.vendor,
          cls: r.cls,
          priority: r.priority,
          enabled: r.enabled,
        }));
        return answer(
          `${rules.length} rule(s) of ${page.count ?? rules.length}`,
          { total: page.count, rules },
          caps,
          'rules',
        );
      },
    ),
  );

  // Write tools exist only when the operator allowed them: an assistant cannot even see them otherwise.
  if (!perms.write) return;

  server.registerTool(
    'replist_add_values',
    {
      description: 'Add values (IPs, domains, URLs or MD5s, as the list type requires) to a dynamic reputation list.',
      inputSchema: z.strictObject({
        external_key: ID.describe('external key of the dynamic list'),
        values: z.array(z.string().min(1).max(2048)).min(1).max(1000).describe('values to add (at most 1000)'),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guarded(
      deps,
      'adding to the list',
      async ({ external_key, values }: { external_key: string; values: string[] }) => {
        const client = await deps.client();
        await client.replists.bulkAddItems(external_key, values, req());
        return answer(
          `${values.length} value(s) added to "${external_key}"`,
          { external_key, added: values.length },
          caps,
        );
      },
    ),
  );

  server.registerTool(
    'rule_switch',
    {
      description: perms.commit
        ? 'Enable or disable a detection rule; with commit: true the pending changes are then applied to the sensors.'
        : 'Enable or disable a detection rule. The change stays pending: this server may not commit it to the sensors.',
      inputSchema: z.strictObject({
        sid: z
          .number()
          .int()
          .min(1)
          .max(2 ** 32)
          .describe('rule sid'),
        enabled: z.boolean(),
        commit: z.boolean().default(false).describe('apply the pending changes to the sensors (needs --allow-commit)'),
      }),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(
      deps,
      'switching the rule',
      async ({ sid, enabled, commit }: { sid: number; enabled: boolean; commit: boolean }) => {
        // Checked before anything changes: a refused commit leaves the rule as it was.
        if (commit && !perms.commit) {
          return refusal('commit refused: this MCP server was started without --allow-commit; nothing was changed');
        }
        const client = await deps.client();
        const rule = await client.signatures.updateRule(sid, { enabled }, req());
        let hashsum: string | undefined;
        if (commit) hashsum = (await client.signatures.applyChanges(req())).hashsum;
        return answer(
          `rule ${sid} ${enabled ? 'enabled' : 'disabled'}${commit ? ' and committed' : ' (pending: not committed)'}`,
          { sid, enabled: rule.enabled ?? enabled, committed: commit, ...(hashsum ? { hashsum } : {}) },
          caps,
        );
      },
    ),
  );
}
