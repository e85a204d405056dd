/**
 * Issue 19 item 4: the SDK's per-request cost behind a load balancer that rotates a cookie on every response
 * (AWS ALB's `AWSALB`). A small server in a child process sets a new cookie value on every answer; one client
 * logs in and sends 20,000 status calls. The figure is the median time per request of batches of 200 taken after
 * 20,000 requests, against the same batches taken after 100 (by a fresh client, once a first client has warmed the
 * JIT up). Goal: <= 1.3x (constant cost per request).
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

/** Per-request cost after `requests` rotating-cookie answers against after 100. */
export async function benchRotation(requests = 20_000, batch = 200, batches = 5): Promise<RotationResult> {
  const server = await startServer();
  const auth = { type: 'local', username: 'bench', password: 'bench-password-0001' } as const;
  // A first client warms the JIT (and the server) up, so that "early" is not "cold"; its state is thrown away.
  const warm = new PTNADClient(server.url, { auth });
  for (let i = 0; i < 3000; i++) await warm.monitoring.getStatus();
  await warm.close();
  const client = new PTNADClient(server.url, { auth });
  const timeBatches = async () => {
    const runs: number[] = [];
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) await client.monitoring.getStatus();
      runs.push(((performance.now() - t0) * 1000) / batch);
    }
    return median(runs);
  };
  try {
    for (let i = 0; i < 100; i++) await client.monitoring.getStatus();
    const earlyMicros = await timeBatches();
    for (let i = 100 + batch * batches; i < requests; i++) await client.monitoring.getStatus();
    const lateMicros = await timeBatches();
    return { earlyMicros, lateMicros, ratio: lateMicros / earlyMicros, requests };
  } finally {
    await client.close();
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
