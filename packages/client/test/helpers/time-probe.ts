/**
 * Run as a child process (`node --import tsx time-probe.ts`) under a given TZ: reads every time case through
 * every entry point of the package and prints what each produced as JSON, for time.test.ts to compare.
 */
import { toEpochMs as toolkitToEpochMs, withTimeRange } from '../../src/bql/index.js';
import { PTNADClient, toEpochMs } from '../../src/index.js';
import { fakeFetch, json } from './fake-fetch.js';
import { ACCEPTED, REJECTED } from './time-cases.js';

const fake = fakeFetch(() => json({ id: 'f', result: [] }));
const client = new PTNADClient('https://nad.test', { fetch: fake.fetch });

async function viaFlows(input: unknown): Promise<number> {
  await client.flows.get('f', { start: input as string });
  return Number(fake.requests.at(-1)?.url.searchParams.get('start'));
}

async function viaFiles(input: unknown): Promise<number> {
  await client.files.extract({ flowId: 'f', start: input as string, end: 1748736000000 });
  return (JSON.parse(fake.requests.at(-1)?.body ?? '{}') as { start: number }).start;
}

function viaRewrite(input: unknown): number {
  const ast = withTimeRange('SELECT id FROM flow', { start: input as string });
  const where = (ast as { where?: { value?: { value?: number } } }).where;
  return Number(where?.value?.value);
}

const out = {
  offsetMinutes: new Date(Date.UTC(2025, 5, 1)).getTimezoneOffset(),
  accepted: [] as Array<{ input: string; results: number[] }>,
  rejected: [] as Array<{ input: string; messages: string[] }>,
};
for (const [input] of ACCEPTED) {
  out.accepted.push({
    input: String(input),
    results: [
      toEpochMs(input),
      toolkitToEpochMs(input),
      viaRewrite(input),
      await viaFlows(input),
      await viaFiles(input),
    ],
  });
}
for (const input of REJECTED) {
  const messages: string[] = [];
  for (const run of [
    async () => toEpochMs(input, 'start'),
    async () => viaRewrite(input),
    () => viaFlows(input),
    () => viaFiles(input),
  ]) {
    messages.push(
      await run().then(
        (v) => `accepted ${v}`,
        (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`,
      ),
    );
  }
  out.rejected.push({ input: String(input), messages });
}
process.stdout.write(JSON.stringify(out));
