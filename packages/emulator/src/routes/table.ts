import { AUTH_ROUTES } from './auth.js';
import { BQL_ROUTES } from './bql.js';
import { FLOW_ROUTES } from './flows.js';
import { HOST_ROUTES } from './hosts.js';
import { MONITORING_ROUTES } from './monitoring.js';
import { REPLIST_ROUTES } from './replists.js';
import { SENSOR_ROUTES } from './sensors.js';
import { SIGNATURE_ROUTES } from './signatures.js';
import { SOURCE_ROUTES } from './sources.js';
import { TASK_ROUTES } from './tasks.js';
import type { RouteSpec } from './types.js';
import { VARIABLE_ROUTES } from './variables.js';

/**
 * Every route the emulator serves, as data. Tests generate the auth, CSRF and permission suites from this table,
 * so a new route is covered the moment it is added here.
 */
export const ROUTES: readonly RouteSpec[] = Object.freeze([
  ...AUTH_ROUTES,
  ...MONITORING_ROUTES,
  ...BQL_ROUTES,
  ...FLOW_ROUTES,
  ...SOURCE_ROUTES,
  ...TASK_ROUTES,
  ...REPLIST_ROUTES,
  ...SIGNATURE_ROUTES,
  ...VARIABLE_ROUTES,
  ...SENSOR_ROUTES,
  ...HOST_ROUTES,
]);
