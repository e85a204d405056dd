/**
 * Issue 19 item 4: the SDK's per-request cost behind a load balancer that rotates a cookie on every response
 * (AWS ALB's `AWSALB`). A small server in a child process sets a new cookie value on every answer; one client
 * logs in and sends 20,000 status calls, a second one 100. The figure is the median time per request of batches of
 * 200 of the first client against those of the second, interleaved. Goal: <= 1.3x (constant cost per request).
 * Run alone with `npx tsx bench/redactor-rotation.ts`.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PTNADClient } from 'ptnad-client';
import type { BenchRow } from './run.js';
import { median } from './stats.js';

/** The rotating server, run as `node -e` so that its work is not counted in this process. */
const SERVER = `
const http = require('node:http');
let n = 0;
const server = http.createServer((req, res) => {
  const cookies = ['AWSALB=alb-' + (n++).toString(36).padStart(8, '0') + '-rotating; Path=/'];
  if (req.url.startsWith('/api/v2/auth/login')) cookies.push('sessionid=bench-session-0001; Path=/', 'csrftoken=bench-csrf-0001; Path=/');
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': cookies });
  res.end('{"status":"green","problems":[]}');
});
server.listen(0, '127.0.0.1', () => process.stdout.write('listening ' + server.address().port + '\\n'));
`;

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const m = /listening (\d+)/.exec(d);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`rotating server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

/** What {@link benchRotation} measured. */
export interface RotationResult {
  earlyMicros: number;
  lateMicros: number;
  ratio: number;
  requests: number;
}

/**
 * Per-request cost of a client that has seen `requests` rotating-cookie answers against one that has seen 100.
 * Both clients exist side by side and their timed batches are interleaved (A B, B A, ...), so that load on a
 * shared machine hits both alike; the JIT is warm for both, since the long client ran first.
 */
export async function benchRotation(requests = 20_000, batch = 200, batches = 7): Promise<RotationResult> {
  const server = await startServer();
  const auth = { type: 'local', username: 'bench', password: 'bench-password-0001' } as const;
  const late = new PTNADClient(server.url, { auth });
  const early = new PTNADClient(server.url, { auth });
  const perRequest = async (client: PTNADClient) => {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await client.monitoring.getStatus();
    return ((performance.now() - t0) * 1000) / batch;
  };
  try {
    for (let i = 0; i < requests; i++) await late.monitoring.getStatus();
    for (let i = 0; i < 100; i++) await early.monitoring.getStatus();
    const earlyRuns: number[] = [];
    const lateRuns: number[] = [];
    for (let b = 0; b < batches; b++) {
      if (b % 2 === 0) {
        earlyRuns.push(await perRequest(early));
        lateRuns.push(await perRequest(late));
      } else {
        lateRuns.push(await perRequest(late));
        earlyRuns.push(await perRequest(early));
      }
    }
    const earlyMicros = median(earlyRuns);
    const lateMicros = median(lateRuns);
    return { earlyMicros, lateMicros, ratio: lateMicros / earlyMicros, requests };
  } finally {
    await early.close();
    await late.close();
    server.stop();
  }
}

/** Rows for `npm run bench`. */
export async function rotationRows(): Promise<BenchRow[]> {
  const r = await benchRotation();
  return [
    {
      case: 'SDK per-request cost after 20,000 requests with rotating cookies vs after 100',
      figure: `${r.ratio.toFixed(2)}x (${r.lateMicros.toFixed(0)} µs vs ${r.earlyMicros.toFixed(0)} µs per request)`,
      goal: '<= 1.3x',
      met: r.ratio <= 1.3,
      details: { ...r },
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await rotationRows()) process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal})\n`);
}
