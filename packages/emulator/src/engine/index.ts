/**
 * The emulator's BQL engine: executes the toolkit's AST over the dataset's flows (time-indexed when given a
 * FlowTable, paced and time-budgeted), compiles UI filters to their canonical text, and renders details.
 */
export { compileExpr, type Predicate } from './compile.js';
export { alertDetail, DETAIL_ARRAY_CAP, findFlow, flowDetail } from './detail.js';
export { BqlEngineError } from './errors.js';
export {
  type BqlContext,
  type BqlResult,
  compileFilter,
  DEFAULT_LIMIT,
  executeBql,
  executeBqlAsync,
  executeBqlJsonAsync,
} from './execute.js';
export { ALERT_SCOPE, type AlertRow, FLOW_SCOPE } from './fields.js';
export { FlowTable, type IndexedField } from './flow-table.js';
export { BqlBudgetError, DEFAULT_QUERY_BUDGET_MS } from './pacer.js';
