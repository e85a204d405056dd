/**
 * `client.variables`: IP and port groups (`HOME_NET`-style names used in rules and filters).
 */

import { type APIPromise, asAPIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import { type OffsetPage, offsetList, type PagePromise } from '../core/pagination.js';
import { APIResource, type RequestOptions } from '../core/resource.js';
import { integerId, path } from '../internal/path.js';
import type { OrString } from './monitoring.js';

/** An IP or port group. */
export interface VariableGroup {
  id: number;
  name: string;
  type: OrString<'ip' | 'port'>;
  value?: string;
  comment?: string;
}

/** Fields of {@link VariablesResource.createGroup}. */
export interface CreateGroupParams {
  name: string;
  /** Default `ip`. */
  type?: 'ip' | 'port';
  value?: string;
  comment?: string;
}

/** IP and port groups; changes take effect after `client.signatures.applyChanges()`. */
export class VariablesResource extends APIResource {
  /**
   * Creates a group.
   * @throws ValidationError when `name` is empty or `type` is not `ip`/`port`.
   * @example
   * const g = await client.variables.createGroup({ name: 'DMZ_NET', type: 'ip', value: '10.1.0.0/16' });
   */
  createGroup(params: CreateGroupParams, options?: RequestOptions): APIPromise<VariableGroup> {
    return asAPIPromise(() => {
      const type = params.type ?? 'ip';
      if (typeof params.name !== 'string' || params.name.trim() === '') {
        throw new ValidationError('variables.createGroup: name is required (a non-empty string)');
      }
      if (type !== 'ip' && type !== 'port') {
        throw new ValidationError(`variables.createGroup: type must be "ip" or "port", got "${String(type)}"`);
      }
      const json: Record<string, string> = { name: params.name, type };
      if (params.value !== undefined) json.value = params.value;
      if (params.comment !== undefined) json.comment = params.comment;
      return this.client.request<VariableGroup>(
        { method: 'POST', path: 'variables', json, operation: `create group "${params.name}"` },
        options,
      );
    });
  }

  /**
   * Groups, optionally searched in name, value and comment.
   * @example
   * for await (const g of client.variables.getGroups({ search: 'NET' })) console.log(g.name, g.value);
   */
  getGroups(
    params: { search?: string; limit?: number; offset?: number } = {},
    options?: RequestOptions,
  ): PagePromise<OffsetPage<VariableGroup>, VariableGroup> {
    return offsetList<VariableGroup>(
      this.client,
      { method: 'GET', path: 'variables', query: { search: params.search || undefined }, operation: 'get groups' },
      { limit: params.limit, offset: params.offset },
      options,
    );
  }

  /**
   * One group.
   * @throws NotFoundError when there is no such group.
   * @example
   * const g = await client.variables.getGroup(3);
   */
  getGroup(id: number | string, options?: RequestOptions): APIPromise<VariableGroup> {
    return asAPIPromise(() => {
      return this.client.request<VariableGroup>(
        { method: 'GET', path: path`variables/${integerId(id, 'group id')}`, operation: `get group ${id}` },
        options,
      );
    });
  }

  /**
   * Changes a group's value and/or comment.
   * @throws ValidationError when neither is given.
   * @example
   * await client.variables.updateGroup(3, { value: '10.0.0.0/8' });
   */
  updateGroup(
    id: number | string,
    fields: { value?: string; comment?: string },
    options?: RequestOptions,
  ): APIPromise<VariableGroup> {
    return asAPIPromise(() => {
      const json: Record<string, string> = {};
      if (fields?.value !== undefined) json.value = fields.value;
      if (fields?.comment !== undefined) json.comment = fields.comment;
      if (Object.keys(json).length === 0) {
        throw new ValidationError('variables.updateGroup: give at least one of "value" or "comment"');
      }
      return this.client.request<VariableGroup>(
        { method: 'PATCH', path: path`variables/${integerId(id, 'group id')}`, json, operation: `update group ${id}` },
        options,
      );
    });
  }

  /**
   * Deletes a group. Resolves to whether a commit (`signatures.applyChanges()`) is required:
   * `false` when the server answered 204, `true` otherwise.
   * @example
   * if (await client.variables.deleteGroup(3)) await client.signatures.applyChanges();
   */
  async deleteGroup(id: number | string, options?: RequestOptions): Promise<boolean> {
    const { status } = await this.client
      .request(
        {
          method: 'DELETE',
          path: path`variables/${integerId(id, 'group id')}`,
          operation: `delete group ${id}`,
          parse: 'none',
        },
        options,
      )
      .asResponse();
    return status !== 204;
  }

  /**
   * Group statistics.
   * @example
   * const stats = await client.variables.getStats();
   */
  getStats(options?: RequestOptions): APIPromise<Record<string, unknown>> {
    return this.client.request({ method: 'GET', path: 'variables/stats', operation: 'get groups statistics' }, options);
  }
}
