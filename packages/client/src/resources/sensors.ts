/**
 * `client.sensors`: the ptdpi modules (`sensors`, `sensors/{id}`).
 */

import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { path } from '../internal/path.js';

/** A ptdpi module; the reference knows no field names, so everything is optional. */
export interface Sensor {
  id?: number | string;
  name?: string;
  [key: string]: unknown;
}

/** Sensors (ptdpi modules): properties, state, applied filters and rules. */
export class SensorsResource extends APIResource {
  /**
   * All sensors.
   * @example
   * const sensors = await client.sensors.getSensors();
   */
  getSensors(options?: RequestOptions): APIPromise<Sensor[]> {
    return this.client
      .request<{ results?: Sensor[] } | Sensor[]>({ method: 'GET', path: 'sensors', operation: 'get sensors' }, options)
      .map((body) => (Array.isArray(body) ? body : Array.isArray(body?.results) ? body.results : []));
  }

  /**
   * One sensor.
   * @throws NotFoundError when there is no such sensor.
   * @example
   * const sensor = await client.sensors.getSensor(1);
   */
  getSensor(id: number | string, options?: RequestOptions): APIPromise<Sensor> {
    return asAPIPromise(() => {
      return this.client.request<Sensor>(
        { method: 'GET', path: path`sensors/${id}`, operation: `get sensor ${id}` },
        options,
      );
    });
  }
}
