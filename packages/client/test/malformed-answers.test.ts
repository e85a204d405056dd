/**
 * Malformed answers (issue 19 item 10): a shape the SDK cannot use is an UnexpectedResponseError (code
 * `unexpected_response`) that says what was expected; never a raw TypeError, never a ValidationError (which means
 * bad arguments), never a silently wrong result.
 */
import { describe, expect, it } from 'vitest';
import { PTNADClient, UnexpectedResponseError } from '../src/index.js';
import { fakeFetch, json } from './helpers/fake-fetch.js';

const BASE = 'https://nad.test';

function clientAnswering(body: unknown): PTNADClient {
  const answer = () =>
    typeof body === 'string' ? new Response(body, { headers: { 'content-type': 'application/json' } }) : json(body);
  return new PTNADClient(BASE, { fetch: fakeFetch(answer).fetch, maxRetries: 0 });
}

async function failure(run: () => PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(run()).then(
    () => 'resolved',
    (e: unknown) => e,
  );
}

describe('malformed answers', () => {
  const cases: Array<[string, unknown, (c: PTNADClient) => PromiseLike<unknown>]> = [
    [
      'syncDynamicList with {"results":[null]}',
      { results: [null] },
      (c) => c.replists.syncDynamicList('k', ['1.1.1.1']),
    ],
    [
      'syncDynamicList with an item without value',
      { results: [{ attrs: {} }] },
      (c) => c.replists.syncDynamicList('k', ['1.1.1.1']),
    ],
    ['getActiveTriggers with {"results":[null]}', { results: [null] }, (c) => c.monitoring.getActiveTriggers()],
    ['getTriggers with no results', { detail: 'ok' }, (c) => c.monitoring.getTriggers()],
    ['getStatus with the JSON string "hello"', '"hello"', (c) => c.monitoring.getStatus()],
    ['getStatus with a list', [1, 2], (c) => c.monitoring.getStatus()],
    ['getStatus with a body that is not JSON', 'hello', (c) => c.monitoring.getStatus()],
    ['a list without results', { count: 3 }, (c) => c.replists.getLists()],
    ['bql.execute without result', { rows: [] }, (c) => c.bql.execute('SELECT id FROM flow LIMIT 1')],
    ['tasks.get with null', null, (c) => c.tasks.get('t-1')],
  ];
  for (const [name, body, run] of cases) {
    it(`${name} is an UnexpectedResponseError`, async () => {
      const err = await failure(() => run(clientAnswering(body)));
      expect(err).toBeInstanceOf(UnexpectedResponseError);
      expect((err as UnexpectedResponseError).code).toBe('unexpected_response');
      expect((err as Error).message).toMatch(/^Failed to /);
    });
  }
});
