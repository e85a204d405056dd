/**
 * `client.signatures`: rule classes, rules, statistics, and the commit/rollback of pending changes.
 */

import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { APIError, CommitError } from '../core/errors.js';
import { type OffsetPage, offsetList, type PagePromise } from '../core/pagination.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { serverDetail } from '../internal/api-error.js';
import { integerId, path } from '../internal/path.js';

/** A signature class (`cls` in alerts holds its title). */
export interface SignatureClass {
  name?: string;
  title: string;
  priority: number;
}

/** A detection rule. */
export interface SignatureRule {
  sid: number;
  msg?: string;
  vendor?: string;
  enabled?: boolean;
  cls?: string;
  priority?: number;
  action?: string;
  rev?: number;
  rule?: string;
  has_redef?: boolean;
  has_exceptions?: boolean;
  has_error?: boolean;
  diff?: string;
}

/** Filters of {@link SignaturesResource.getClasses}. */
export interface GetClassesParams {
  search?: string;
  ordering?: string;
  name?: string;
  title?: string;
  priority?: number;
  limit?: number;
  offset?: number;
}

/** Server-side rule filters (sent as the JSON body `{"filter": {...}}`, as the Python client does). */
export interface RuleFilters {
  sid?: number | number[];
  sid__gte?: number;
  sid__lt?: number;
  vendor?: string | string[];
  enabled?: boolean;
  has_redef?: boolean;
  has_exceptions?: boolean;
  /** N finds rules with priority >= N. */
  priority?: number;
  /** Class name(s). */
  cls?: string | string[];
  /** PT NAD 12.2+: `added`(+) `updated`(*) `removed`(-) `unchanged`(=). */
  diff?: Array<'+' | '*' | '-' | '=' | 'added' | 'updated' | 'removed' | 'unchanged'>;
  has_error?: boolean;
  /** IP matched in the rule's source/destination addresses. */
  client?: string;
  server?: string;
}

/** Parameters of {@link SignaturesResource.getRules}. */
export interface GetRulesParams extends RuleFilters {
  search?: string;
  ordering?: string;
  /** Page size. Default 100. */
  limit?: number;
  offset?: number;
}

/** Fields of {@link SignaturesResource.updateRule}. */
export interface RuleUpdate {
  enabled?: boolean;
  action?: string;
  msg?: string;
  [key: string]: unknown;
}

/** The successful answer of `signatures/commit`. */
export interface CommitResult {
  hashsum: string;
}

const FILTER_KEYS: ReadonlyArray<keyof RuleFilters> = [
  'sid',
  'sid__gte',
  'sid__lt',
  'vendor',
  'enabled',
  'has_redef',
  'has_exceptions',
  'priority',
  'cls',
  'diff',
  'has_error',
  'client',
  'server',
];

/** Detection rules and their commit cycle. */
export class SignaturesResource extends APIResource {
  /**
   * Rule classes (titles and priorities).
   * @example
   * const classes = await client.signatures.getClasses({ search: 'scan' });
   */
  getClasses(
    params: GetClassesParams = {},
    options?: RequestOptions,
  ): PagePromise<OffsetPage<SignatureClass>, SignatureClass> {
    const { limit, offset, ...filters } = params;
    return offsetList<SignatureClass>(
      this.client,
      { method: 'GET', path: 'signatures/classes', query: { ...filters }, operation: 'get signature classes' },
      { limit, offset },
      options,
    );
  }

  /**
   * Rules, with search, ordering and every server-side filter of the reference. Await for one page,
   * `for await` for all.
   * @example
   * const page = await client.signatures.getRules({ search: 'ftp', cls: 'Network scan' });
   * for await (const rule of client.signatures.getRules({ vendor: 'PTSecurity', enabled: true })) console.log(rule.sid);
   */
  getRules(
    params: GetRulesParams = {},
    options?: RequestOptions,
  ): PagePromise<OffsetPage<SignatureRule>, SignatureRule> {
    const filter: Record<string, unknown> = {};
    for (const key of FILTER_KEYS) if (params[key] !== undefined) filter[key] = params[key];
    const hasFilter = Object.keys(filter).length > 0;
    return offsetList<SignatureRule>(
      this.client,
      {
        method: 'GET',
        path: 'signatures/rules',
        query: { search: params.search || undefined, ordering: params.ordering || undefined },
        ...(hasFilter ? { json: { filter } } : {}),
        operation: 'get signature rules',
      },
      { limit: params.limit ?? 100, offset: params.offset ?? 0 },
      options,
    );
  }

