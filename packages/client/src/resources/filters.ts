/**
 * `client.filters`: compiles a UI filter into a BQL fragment on the server (`filters/compile`).
 */

import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { type QueryLike, queryText } from '../lib/query-text.js';

/** Server-side filter compilation. */
export class FiltersResource extends APIResource {
  /**
   * Compiles a UI filter (string or a builder result) into a BQL WHERE fragment.
   * @throws ValidationError when the filter is empty; BadRequestError when the server rejects it.
   * @example
   * const where = await client.filters.compile("app_proto == 'http' && dst.port != 80");
   */
  compile(filter: QueryLike, options?: RequestOptions): APIPromise<string> {
    return asAPIPromise(() => {
      const text = queryText(filter, 'filter');
      if (text.trim() === '') throw new ValidationError('filters.compile: the filter is empty');
      return this.client
        .request<{ compiled_filter?: unknown }>(
          { method: 'POST', path: 'filters/compile', json: { user_filter: text }, operation: 'compile filter' },
          options,
        )
        .map((body) => (typeof body?.compiled_filter === 'string' ? body.compiled_filter : ''));
    });
  }
}
