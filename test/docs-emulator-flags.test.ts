/**
 * The flag table of the emulator guide (docs/guide/emulator.md and its Russian twin) names exactly the flags of
 * `ptnad-emulator --help`, and every flag it names parses, so a flag added to or removed from the bin cannot
 * leave the guide behind.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HELP, parseCli } from '../packages/emulator/src/cli-args.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The long flags in the first column of the table whose header starts with "| Flag" / "| Флаг". */
function tableFlags(guide: string): string[] {
  const lines = readFileSync(`${ROOT}${guide}`, 'utf8').split('\n');
  const start = lines.findIndex((l) => /^\|\s*(Flag|Флаг)\s*\|/.test(l));
  if (start < 0) throw new Error(`${guide} has no flag table`);
  const flags: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const first = line.split('|')[1] ?? '';
    flags.push(...(first.match(/--[a-z][a-z-]*/g) ?? []));
  }
  return flags;
}

const helpFlags = [...new Set(HELP.match(/(?<=^\s+(?:-h, )?)--[a-z][a-z-]*/gm) ?? [])].sort();

describe.each(['docs/guide/emulator.md', 'docs/ru/guide/emulator.md'])('the flag table of %s', (guide) => {
  it('lists exactly the flags of ptnad-emulator --help', () => {
    expect(helpFlags.length).toBeGreaterThan(15);
    expect([...new Set(tableFlags(guide))].sort()).toEqual(helpFlags);
  });

  it('names flags the parser accepts', () => {
    for (const flag of tableFlags(guide)) {
      if (flag === '--help' || flag === '--version') continue;
      const argv = flag === '--webhook' ? ['--live', '1', flag, 'http://127.0.0.1:9/x'] : [flag];
      // A value the flag accepts, where it takes one; the parser throws "unknown option" for a flag it lacks.
      const value: Record<string, string> = {
        '--host': '127.0.0.1',
        '--port': '0',
        '--seed': '1',
        '--flows': '10',
        '--now': '2025-06-01T00:00:00Z',
        '--session-ttl': '60',
        '--api-key': 'k',
        '--faults': '503',
        '--state': 'state.json',
        '--query-budget': '100',
        '--live': '1',
        '--bql-error-status': '400',
        '--list-order': 'shuffled',
        '--auth-failure-status': '403',
        '--dynamic-items': 'whole',
        '--iam-port': '0',
      };
      if (value[flag] !== undefined) argv.push(value[flag]);
      expect(parseCli(argv).kind, flag).toBe('run');
    }
  });
});
