/**
 * Durations such as `30m`, `5h`, `3d`, `1w` (for --since and friends).
 */

import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `<number><s|m|h|d|w>` into milliseconds; `option` names the flag in the error. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  const value = m ? Number(m[1]) : Number.NaN;
  const unit = m?.[2]?.toLowerCase();
  if (!m || unit === undefined || !(value > 0)) {
    throw new UsageError(`${option} must be a duration such as 30m, 5h, 3d or 1w, got "${text}"`);
  }
  return Math.round(value * (UNIT_MS[unit] ?? 0));
}

/** Parses a positive integer option. */
export function parsePositiveInt(text: string, option: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) <= 0) {
    throw new UsageError(`${option} must be a positive integer, got "${text}"`);
  }
  return Number(text);
}

/** A duration flag parser for commander (the flag is named in commander's own message). */
export function durationArg(value: string): number {
  try {
    return parseDuration(value, 'the value');
  } catch {
    throw new InvalidArgumentError(`must be a duration such as 30m, 5h, 3d or 1w, got "${value}"`);
  }
}
