/**
 * The flow detail (`GET flow/{id}`, §10.2) and alert detail (`GET flow/{id}/alert/{id}`, §10.3) wire objects,
 * and a flow lookup by id through an index built once per flow array.
 */
import type { AlertRecord, FlowRecord } from '../store/types.js';
import type { Rec } from './fields.js';
import { renderWire } from './render.js';

/** Nested arrays in a flow detail are cut at this many entries (SB pages HTTP transactions by 100). */
export const DETAIL_ARRAY_CAP = 100;

/**
 * The flow detail object: times as naive ISO with microseconds, `duration` in seconds, `src/dst.country`,
 * nested arrays capped at {@link DETAIL_ARRAY_CAP}.
 */
export function flowDetail(flow: FlowRecord): Record<string, unknown> {
  const out = renderWire(flow, DETAIL_ARRAY_CAP) as Rec;
  out.duration = (flow.end - flow.start) / 1000;
  for (const side of ['src', 'dst'] as const) {
    const e = out[side] as Rec;
    e.country = flow[side].geo?.country ?? null;
  }
  return out;
}

/** The alert detail object, with `parent` (the flow id), base64 `payload` and the `signature` block. */
export function alertDetail(flow: FlowRecord, alert: AlertRecord): Record<string, unknown> {
  const out = renderWire(alert) as Rec;
  out.parent = flow.id;
  return out;
}

const indexes = new WeakMap<readonly FlowRecord[], Map<string, FlowRecord>>();

/** The flow with this id, or undefined; the id index is built on first use per array and reused. */
export function findFlow(flows: readonly FlowRecord[], id: string): FlowRecord | undefined {
  let index = indexes.get(flows);
  if (index === undefined) {
    index = new Map(flows.map((f) => [f.id, f]));
    indexes.set(flows, index);
  }
  return index.get(id);
}
