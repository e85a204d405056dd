/**
 * ptnad-emulator: a local PT NAD REST API v2 server with a deterministic dataset and a real BQL engine.
 *
 * @module ptnad-emulator
 */

export type { App } from './app.js';
export {
  type Account,
  DEFAULT_ACCOUNTS,
  DEFAULT_API_KEY,
  DEFAULT_IAM_CLIENT,
  type IamClient,
} from './auth/accounts.js';
export type { BehaviourOptions } from './behaviour.js';
export { type Emulator, type EmulatorOptions, type IamOriginOptions, startEmulator } from './emulator.js';
export {
  alertDetail,
  BqlBudgetError,
  type BqlContext,
  BqlEngineError,
  type BqlResult,
  compileFilter,
  DEFAULT_LIMIT,
  DEFAULT_QUERY_BUDGET_MS,
  executeBql,
  executeBqlAsync,
  FlowTable,
  findFlow,
  flowDetail,
} from './engine/index.js';
export {
  FAULT_SPEC_HELP,
  type FaultAction,
  FaultController,
  type FaultRule,
  FaultSpecError,
  parseFaultSpec,
  RequestCounters,
} from './faults.js';
export {
  type AlertWebhookDocument,
  alertDocument,
  LIVE_MAX_DELAY_MS,
  LIVE_MAX_FLOW_MS,
  type LiveArrival,
  LiveFeed,
  type LiveMode,
  type LiveOptions,
  type WebhookOptions,
  WebhookSender,
  type WebhookStats,
} from './live/index.js';
export { ROUTES } from './routes/table.js';
export type { HttpMethod, RouteSpec } from './routes/types.js';
export { StateFileError } from './state/persistence.js';
export { DEFAULT_FLOW_COUNT, fileBytes, generateDataset } from './store/dataset.js';
export type * from './store/types.js';
export { TEST_CERT_PATH } from './tls.js';
