import type { ExpressionBuilder, Kysely } from 'kysely';
import type { ReadModelSchema, ReadModelTable } from './read-model.schema';
import type { KeyValues, RowOf, TableSpec } from './table-spec';

/**
 * The writer is generic over tables, which kysely's typed builder cannot follow; it works on this
 * loose view, and {@link TableSpec} ties columns to the typed schema at the call site instead.
 */
type LooseRow = Record<string, unknown>;
type LooseDb = Kysely<Record<string, LooseRow>>;
type LooseEb = ExpressionBuilder<Record<string, LooseRow>, string>;

/** Well below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement. */
const MAX_PARAMETERS = 16_000;

/** Keeps `IN (…)` lists and OR-ed composite keys short enough for the planners to use the index. */
const KEY_VALUES_PER_STATEMENT = 1_000;

const keysPerStatement = (spec: { readonly key: readonly string[] }): number => Math.floor(KEY_VALUES_PER_STATEMENT / spec.key.length);
const loose = (db: Kysely<ReadModelSchema>): LooseDb => db as unknown as LooseDb;
const tableOf = (spec: { readonly table: ReadModelTable }): string => spec.table;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

function keyMatch(eb: LooseEb, columns: readonly string[], keys: readonly KeyValues[]) {
  if (columns.length === 1) return eb(columns[0]!, 'in', keys.map((key) => key[0]));
  return eb.or(keys.map((key) => eb.and(columns.map((column, index) => eb(column, '=', key[index])))));
}

/** The rows with these keys, one statement per chunk of keys. */
export async function selectRows<T extends ReadModelTable>(db: Kysely<ReadModelSchema>, spec: TableSpec<T>, keys: readonly KeyValues[]): Promise<RowOf<T>[]> {
  const rows: RowOf<T>[] = [];
  for (const chunk of chunks(keys, keysPerStatement(spec))) {
    const found = await loose(db).selectFrom(tableOf(spec)).selectAll().where((eb) => keyMatch(eb, spec.key, chunk)).execute();
    rows.push(...(found as unknown as RowOf<T>[]));
  }
  return rows;
}

export async function deleteRows<T extends ReadModelTable>(db: Kysely<ReadModelSchema>, spec: TableSpec<T>, keys: readonly KeyValues[]): Promise<void> {
  for (const chunk of chunks(keys, keysPerStatement(spec))) {
    await loose(db).deleteFrom(tableOf(spec)).where((eb) => keyMatch(eb, spec.key, chunk)).execute();
  }
}

/** Deletes every row whose `column` holds one of `values` (an execution's rows, a task's timers). */
export async function deleteWhere<T extends ReadModelTable>(db: Kysely<ReadModelSchema>, spec: TableSpec<T>, column: string, values: readonly string[]): Promise<void> {
  await deleteRows(db, { ...spec, key: [column] } as unknown as TableSpec<T>, values.map((value) => [value]));
}

/** Inserts rows, overwriting the updatable columns of those that exist: multi-row statements, no per-row round trip. */
export async function upsertRows<T extends ReadModelTable>(db: Kysely<ReadModelSchema>, spec: TableSpec<T>, rows: readonly RowOf<T>[]): Promise<void> {
  if (rows.length === 0) return;
  const width = Object.keys(rows[0]!).length;
  for (const chunk of chunks(rows as unknown as readonly LooseRow[], Math.max(1, Math.floor(MAX_PARAMETERS / width)))) {
    await loose(db)
      .insertInto(tableOf(spec))
      .values(chunk)
      .onConflict((conflict) => {
        const target = conflict.columns(spec.key);
        if (spec.updatable.length === 0) return target.doNothing();
        return target.doUpdateSet((eb) => Object.fromEntries(spec.updatable.map((column) => [column, eb.ref(`excluded.${column}`)])));
      })
      .execute();
  }
}