  /**
   * One rule by sid.
   * @throws NotFoundError when there is no such rule.
   * @example
   * const rule = await client.signatures.getRule(2007802);
   */
  getRule(sid: number | string, options?: RequestOptions): APIPromise<SignatureRule> {
    return asAPIPromise(() => {
      return this.client.request<SignatureRule>(
        {
          method: 'GET',
          path: path`signatures/rules/${integerId(sid, 'rule sid')}`,
          operation: `get signature rule ${sid}`,
        },
        options,
      );
    });
  }

  /**
   * Changes a rule (takes effect after `applyChanges()`).
   * @example
   * await client.signatures.updateRule(2007802, { enabled: false });
   */
  updateRule(sid: number | string, fields: RuleUpdate, options?: RequestOptions): APIPromise<SignatureRule> {
    return asAPIPromise(() => {
      return this.client.request<SignatureRule>(
        {
          method: 'PATCH',
          path: path`signatures/rules/${integerId(sid, 'rule sid')}`,
          json: fields,
          operation: `update signature rule ${sid}`,
        },
        options,
      );
    });
  }

  /**
   * Rule statistics.
   * @example
   * const stats = await client.signatures.getStats();
   */
  getStats(options?: RequestOptions): APIPromise<Record<string, unknown>> {
    return this.client.request(
      { method: 'GET', path: 'signatures/stats', operation: 'get signature statistics' },
      options,
    );
  }

  /**
   * Commits pending rule and variable changes to the sensors.
   * @throws CommitError (with `fatalError` and `otherErrors`) when the server reports a failed commit.
   * @example
   * const { hashsum } = await client.signatures.applyChanges();
   */
  async applyChanges(options?: RequestOptions): Promise<CommitResult> {
    const operation = 'apply signature changes';
    let body: unknown;
    let status = 200;
    let headers: Record<string, string> = {};
    let url = '';
    try {
      const { data, response } = await this.client
        .request<unknown>({ method: 'POST', path: 'signatures/commit', operation }, options)
        .withResponse();
      body = data;
      status = response.status;
      url = response.url;
    } catch (err) {
      if (!(err instanceof APIError) || !isCommitFailure(err.body)) throw err;
      body = err.body;
      status = err.status;
      headers = err.headers;
      url = err.url;
    }
    if (isCommitFailure(body)) {
      const fatal = typeof body.fatal_error === 'string' ? body.fatal_error : null;
      const others = Array.isArray(body.other_errors) ? body.other_errors.map((e) => serverDetail(e)) : [];
      const detail = [fatal, ...others].filter((x): x is string => !!x).join('; ') || 'no details given';
      throw new CommitError(`Failed to ${operation}: ${status} commit failed: ${detail}`, {
        status,
        method: 'POST',
        url,
        body,
        headers,
        operation,
        fatalError: fatal,
        otherErrors: others,
      });
    }
    return body as CommitResult;
  }

  /**
   * Discards pending rule and variable changes.
   * @example
   * await client.signatures.revertChanges();
   */
  async revertChanges(options?: RequestOptions): Promise<void> {
    await this.client.request(
      { method: 'POST', path: 'signatures/rollback', operation: 'revert signature changes', parse: 'none' },
      options,
    );
  }
}

function isCommitFailure(body: unknown): body is { fatal_error?: unknown; other_errors?: unknown[] } {
  if (body === null || typeof body !== 'object') return false;
  const b = body as { fatal_error?: unknown; other_errors?: unknown; hashsum?: unknown };
  if (typeof b.hashsum === 'string' && !b.fatal_error) return false;
  const others = Array.isArray(b.other_errors) ? b.other_errors : [];
  return (b.fatal_error !== undefined && b.fatal_error !== null) || others.length > 0;
}
