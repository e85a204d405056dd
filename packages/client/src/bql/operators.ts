/**
 * The comparison operators of BQL, in one table. The lexer recognises exactly these spellings, the AST's
 * `CompareOp` is derived from the table, the printer writes `op` as it is, and the validator, the emulator's
 * engine and the tests read the table. Every switch over an operator ends in {@link assertNever}, so adding a
 * row here makes each layer that has to give it a meaning fail to compile until it does.
 */

/** What the layers need to know about one operator. */
export interface OperatorInfo {
  /** One line for documentation and error messages. */
  readonly summary: string;
  /** True for `<`, `>`, `<=`, `>=`: the operator orders values (numbers, times, single IPv4 addresses). */
  readonly ordering: boolean;
}

/** Every comparison operator, by its spelling. */
export const COMPARE_OPERATORS = {
  '==': { summary: 'equal (case-sensitive); any value of a multi-valued field', ordering: false },
  '!=': { summary: 'not equal: no value of the field equals', ordering: false },
  '~': { summary: 'whole-value wildcard match (* any run, ? one character), case-insensitive', ordering: false },
  '<': { summary: 'less than', ordering: true },
  '>': { summary: 'greater than', ordering: true },
  '<=': { summary: 'less than or equal', ordering: true },
  '>=': { summary: 'greater than or equal', ordering: true },
} as const satisfies Record<string, OperatorInfo>;

/** A comparison operator's spelling: `==`, `!=`, `~`, `<`, `>`, `<=`, `>=`. */
export type CompareOp = keyof typeof COMPARE_OPERATORS;

/** The operators that order values (`ordering: true` in the table). */
export type OrderingOp = {
  [K in CompareOp]: (typeof COMPARE_OPERATORS)[K]['ordering'] extends true ? K : never;
}[CompareOp];

/** The operators in table order (for tests, completion and documentation). */
export const COMPARE_OPS: readonly CompareOp[] = Object.keys(COMPARE_OPERATORS) as CompareOp[];

/** True when `text` is the spelling of a comparison operator. */
export function isCompareOp(text: string): text is CompareOp {
  return Object.hasOwn(COMPARE_OPERATORS, text);
}

/** The longest operator spelled at `offset` of `text`, or undefined (the lexer's one question). */
export function compareOpAt(text: string, offset: number): CompareOp | undefined {
  const two = text.slice(offset, offset + 2);
  if (two.length === 2 && isCompareOp(two)) return two;
  const one = text.charAt(offset);
  return isCompareOp(one) ? one : undefined;
}

/**
 * Ends a switch that covers every member of a union: the call only compiles when `value` is `never`, and
 * at run time (a value from outside the type system) it throws naming what was not handled.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
