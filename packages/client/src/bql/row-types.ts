/**
 * Rows typed from the query text: a type-level reading of a statement's select list that gives the object
 * `client.bql.query()` resolves to, the same keys `columnsOf`/`rowsToObjects` produce at run time.
 *
 * - Known fields get their catalogue type (`FieldCell`), aliases name their column, a repeated name gets the
 *   run time's `#2` suffix, function calls are `unknown` under their printed text
 *   (`extract_raw_object('false_positive')`), subqueries are arrays of their own typed rows.
 * - Anything this reader cannot be sure of gives `Record<string, unknown>`, the type of a query built at run
 *   time: `SELECT *`, text that is not a literal type, quotes holding `(`, `)` or `,` in the select list, a
 *   value interpolated into the select list, select lists longer than {@link MAX_TYPED_WORDS} words.
 *
 * Cost: the reader walks the select list a word at a time and splits items at commas with template-literal
 * inference (one instantiation per word or comma, not per character), and every recursion is tail-recursive
 * with an explicit step cap, so long select lists never reach TypeScript's instantiation depth limit.
 */

import type { BuiltQuery } from '../lib/query-text.js';
import type { ValuePlaceholder } from './builder.js';
import type { FieldCell, Flatten } from './field-types.js';

/** The row type of a query whose text the type system cannot read. */
export type UntypedRow = Record<string, unknown>;

/** Select lists longer than this many words are not typed (TypeScript caps tail recursion at 1,000 steps). */
export type MAX_TYPED_WORDS = 900;

type Bail = { readonly __bqlUntyped: true };

type TrimStart<S extends string> = S extends ` ${infer R}` ? TrimStart<R> : S;
type TrimEnd<S extends string> = S extends `${infer R} ` ? TrimEnd<R> : S;
type Trim<S extends string> = TrimEnd<TrimStart<S>>;

type Unquote<S extends string> = S extends `"${infer V}"` ? V : S extends `'${infer V}'` ? V : S;

/** How many times `C` occurs in `S`, as a tuple length. */
type Count<S extends string, C extends string, N extends 0[] = []> = S extends `${string}${C}${infer R}`
  ? Count<R, C, [...N, 0]>
  : N;

type HasParen<S extends string> = S extends `${string}${'(' | ')'}${string}` ? true : false;

/** Depth after a word: opened parentheses pushed, closed ones popped. */
type Nest<D extends 0[], W extends string> =
  HasParen<W> extends false
    ? D
    : [...D, ...Count<W, '('>] extends [...Count<W, ')'>, ...infer Rest extends 0[]]
      ? Rest
      : [];

/** `[select list, text after FROM]` of the words after SELECT; FROM counts only outside parentheses. */
type SplitAtFrom<
  S extends string,
  D extends 0[] = [],
  Acc extends string = '',
  N extends 0[] = [],
> = N['length'] extends MAX_TYPED_WORDS
  ? Bail
  : S extends `${infer W} ${infer R}`
    ? W extends ''
      ? SplitAtFrom<R, D, Acc, N>
      : D extends []
        ? Uppercase<W> extends 'FROM'
          ? [Acc, TrimStart<R>]
          : SplitAtFrom<R, Nest<D, W>, `${Acc} ${W}`, [...N, 0]>
        : SplitAtFrom<R, Nest<D, W>, `${Acc} ${W}`, [...N, 0]>
    : Bail;

/**
 * {@link SplitAtFrom} without walking words when it can: the text before the first ` FROM ` (upper or lower
 * case) is the select list when its parentheses balance (no subquery before it). Otherwise walk the words.
 */
type SplitFast<S extends string> = S extends `${infer L} FROM ${infer R}`
  ? L extends `${string} from ${string}`
    ? SplitAtFrom<S>
    : Balanced<L> extends true
      ? [L, R]
      : SplitAtFrom<S>
  : S extends `${infer L} from ${infer R}`
    ? Balanced<L> extends true
      ? [L, R]
      : SplitAtFrom<S>
    : SplitAtFrom<S>;

type Balanced<S extends string> =
  HasParen<S> extends false ? true : Count<S, '('>['length'] extends Count<S, ')'>['length'] ? true : false;

/** Items of a select list or argument list: split at commas outside parentheses, trimmed. */
type SplitItems<S extends string> = HasParen<S> extends true ? SplitNested<S> : SplitPlain<S>;

type SplitPlain<S extends string, Acc extends string[] = []> = S extends `${infer A},${infer B}`
  ? SplitPlain<B, [...Acc, Trim<A>]>
  : [...Acc, Trim<S>];

type SplitNested<
  S extends string,
  Cur extends string = '',
  Acc extends string[] = [],
> = S extends `${infer A},${infer B}`
  ? Balanced<`${Cur}${A}`> extends true
    ? SplitNested<B, '', [...Acc, Trim<`${Cur}${A}`>]>
    : SplitNested<B, `${Cur}${A},`, Acc>
  : [...Acc, Trim<`${Cur}${S}`>];

/** `[before the last ')', after it]`. */
type SplitLastClose<S extends string, Done extends string = ''> = S extends `${infer A})${infer B}`
  ? B extends `${string})${string}`
    ? SplitLastClose<B, `${Done}${A})`>
    : [`${Done}${A}`, B]
  : Bail;

