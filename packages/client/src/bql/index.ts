/**
 * ptnad-client/bql: the PT NAD query language toolkit (parse, validate, format, build safely, map rows).
 *
 * @module ptnad-client/bql
 */

export { BqlError, BqlSyntaxError } from '../core/errors.js';
export * from './ast.js';
export {
  BqlQuery,
  type BqlScalar,
  type BqlValue,
  bql,
  FieldName,
  field,
  isBqlQuery,
  literal,
  type TextOf,
  type ValuePlaceholder,
} from './builder.js';
export {
  CATALOGUE,
  type Catalogue,
  FIELD_DOCS,
  FIELD_TYPES,
  type FieldTypeSpec,
  type TableName,
  type TableSpec,
  TRANSPORTS,
} from './catalogue.js';
export type { CellOf, FieldCell, FieldPath, FieldSpecs } from './field-types.js';
export {
  APP_PROTOS,
  APP_SERVICES,
  defaultTimeField,
  type FieldInfo,
  type FieldType,
  FLOW_FLAGS,
  fieldPaths,
  getTable,
  lookupField,
  type ResolvedField,
  TABLES,
  type TableInfo,
} from './fields.js';
export { locate, type TextLocation } from './location.js';
export {
  assertNever,
  COMPARE_OPERATORS,
  COMPARE_OPS,
  compareOpAt,
  isCompareOp,
  type OperatorInfo,
  type OrderingOp,
} from './operators.js';
export { MAX_BOOLEAN_OPERATORS, MAX_DEPTH, parse, parseFilter, parseQuery } from './parser.js';
export { type FormatOptions, format, numberText } from './printer.js';
export {
  andFilter,
  type FilterInput,
  type OrderInput,
  type TimeInput,
  type TimeRange,
  toEpochMs,
  withLimit,
  withOrderBy,
  withTimeRange,
} from './rewrite.js';
export type {
  MAX_TYPED_WORDS,
  RowFor,
  RowOf,
  UntypedRow,
} from './row-types.js';
export { type Column, columnsOf, type QueryInput, rowsToObjects, type SubqueryColumn, toQueryAst } from './rows.js';
export { type Diagnostic, type ValidateOptions, validate } from './validate.js';
