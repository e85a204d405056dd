/**
 * Reading an indicator feed for `replists sync` safely: the bytes must be UTF-8 (a UTF-16/UTF-32 file, NUL bytes
 * or a binary download is refused and named as such), and the sync is planned before it runs so that a feed
 * that lost its content (a failed download, an HTML error page) never empties a list by accident.
 */

import { UsageError } from './errors.js';
import { safeCell } from './output.js';

const BOMS: ReadonlyArray<[string, number[], string]> = [
  // UTF-32 LE starts like UTF-16 LE, so it is checked first.
  ['UTF-32 LE', [0xff, 0xfe, 0x00, 0x00], 'UTF-32LE'],
  ['UTF-32 BE', [0x00, 0x00, 0xfe, 0xff], 'UTF-32BE'],
  ['UTF-16 LE', [0xff, 0xfe], 'UTF-16LE'],
  ['UTF-16 BE', [0xfe, 0xff], 'UTF-16BE'],
];

/** The feed's text: UTF-8 without a BOM. Anything else is a usage error that names the encoding found. */
export function decodeFeed(bytes: Uint8Array, name: string): string {
  for (const [label, bom, iconv] of BOMS) {
    if (bom.every((b, i) => bytes[i] === b)) {
      throw new UsageError(
        `${name} is ${label} (it starts with a byte order mark), not UTF-8; nothing was changed`,
        `convert it first, e.g. iconv -f ${iconv} -t UTF-8 ${name === '-' ? '' : name}`.trimEnd(),
      );
    }
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new UsageError(
      `${name} holds NUL bytes (first at byte ${nul}): UTF-16/UTF-32 without a byte order mark, or not a text file; nothing was changed`,
      'a feed is UTF-8 text, one indicator per line',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(
      `${name} is not valid UTF-8 (${firstBadByte(bytes)}); nothing was changed`,
      'convert it to UTF-8 first, e.g. iconv -f CP1251 -t UTF-8',
    );
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function firstBadByte(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix (binary search; a prefix cut inside a character also fails, hence the slack).
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      decoder.decode(bytes.subarray(0, mid));
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return `first bad byte near offset ${lo}`;
}

/** What a sync would do, computed from the list's current items and the feed's values. */
export interface SyncPlan {
  current: number;
  add: string[];
  remove: string[];
  unchanged: number;
}

/** Diffs the wanted values against the current items. */
export function planSync(current: Iterable<string>, wanted: readonly string[]): SyncPlan {
  const have = new Set(current);
  const want = new Set(wanted);
  const add = [...want].filter((v) => !have.has(v));
  const remove = [...have].filter((v) => !want.has(v));
  return { current: have.size, add, remove, unchanged: want.size - add.length };
}

/** The guard's settings: `allowEmpty` lifts both checks, `maxRemove` is the largest share of the list to remove. */
export interface GuardOptions {
  allowEmpty: boolean;
  maxRemove: number;
}

/** Refuses a plan that empties the list from an empty feed or removes more than the allowed share. */
export function guardSync(plan: SyncPlan, valid: number, key: string, options: GuardOptions): void {
  if (options.allowEmpty || plan.remove.length === 0) return;
  const examples = plan.remove
    .slice(0, 5)
    .map((v) => `"${safeCell(v)}"`)
    .join(', ');
  const what = `${plan.remove.length} of its ${plan.current} item(s) would have been removed, e.g. ${examples}`;
  if (valid === 0) {
    throw new SyncRefusedError(
      `the feed has no valid line; refusing to empty list "${key}": ${what}`,
      'check the download; pass --allow-empty to empty the list on purpose',
    );
  }
  const share = plan.remove.length / plan.current;
  if (share > options.maxRemove) {
    throw new SyncRefusedError(
      `refusing to sync list "${key}": ${what} (${Math.round(share * 100)}%, more than --max-remove ${options.maxRemove})`,
      'check the feed; pass --max-remove 1 (or a larger ratio) if this is intended',
    );
  }
}

/** A sync the guard refused (exit 2, like the SDK's `sync_guard` code). */
export class SyncRefusedError extends UsageError {
  readonly code = 'sync_guard';
}
