/**
 * `client.flows`: one session (flow) in detail, and one alert of a flow with its payload and rule.
 */

import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { path } from '../internal/path.js';
import { type TimeInput, toEpochMs } from '../lib/time.js';

/** One endpoint of a flow. */
export interface FlowEndpoint {
  ip?: string;
  port?: number;
  mac?: string;
  dns?: string;
  groups?: string[];
  host_id?: string;
  name?: string;
  geo?: { country?: string; asn?: number; org?: string; city?: string; location?: [number, number] };
}

/** A file seen in a flow. */
export interface FlowFile {
  id?: string;
  filename?: string;
  md5?: string;
  sha256?: string;
  size?: number;
  mime?: string;
  magic?: string;
}

/** An alert (detail view includes `payload` and `signature`). */
export interface Alert {
  id: string;
  parent?: string;
  ts?: string;
  msg?: string;
  cls?: string;
  sid?: number;
  rev?: number;
  pr?: number;
  payload?: string;
  attacker?: FlowEndpoint;
  victim?: FlowEndpoint;
  signature?: { vendor?: string; rule?: string; description?: Record<string, unknown>; [key: string]: unknown };
}

/** `GET flow/{id}`: the session in detail. */
export interface Flow {
  id: string;
  start?: string;
  end?: string;
  duration?: number;
  proto?: string;
  app_proto?: string;
  app_protos?: string[];
  src?: FlowEndpoint;
  dst?: FlowEndpoint;
  bytes?: { recv?: number; sent?: number; total?: number };
  pkts?: { recv?: number; sent?: number; total?: number };
  state?: string[];
  errors?: string[];
  has_files?: boolean;
  false_positive?: boolean;
  criticality?: number | null;
  alert?: Alert[];
  files?: FlowFile[];
  pcaps?: string[];
  http?: unknown[];
}

/** The search window of a flow lookup. */
export interface FlowWindow {
  /** Window start (epoch ms, Date or ISO). */
  start?: TimeInput;
  /** Window end. */
  end?: TimeInput;
  /** Storage id; default the client's `defaultSource`. */
  source?: string | number;
}

/** Sessions (flows). */
export class FlowsResource extends APIResource {
  /**
   * One flow in detail.
   * @throws NotFoundError when the flow is not in the window/storage.
   * @example
   * const flow = await client.flows.get('P86qC9cOOElv1RPc~lYyC2', { start: '2023-06-08T00:00:00', end: Date.now() });
   */
  get(id: string, window: FlowWindow = {}, options?: RequestOptions): APIPromise<Flow> {
    return asAPIPromise(() => {
      return this.client.request<Flow>(
        { method: 'GET', path: path`flow/${id}`, query: this.#query(window), operation: `get flow ${id}` },
        options,
      );
    });
  }

  /**
   * One alert of a flow, with the payload (base64) and the full rule text.
   * @throws NotFoundError when there is no such alert.
   * @example
   * const alert = await client.flows.getAlert(flowId, alertId, { start, end });
   */
  getAlert(flowId: string, alertId: string, window: FlowWindow = {}, options?: RequestOptions): APIPromise<Alert> {
    return asAPIPromise(() => {
      return this.client.request<Alert>(
        {
          method: 'GET',
          path: path`flow/${flowId}/alert/${alertId}`,
          query: this.#query(window),
          operation: `get alert ${alertId} of flow ${flowId}`,
        },
        options,
      );
    });
  }

  #query(window: FlowWindow) {
    return {
      start: window.start === undefined ? undefined : toEpochMs(window.start, 'start'),
      end: window.end === undefined ? undefined : toEpochMs(window.end, 'end'),
      source: String(window.source ?? this.client.defaultSource),
    };
  }
}