/** True when every quote in the select list is closed and no quoted text holds `(`, `)` or `,`. */
type QuotesSafe<S extends string> = S extends `${infer Pre}'${string}`
  ? Pre extends `${string}"${string}`
    ? QuotedSafe<S, '"'>
    : QuotedSafe<S, "'">
  : S extends `${string}"${string}`
    ? QuotedSafe<S, '"'>
    : true;

/** {@link QuotesSafe} from the first quote `Q` of `S` on. */
type QuotedSafe<S extends string, Q extends string> = S extends `${string}${Q}${infer Inside}${Q}${infer After}`
  ? Inside extends `${string}${'(' | ')' | ','}${string}`
    ? false
    : QuotesSafe<After>
  : false;

/** A call argument as `columnsOf` prints it: strings single-quoted, fields bare. */
type ArgText<A extends string> = A extends `"${infer V}"` ? `'${V}'` : A;

type JoinArgs<A extends string[], Out extends string = ''> = A extends [
  infer H extends string,
  ...infer T extends string[],
]
  ? JoinArgs<T, Out extends '' ? ArgText<H> : `${Out}, ${ArgText<H>}`>
  : Out;

/** One select item as `[column name, cell type]`, or `Bail`. */
type Item<I extends string, Table extends string> = I extends `${string}${' ' | '(' | '"' | "'" | '*'}${string}`
  ? SlowItem<I, Table>
  : [I, FieldCell<Table, I>];

type SlowItem<I extends string, Table extends string> = I extends '*'
  ? Bail
  : I extends `(${infer Body}`
    ? SplitLastClose<Body> extends [infer Inner extends string, infer Tail extends string]
      ? Statement<Trim<Inner>> extends [infer SubTable extends string, infer SubRow]
        ? SubRow extends Bail
          ? Bail
          : [Trim<Tail> extends '' ? SubTable : Unquote<Trim<Tail>>, SubRow[]]
        : Bail
      : Bail
    : I extends `${infer Name}(${infer Rest}`
      ? SplitLastClose<Rest> extends [infer Args extends string, infer Tail extends string]
        ? [Trim<Tail> extends '' ? `${Trim<Name>}(${JoinArgs<SplitItems<Args>>})` : Unquote<Trim<Tail>>, unknown]
        : Bail
      : I extends `${infer F} ${infer Alias}`
        ? [Unquote<Trim<Alias>>, FieldCell<Table, Unquote<F>>]
        : [Unquote<I>, FieldCell<Table, Unquote<I>>];

/** The run time's name for a repeated column: `name#2`, `name#3`, ... (the first one not taken). */
type FreeKey<K extends string, Keys extends string, N extends 0[] = [0, 0]> = `${K}#${N['length']}` extends Keys
  ? FreeKey<K, Keys, [...N, 0]>
  : `${K}#${N['length']}`;

/** Entries `[key, type]` of the items as a union, with repeated names suffixed; `Bail` if any item bails. */
type Entries<Items extends string[], Table extends string, Keys extends string = never, Out = never> = Items extends [
  infer H extends string,
  ...infer T extends string[],
]
  ? Item<H, Table> extends [infer K extends string, infer V]
    ? K extends Keys
      ? Entries<T, Table, Keys | FreeKey<K, Keys>, Out | [FreeKey<K, Keys>, V]>
      : Entries<T, Table, Keys | K, Out | [K, V]>
    : Bail
  : Out;

type ToObject<E> = { [P in E & [string, unknown] as P[0]]: P[1] };

/** `[table, row]` of a statement's text (already flattened to single-line), or `Bail`. */
type Statement<Q extends string> =
  TrimStart<Q> extends `${infer First} ${infer Rest}`
    ? Uppercase<First> extends 'SELECT'
      ? SplitFast<Rest> extends [infer List extends string, infer After extends string]
        ? [QuotesSafe<List>, List extends `${string}${ValuePlaceholder}${string}` ? false : true] extends [true, true]
          ? Unquote<After extends `${infer T} ${string}` ? T : After> extends infer Table extends string
            ? Entries<SplitItems<List>, Table> extends infer E
              ? [E] extends [Bail]
                ? Bail
                : [Table, ToObject<E>]
              : Bail
            : Bail
          : Bail
        : Bail
      : Bail
    : Bail;

/**
 * The row object of a BQL statement given as a string literal type: keys are the column names, values the
 * catalogue types (`number | null` for `dst.port`, `string | null` for `src.ip`, `unknown` for functions).
 * A non-literal `string`, a bare filter, `SELECT *` or text it cannot read give `Record<string, unknown>`.
 * @example type R = RowOf<'SELECT src.ip, dst.port p FROM flow'> // { 'src.ip': string | null; p: number | null }
 */
export type RowOf<Q extends string> = string extends Q
  ? UntypedRow
  : Statement<Flatten<Q>> extends [string, infer Row]
    ? Row
    : UntypedRow;

/**
 * The row of anything `client.bql.query()` accepts: a string literal's {@link RowOf}, a `bql` result's
 * {@link RowOf} its text type (literal only for `bql([...parts], ...values)`), else `Record<string, unknown>`.
 */
export type RowFor<Q> = Q extends string
  ? RowOf<Q>
  : Q extends BuiltQuery & { text: infer T extends string }
    ? RowOf<T>
    : UntypedRow;
