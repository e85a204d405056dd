/**
 * Emulator logins with many live sessions: the cost of one login (session creation) with 10,000 live sessions
 * against the cost with none, measured in one run on the credential store itself (no HTTP, so only the store's
 * work is compared). Before the expiry heap every login scanned every session once 10,000 were live (about 100x
 * slower: ~5,000 logins/s fell to ~50/s). Goal: the ratio stays under 3. Run alone with `npx tsx bench/sessions.ts`.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Clock, CredentialStore } from '../packages/emulator/src/auth/credentials.js';
import type { BenchRow } from './run.js';
import { median } from './stats.js';

const ACCOUNT = { username: 'bench', password: 'x', role: 'admin', source: 'local' } as const;
const LOGINS = 2_000;

/** Microseconds per login after `live` sessions were created (median of 5 runs). */
function perLogin(live: number): number {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const store = new CredentialStore(new Clock(), 3600);
    for (let i = 0; i < live; i++) store.createSession(ACCOUNT);
    const t0 = performance.now();
    for (let i = 0; i < LOGINS; i++) store.createSession(ACCOUNT);
    runs.push(((performance.now() - t0) * 1000) / LOGINS);
  }
  return median(runs);
}

/** Rows for `npm run bench`. */
export async function sessionRows(): Promise<BenchRow[]> {
  perLogin(1_000); // warm-up
  const empty = perLogin(0);
  const busy = perLogin(10_000);
  const ratio = busy / empty;
  return [
    {
      case: 'Emulator login with 10,000 live sessions vs none',
      figure: `${busy.toFixed(1)} µs vs ${empty.toFixed(1)} µs per login (x${ratio.toFixed(2)})`,
      goal: '< x3',
      met: ratio < 3,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await sessionRows()) process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal})\n`);
}
