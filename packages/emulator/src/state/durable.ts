import { HttpError } from '../http/errors.js';
import type { VariableRecord } from '../store/types.js';
import type { ReplistChange } from './replists.js';
import type { RulePatch } from './rules.js';

/** Rule overrides and IP/port groups as one record: small, so each change stores them whole. */
export interface ConfigSections {
  variables: { committed: VariableRecord[]; working: VariableRecord[]; nextId: number };
  rules: { committed: Array<[number, RulePatch]>; pending: Array<[number, RulePatch]> };
}

/** Every kind of change the `--state` journal records. */
export type StateChange =
  | ReplistChange
  | ({ op: 'config' } & ConfigSections)
  | { op: 'storage.add'; id: number; flowIds: string[]; at: string };

/** The 500 a change gets when it cannot be made durable; nothing was applied. */
export function stateWriteFailed(err: unknown): HttpError {
  const code = (err as NodeJS.ErrnoException).code;
  return new HttpError(500, {
    detail: `The change could not be written to the state file${code ? ` (${code})` : ''}, so it was not applied.`,
  });
}
