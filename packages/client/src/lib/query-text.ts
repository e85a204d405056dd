/**
 * Everything that takes a query or a filter accepts a string or the safe builder's result
 * (`bql\`...\``): this turns either into the text sent to the server.
 */

import { isBqlQuery } from '../bql/builder.js';
import { ValidationError } from '../core/errors.js';

/** A query built by `bql\`...\`` (matched by shape, so a copy of the package from another path fits too). */
export interface BuiltQuery {
  readonly text: string;
  readonly ast: object;
}

/** What every method that takes a query or a filter accepts: BQL text or the safe builder's result. */
export type QueryLike = string | BuiltQuery;

/** The BQL text of a query or filter argument; `what` names the argument in errors. */
export function queryText(value: unknown, what: 'query' | 'filter'): string {
  if (typeof value === 'string') return value;
  if (isBqlQuery(value)) return value.text;
  throw new ValidationError(
    `The ${what} must be a string or a BQL builder result (bql\`...\`), got ${value === null ? 'null' : typeof value}`,
  );
}
