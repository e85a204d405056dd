/**
 * The field catalogue at compile time: the TypeScript type of a field's cell, read from `typeof CATALOGUE`,
 * mirroring `lookupField` (own fields, then prefixes and child tables, then open prefixes). Every recursion
 * here is tail-recursive, so TypeScript evaluates it as a loop instead of nesting instantiations.
 */

import type { Catalogue, FieldType, FieldTypeSpec, TableName } from './catalogue.js';

/** Whitespace the catalogue's name lists and BQL text may contain. */
type Space = ' ' | '\n' | '\r' | '\t';

/** `S` with every `\n`, `\r` and `\t` turned into a space (tail-recursive: one step per occurrence). */
export type Flatten<S extends string, Done extends string = ''> = S extends `${infer A}${Exclude<Space, ' '>}${infer B}`
  ? Flatten<B, `${Done}${A} `>
  : `${Done}${S}`;

/** The words of a space-separated list, as a union (empty words skipped). */
type WordsOf<S extends string, Acc extends string = never> = S extends `${infer W} ${infer R}`
  ? WordsOf<R, W extends '' ? Acc : Acc | W>
  : S extends ''
    ? Acc
    : Acc | S;

/** Field path -> catalogue type spec, for one table. Computed once per table (type aliases are cached). */
export type FieldSpecs<T extends TableName> = {
  [K in keyof Catalogue[T]['fields'] as WordsOf<Flatten<Catalogue[T]['fields'][K] & string>>]: K;
};

/** `[names, cell type]` per type group of a table: a union of about ten tuples, computed once per table. */
type Groups<T extends TableName> = {
  [K in keyof Catalogue[T]['fields']]: [
    WordsOf<Flatten<Catalogue[T]['fields'][K] & string>>,
    CellOf<K & FieldTypeSpec>,
  ];
}[keyof Catalogue[T]['fields']];

/** All own field paths of a table. */
type OwnPaths<T extends TableName> = Groups<T>[0];

/** The cell type of an own field `P` of table `T` (a walk over the type groups, not over the fields). */
type OwnCell<G, P extends string> = G extends [infer Names, infer Cell] ? (P extends Names ? Cell : never) : never;

/** The JavaScript type of one value of a catalogue type. */
type ValueOf<T extends FieldType> = T extends 'port' | 'int' | 'float'
  ? number
  : T extends 'bool'
    ? boolean
    : T extends 'ip' | 'mac' | 'string' | 'datetime' | 'enum'
      ? string
      : unknown;

/**
 * The type of a cell holding a field of type `S`. Missing values are `null` on the wire (§8.4); times are
 * ISO strings; multi-valued fields are arrays.
 */
export type CellOf<S extends FieldTypeSpec> = S extends `${infer T extends FieldType}[]`
  ? ValueOf<T>[] | null
  : S extends 'object' | 'unknown'
    ? unknown
    : ValueOf<S & FieldType> | null;

type Children<T extends TableName> = Catalogue[T] extends { children: readonly (infer C)[] } ? C : never;
type OpenPrefixes<T extends TableName> = Catalogue[T] extends { open: readonly (infer O)[] } ? O : never;

/**
 * The cell type of `path` in a row of `table`: the catalogue type for the table's own fields; `unknown` for
 * prefixes (`src.geo`), child tables and their fields (`alert.msg` from a flow: how the server folds a child
 * list into one cell is not documented), open-prefix headers (`rqs.Referer`: string) and unknown names.
 * @example type Port = FieldCell<'flow', 'dst.port'> // number | null
 */
export type FieldCell<T extends string, P extends string> = T extends TableName
  ? P extends OwnPaths<T>
    ? OwnCell<Groups<T>, P>
    : P extends `${infer Head}.${string}`
      ? Head extends OpenPrefixes<T>
        ? Head extends Children<T>
          ? unknown
          : string | null
        : unknown
      : unknown
  : unknown;

/** Field paths known for a table (own fields only): for completion in typed helpers and tests. */
export type FieldPath<T extends TableName> = keyof FieldSpecs<T> & string;
