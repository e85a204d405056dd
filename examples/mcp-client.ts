/**
 * Drives `ptnad mcp` from a program, as an AI assistant's host does: starts the server over stdio with the MCP
 * SDK's client, lists its tools, validates a query and runs it through `bql_query`.
 * `npx tsx examples/mcp-client.ts` (in-process emulator unless PTNAD_URL is set; see connect.ts).
 */

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator } from 'ptnad-emulator';

/** The environment for the server: PTNAD_* as given, or a fresh emulator's URL and admin account. */
async function serverEnv(): Promise<{ env: Record<string, string>; close: () => Promise<void> }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  if (process.env.PTNAD_URL) return { env: inherited, close: async () => {} };
  const emu = await startEmulator({ port: 0, host: '127.0.0.1', seed: 1, flows: 5000 });
  const admin = emu.credentials.users.find((u) => u.role === 'admin' && u.source === 'local');
  const env = {
    ...inherited,
    PTNAD_URL: emu.url,
    PTNAD_USERNAME: admin?.username ?? '',
    PTNAD_PASSWORD: admin?.password ?? '',
  };
  return { env, close: () => emu.close() };
}

/** The text of a tool result's first content item. */
function firstText(result: Awaited<ReturnType<Client['callTool']>>): string {
  const content = result.content as Array<{ type: string; text?: string }>;
  return content[0]?.text ?? '';
}

async function main(): Promise<void> {
  const server = await serverEnv();
  // `ptnad` from the workspace; an installed CLI is just `command: 'ptnad', args: ['mcp']`.
  const bin = new URL('../packages/cli/bin/ptnad.js', import.meta.url).pathname;
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], env: server.env });
  const client = new Client({ name: 'ptnad-example', version: '1.0.0' });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    process.stdout.write(`tools: ${tools.map((t) => t.name).join(', ')}\n`);

    const query = 'SELECT src.ip, dst.ip, dst.port FROM flow WHERE dst.port == 53 LIMIT 3';
    const check = await client.callTool({ name: 'bql_validate', arguments: { query } });
    process.stdout.write(`bql_validate: ${firstText(check).split('\n')[0]}\n`);

    const rows = await client.callTool({ name: 'bql_query', arguments: { query } });
    // structuredContent is the data itself; the text repeats it between <<<PTNAD-DATA markers for the model.
    process.stdout.write(`bql_query: ${JSON.stringify(rows.structuredContent)}\n`);
  } finally {
    await client.close();
    await server.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
