/**
 * `client.monitoring`: overall health and health triggers (`monitoring/status`, `monitoring/triggers`).
 */

import type { APIPromise } from '../core/api-promise.js';
import { UnexpectedResponseError } from '../core/errors.js';
import { envelope } from '../core/pagination.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { describeValue, expectObject, expectObjects, expectString } from '../core/shape.js';

/** Health colour. */
export type HealthStatus = 'unknown' | 'green' | 'yellow' | 'red';
/** Trigger categories. */
export type TriggerType = 'audit' | 'updates' | 'stats' | 'license';
/**
 * A known value or any other string a newer PT NAD may send. `(string & {})` keeps the known values in editor
 * completion, where a plain `| string` would collapse the union to `string`.
 */
export type OrString<Known extends string> = Known | (string & {});

/** One problem of `GET monitoring/status`, with `message` rendered from `template` and `vars`. */
export interface MonitoringProblem {
  status: OrString<HealthStatus>;
  template: string;
  vars: Record<string, unknown>;
  /** `template` with its `{name}` placeholders filled from `vars` (added by the SDK). */
  message: string;
}

/** `GET monitoring/status`. */
export interface MonitoringStatus {
  status: OrString<HealthStatus>;
  problems: MonitoringProblem[];
}

/** One health trigger of `GET monitoring/triggers`. */
export interface Trigger {
  id: string;
  type: OrString<TriggerType>;
  status: OrString<HealthStatus>;
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
  // A hand-written scan rather than a regular expression with a replacer: every getStatus() and getTriggers()
  // renders each problem, and the replacer's per-match call was a measurable part of a warm call (issue 13).
  // Same rules as /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g tried at each position, left to right.
  let out = '';
  let copied = 0;
  for (let at = 0; at < template.length; at++) {
    const c = template.charCodeAt(at);
    if (c !== OPEN && c !== CLOSE) continue;
    if (template.charCodeAt(at + 1) === c) {
      out += template.slice(copied, at + 1);
      copied = at + 2;
      at++;
      continue;
    }
    if (c === CLOSE) continue;
    const end = placeholderEnd(template, at + 1);
    if (end < 0) continue;
    const name = template.slice(at + 1, end);
    if (vars !== undefined && vars !== null && Object.hasOwn(vars, name)) {
      const value = vars[name];
      out += template.slice(copied, at);
      out += value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
      copied = end + 1;
    }
    // An unknown name stays as written, and its closing brace is not the start of a `}}`.
    at = end;
  }
  return copied === 0 ? template : out + template.slice(copied);
}

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }

/** Where the `}` of a `{name}` placeholder whose name starts at `from` is, or -1 when there is none. */
function placeholderEnd(template: string, from: number): number {
  for (let i = from; i < template.length; i++) {
    const c = template.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    if (letter || (i > from && c >= 0x30 && c <= 0x39)) continue;
    return c === CLOSE && i > from ? i : -1;
  }
  return -1;
}

type RawProblem = Omit<MonitoringProblem, 'message'>;
type RawTrigger = Omit<Trigger, 'message'>;

/**
 * Gives a problem or trigger of a parsed answer its rendered `message`, in place: the object is this answer's own
 * (nothing else holds it). A copy made with `{ ...item, message }` would be kept alive by young-generation
 * collections ("Hot paths" in docs/ARCHITECTURE.md).
 */
function withMessage<T extends { template: string; vars?: Record<string, unknown> }>(item: T): T & { message: string } {
  const done = item as T & { message: string };
  done.message = renderTemplate(item.template, item.vars);
  return done;
}

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
      .request<unknown>({ method: 'GET', path: 'monitoring/status', operation: 'get monitoring status' }, options)
      .map((answer) => {
        const operation = 'get monitoring status';
        const body = expectObject(answer, 'the answer', operation);
        if (body.status !== undefined && typeof body.status !== 'string')
          expectString(body, 'status', 'the answer', operation);
        const problems = body.problems === undefined ? [] : body.problems;
        if (!Array.isArray(problems)) {
          throw new UnexpectedResponseError(
            `Failed to ${operation}: "problems" should be a list, got ${describeValue(problems)}`,
            { operation },
          );
        }
        // The answer is this call's own parse (nothing else holds it): it is completed in place, not copied with
        // `{ ...body, status }` ("Hot paths" in docs/ARCHITECTURE.md).
        body.status = (body.status as string | undefined) ?? 'unknown';
        body.problems = expectObjects<RawProblem>(problems, 'problems', operation).map(withMessage);
        return body as unknown as MonitoringStatus;
      });
  }

  /**
   * All health triggers, each with a rendered `message`.
   * @example
   * const triggers = await client.monitoring.getTriggers();
   */
  getTriggers(options?: RequestOptions): APIPromise<Trigger[]> {
    return this.client
      .request<unknown>({ method: 'GET', path: 'monitoring/triggers', operation: 'get monitoring triggers' }, options)
      .map((body) => {
        const operation = 'get monitoring triggers';
        return expectObjects<RawTrigger>(envelope<unknown>(body, operation).results, 'results', operation).map(
          withMessage,
        );
      });
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
  getTriggersByType(type: OrString<TriggerType>, options?: RequestOptions): Promise<Trigger[]> {
    return this.getTriggers(options).then((all) => all.filter((t) => t.type === type));
  }
}
