import type { ReadModelSchema, ReadModelTable } from './read-model.schema';

export type RowOf<T extends ReadModelTable> = ReadModelSchema[T];
export type ColumnOf<T extends ReadModelTable> = keyof RowOf<T> & string;
/** Values of a row's key columns, in the order of {@link TableSpec.key}. */
export type KeyValues = readonly (string | number)[];

/** What the generic batch writer needs to know about a projection table. */
export interface TableSpec<T extends ReadModelTable> {
  readonly table: T;
  readonly key: readonly ColumnOf<T>[];
  /** Columns an upsert overwrites when the row exists; the others never change after insert. */
  readonly updatable: readonly ColumnOf<T>[];
  /** Column rows can be deleted by in bulk (every row of one execution). */
  readonly group?: ColumnOf<T>;
}

export function keyValuesOf<T extends ReadModelTable>(spec: TableSpec<T>, row: RowOf<T>): KeyValues {
  return spec.key.map((column) => row[column] as string | number);
}
