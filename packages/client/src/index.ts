/**
 * ptnad-client: the TypeScript SDK for the PT NAD REST API v2.
 */
export * from './core/errors.js';
export { VERSION } from './version.js';
