/**
 * ptnad-client/bql: the PT NAD query language toolkit (parse, validate, format, build safely, map rows).
 */

export { BqlSyntaxError } from '../core/errors.js';
export * from './ast.js';
