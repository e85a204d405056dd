/**
 * The emulator's BQL engine: executes the toolkit's AST over the dataset's flows, compiles UI filters to their
 * canonical text, and renders flow and alert details.
 */
export { compileExpr, type Predicate } from './compile.js';
export { alertDetail, DETAIL_ARRAY_CAP, findFlow, flowDetail } from './detail.js';
export { BqlEngineError } from './errors.js';
export { type BqlContext, type BqlResult, compileFilter, DEFAULT_LIMIT, executeBql } from './execute.js';
export { ALERT_SCOPE, type AlertRow, FLOW_SCOPE } from './fields.js';
