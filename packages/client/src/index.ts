/**
 * ptnad-client: the TypeScript SDK for the PT NAD REST API v2. Public exports only.
 *
 * @module ptnad-client
 */

// The BQL toolkit's main entry points, also available from 'ptnad-client/bql' (which has the whole toolkit).
export type { BqlAst, Expr, FilterAst, Literal, QueryAst } from './bql/ast.js';
export { type BqlQuery, bql, field, isBqlQuery, literal } from './bql/builder.js';
export { parse, parseFilter, parseQuery } from './bql/parser.js';
export { format } from './bql/printer.js';
export type { RowFor, RowOf, UntypedRow } from './bql/row-types.js';
export { type Column, columnsOf, rowsToObjects } from './bql/rows.js';
export { type Diagnostic, validate } from './bql/validate.js';
export { type ClientOptions, PTNADClient } from './client.js';
export { APIPromise, type APIResponseInfo, type WithResponse } from './core/api-promise.js';
export type {
  ApiKeyAuthConfig,
  AuthConfig,
  AuthMode,
  FetchLike,
  HttpMethod,
  LocalAuthConfig,
  Logger,
  LogLevel,
  QueryValue,
  RequestSpec,
  SsoAuthConfig,
} from './core/config.js';
export * from './core/errors.js';
export {
  CursorPage,
  type ListEnvelope,
  OffsetPage,
  Page,
  type PageParams,
  PagePromise,
  type ToArrayOptions,
} from './core/pagination.js';
export { APIResource, type RequestOptions } from './core/resource.js';
export { extraField } from './core/shape.js';
export { encodeSegment, path } from './internal/path.js';
export type { StreamedResponse } from './internal/request.js';
export type { StreamOptions } from './lib/bql-stream.js';
export { type FollowCheckpoint, Follower, type FollowOptions, type FollowStats } from './lib/follow.js';
export type { BuiltQuery, QueryLike } from './lib/query-text.js';
export type { PlanOptions, SyncFailure, SyncOptions, SyncPlan, SyncProgress, SyncReport } from './lib/replists-sync.js';
export { ACCEPTED_TIME_FORMS, type TimeInput, toEpochMs } from './lib/time.js';
export type { BqlOptions, BqlResource, BqlResponse, BqlRow, SourceArg } from './resources/bql.js';
export type { DownloadResult, ExtractParams, FilesResource } from './resources/files.js';
export type { FiltersResource } from './resources/filters.js';
export type { Alert, Flow, FlowEndpoint, FlowFile, FlowsResource, FlowWindow } from './resources/flows.js';
export type { GetHostsParams, Host, HostsResource } from './resources/hosts.js';
export {
  type HealthStatus,
  type MonitoringProblem,
  type MonitoringResource,
  type MonitoringStatus,
  type OrString,
  renderTemplate,
  type Trigger,
  type TriggerType,
} from './resources/monitoring.js';
export type {
  CreateListParams,
  DynamicListItem,
  GetListsParams,
  RepList,
  RepListColor,
  RepListType,
  ReplistsResource,
  UpdateListParams,
} from './resources/replists.js';
export type { Sensor, SensorsResource } from './resources/sensors.js';
export type {
  CommitResult,
  GetClassesParams,
  GetRulesParams,
  RuleFilters,
  RuleUpdate,
  SignatureClass,
  SignatureRule,
  SignaturesResource,
} from './resources/signatures.js';
export type { GetSourcesParams, Source, SourcesResource } from './resources/sources.js';
export type {
  FlowRef,
  FlowTimeRange,
  SaveFlowsParams,
  SaveFlowsReport,
  StorageResource,
} from './resources/storage.js';
export type { FileTaskResult, Task, TaskState, TasksResource, WaitOptions } from './resources/tasks.js';
export type { CreateGroupParams, VariableGroup, VariablesResource } from './resources/variables.js';
export { VERSION } from './version.js';
