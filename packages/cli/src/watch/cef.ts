/**
 * ArcSight CEF (Common Event Format) rendering of watch events, for `--format cef`:
 * `CEF:0|Positive Technologies|PT NAD|<ver>|<signature id>|<name>|<severity>|<extension>`. Header fields escape
 * `\` and `|`; extension values escape `\`, `=` and line breaks (CEF spec, "Character encoding").
 */
import type { WatchEvent } from './events.js';

const header = (v: unknown): string =>
  String(v ?? '')
    .replace(/[\\|]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');
const ext = (v: unknown): string =>
  String(v)
    .replace(/[\\=]/g, (c) => `\\${c}`)
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n');

/** Epoch ms of a naive UTC ISO time cell, or undefined. */
function epoch(t: unknown): number | undefined {
  if (typeof t !== 'string') return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function get(e: WatchEvent, path: string): unknown {
  let v: unknown = e;
  for (const p of path.split('.'))
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

/** One CEF line for an event; `version` is the CLI's version (Device Version). */
export function toCef(e: WatchEvent, version: string): string {
  const pairs: Array<[string, unknown]> = [['externalId', e.id]];
  let sig: unknown;
  let name: unknown;
  let severity: number;
  if (e.type === 'alert') {
    sig = e.sid;
    name = e.msg;
    const pr = typeof e.pr === 'number' ? e.pr : 4;
    severity = pr <= 1 ? 10 : pr === 2 ? 7 : pr === 3 ? 5 : 3;
    pairs.push(
      ['rt', epoch(e.ts)],
      ['src', get(e, 'attacker.ip')],
      ['dst', get(e, 'victim.ip')],
      ['cat', e.cls],
      ['cs1Label', 'flowId'],
      ['cs1', e.parent],
      ['cs2Label', 'attck'],
      ['cs2', Array.isArray(e.att_ck) ? e.att_ck.join(',') : undefined],
      ['cn1Label', 'priority'],
      ['cn1', e.pr],
    );
  } else {
    sig = 'flow';
    name = `${String(e.app_proto || e.proto || 'unknown')} flow`;
    const crit = typeof e.criticality === 'number' ? e.criticality : undefined;
    severity = crit === undefined ? 1 : crit <= 1 ? 10 : crit === 2 ? 7 : crit === 3 ? 5 : 3;
    pairs.push(
      ['rt', epoch(e.end)],
      ['start', epoch(e.start)],
      ['end', epoch(e.end)],
      ['src', get(e, 'src.ip')],
      ['spt', get(e, 'src.port')],
      ['dst', get(e, 'dst.ip')],
      ['dpt', get(e, 'dst.port')],
      ['proto', e.proto],
      ['app', e.app_proto || undefined],
      ['cn1Label', 'bytes'],
      ['cn1', get(e, 'bytes.total')],
    );
  }
  const extension = pairs
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${ext(v)}`)
    .join(' ');
  return `CEF:0|Positive Technologies|PT NAD|${header(version)}|${header(sig)}|${header(name)}|${severity}|${extension}`;
}
