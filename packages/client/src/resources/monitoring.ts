/**
 * `client.monitoring`: overall health and health triggers (`monitoring/status`, `monitoring/triggers`).
 */

import type { APIPromise } from '../core/api-promise.js';
import { APIResource, type RequestOptions } from '../core/resource.js';

/** Health colour. */
export type HealthStatus = 'unknown' | 'green' | 'yellow' | 'red';
/** Trigger categories. */
export type TriggerType = 'audit' | 'updates' | 'stats' | 'license';

/** One problem of `GET monitoring/status`, with `message` rendered from `template` and `vars`. */
export interface MonitoringProblem {
  status: HealthStatus | string;
  template: string;
  vars: Record<string, unknown>;
  /** `template` with its `{name}` placeholders filled from `vars` (added by the SDK). */
  message: string;
}

/** `GET monitoring/status`. */
export interface MonitoringStatus {
  status: HealthStatus | string;
  problems: MonitoringProblem[];
}

/** One health trigger of `GET monitoring/triggers`. */
export interface Trigger {
  id: string;
  type: TriggerType | string;
  status: HealthStatus | string;
  template: string;
  vars: Record<string, unknown>;
  /** ISO-8601, e.g. `2025-04-10T11:17:41.667952Z`. */
  updated?: string;
  /** `template` rendered with `vars` (added by the SDK). */
  message: string;
}

/**
 * Renders a Python `str.format` template the safe way: only `{name}` placeholders are filled (from `vars`,
 * own properties only), `{{` and `}}` are literal braces, and anything else (`{0}`, `{a.b}`, `{x!r}`, `{x:>5}`,
 * unknown names) is left as written. No attribute access, no evaluation.
 * @example
 * renderTemplate('Sensor {sensor} has no traffic', { sensor: 'sensor-1' }) // "Sensor sensor-1 has no traffic"
 */
export function renderTemplate(template: string, vars: Record<string, unknown> | undefined): string {
  if (typeof template !== 'string') return '';
  if (!template.includes('{') && !template.includes('}')) return template;
  const values = vars ?? {};
  return template.replace(/\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    if (name === undefined || !Object.hasOwn(values, name)) return match;
    const value = values[name];
    if (value === null || value === undefined) return String(value);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

type RawProblem = Omit<MonitoringProblem, 'message'>;
type RawTrigger = Omit<Trigger, 'message'>;

/** Health of the PT NAD installation. */
export class MonitoringResource extends APIResource {
  /**
   * The overall status and its problems, each with a rendered `message`.
   * @example
   * const { status, problems } = await client.monitoring.getStatus();
   * for (const p of problems) console.log(p.status, p.message);
   */
  getStatus(options?: RequestOptions): APIPromise<MonitoringStatus> {
    return this.client
      .request<{ status?: string; problems?: RawProblem[] }>(
        { method: 'GET', path: 'monitoring/status', operation: 'get monitoring status' },
        options,
      )
      .map((body) => ({
        ...body,
        status: body?.status ?? 'unknown',
        problems: (Array.isArray(body?.problems) ? body.problems : []).map((p) => ({
          ...p,
          message: renderTemplate(p.template, p.vars),
        })),
      }));
  }

  /**
   * All health triggers, each with a rendered `message`.
   * @example
   * const triggers = await client.monitoring.getTriggers();
   */
  getTriggers(options?: RequestOptions): APIPromise<Trigger[]> {
    return this.client
      .request<{ results?: RawTrigger[] }>(
        { method: 'GET', path: 'monitoring/triggers', operation: 'get monitoring triggers' },
        options,
      )
      .map((body) =>
        (Array.isArray(body?.results) ? body.results : []).map((t) => ({
          ...t,
          message: renderTemplate(t.template, t.vars),
        })),
      );
  }

  /**
   * One trigger by id, or `undefined` when there is none with that id.
   * @example
   * const es = await client.monitoring.getTriggerById('elastic_status');
   */
  getTriggerById(id: string, options?: RequestOptions): Promise<Trigger | undefined> {
    return this.getTriggers(options).then((all) => all.find((t) => t.id === id));
  }

  /**
   * Triggers whose status is not `green`.
   * @example
   * const firing = await client.monitoring.getActiveTriggers();
   */
  getActiveTriggers(options?: RequestOptions): Promise<Trigger[]> {
    return this.getTriggers(options).then((all) => all.filter((t) => t.status !== 'green'));
  }

  /**
   * Triggers of one type (`audit`, `updates`, `stats`, `license`).
   * @example
   * const updates = await client.monitoring.getTriggersByType('updates');
   */
  getTriggersByType(type: TriggerType | string, options?: RequestOptions): Promise<Trigger[]> {
    return this.getTriggers(options).then((all) => all.filter((t) => t.type === type));
  }
}
