/**
 * Integration-test helpers: one emulator per test file (small dataset, fixed clock) and clients for it.
 */

import { type Emulator, type EmulatorOptions, startEmulator } from 'ptnad-emulator';
import { type ClientOptions, PTNADClient } from '../../src/index.js';

/** The dataset's "now": fixed so queries with dates are deterministic. */
export const NOW = '2025-06-01T00:00:00Z';

/** Starts an emulator with a small deterministic dataset. */
export function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ port: 0, host: '127.0.0.1', seed: 7, flows: 1500, now: NOW, ...options });
}

/** An account of the emulator by role and source. */
export function account(emu: Emulator, role: 'admin' | 'readonly', source: 'local' | 'directory' = 'local') {
  const found = emu.credentials.users.find((u) => u.role === role && u.source === source);
  if (!found) throw new Error(`the emulator has no ${role} ${source} account`);
  return found;
}

/** A client logged in (lazily) as the local administrator. */
export function adminClient(emu: Emulator, options: ClientOptions = {}): PTNADClient {
  const admin = account(emu, 'admin');
  return new PTNADClient(emu.url, {
    auth: { type: 'local', username: admin.username, password: admin.password },
    ...(emu.caPem ? { ca: emu.caPem } : {}),
    ...options,
  });
}

/** Counts hits on one route of the emulator. */
export function hits(emu: Emulator, method: string, pattern: string): number {
  return emu.counters.get(method, pattern);
}
