import { mulberry32 } from './lib/prng.js';

/**
 * Behaviours the public evidence does not settle (reference §12, issue 15). The emulator plays either variant;
 * the defaults are the ones the evidence favours (README, "GUESS decisions"), the others let clients prove that
 * they tolerate both.
 */
export interface BehaviourOptions {
  /** Status of a BQL `{"error"}` answer. Default 200 (the Python client only reads `error` on a 2xx answer). */
  bqlErrorStatus?: 200 | 400;
  /**
   * Order of reputation lists and dynamic list items when the request sends no `ordering`: `id` (stable: by id,
   * items by value) or `shuffled` (a new order on every request, drawn from a PRNG seeded with the dataset seed,
   * so a client that pages without an ordering skips and repeats entries). Default `id`.
   */
  listOrder?: 'id' | 'shuffled';
  /** Status for missing, invalid or expired credentials: 401 (with `WWW-Authenticate`) or 403 (DRF with session auth first). Default 401. */
  authFailureStatus?: 401 | 403;
  /** `paged`: dynamic list items are paged like every list (limit 100 by default); `whole`: one answer holds every item. Default `paged`. */
  dynamicItems?: 'paged' | 'whole';
}

/** The resolved behaviours, with the PRNG the shuffled order draws from. */
export class Behaviour {
  readonly bqlErrorStatus: 200 | 400;
  readonly listOrder: 'id' | 'shuffled';
  readonly authFailureStatus: 401 | 403;
  readonly dynamicItems: 'paged' | 'whole';
  private readonly random: () => number;

  constructor(options: BehaviourOptions, seed: number) {
    this.bqlErrorStatus = pick('bqlErrorStatus', options.bqlErrorStatus, [200, 400] as const, 200);
    this.listOrder = pick('listOrder', options.listOrder, ['id', 'shuffled'] as const, 'id');
    this.authFailureStatus = pick('authFailureStatus', options.authFailureStatus, [401, 403] as const, 401);
    this.dynamicItems = pick('dynamicItems', options.dynamicItems, ['paged', 'whole'] as const, 'paged');
    this.random = mulberry32(seed ^ 0x5eed);
  }

  /**
   * The default order of a list answer: `items` as given (already in the stable default order) or, when lists
   * are shuffled, a fresh permutation (Fisher-Yates over a copy).
   */
  defaultOrder<T>(items: readonly T[]): readonly T[] {
    if (this.listOrder === 'id') return items;
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = out[i] as T;
      out[i] = out[j] as T;
      out[j] = t;
    }
    return out;
  }
}

function pick<T extends string | number>(name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new RangeError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}
