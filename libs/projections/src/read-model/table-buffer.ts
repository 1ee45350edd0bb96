import type { Kysely } from 'kysely';
import type { ReadModelSchema, ReadModelTable } from './read-model.schema';
import { type ColumnOf, type KeyValues, keyValuesOf, type RowOf, type TableSpec } from './table-spec';
import { deleteRows, deleteWhere, selectRows, upsertRows } from './table-writes';

interface Entry<T extends ReadModelTable> {
  readonly key: KeyValues;
  /** `null`: deleted in this batch. */
  row: RowOf<T> | null;
}

/**
 * One table's rows as a batch sees them: loaded once, changed in memory event by event, written
 * back at the end in a few set-based statements. That keeps a batch of thousands of events at a
 * handful of round trips while each event is still applied in order.
 *
 * @example
 * const tasks = new TableBuffer(PENDING_TASKS);
 * await tasks.load(trx, [['task-1']]);
 * tasks.update(['task-1'], (row) => ({ ...row, status: 'IN_PROGRESS' }));
 * await tasks.flush(trx);
 */
export class TableBuffer<T extends ReadModelTable> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly dirty = new Set<string>();
  /** Bulk deletes by column value (the group column, or another), written first at flush. */
  private readonly purged = new Map<string, Set<string>>();

  constructor(readonly spec: TableSpec<T>) {}

  /** Reads the rows with these keys that are not in the buffer yet. */
  async load(db: Kysely<ReadModelSchema>, keys: Iterable<KeyValues>): Promise<void> {
    const missing = new Map<string, KeyValues>();
    for (const key of keys) {
      const id = JSON.stringify(key);
      if (!this.entries.has(id)) missing.set(id, key);
    }
    if (missing.size === 0) return;
    for (const row of await selectRows(db, this.spec, [...missing.values()])) {
      const key = keyValuesOf(this.spec, row);
      this.entries.set(JSON.stringify(key), { key, row });
    }
  }

  get(key: KeyValues): RowOf<T> | undefined {
    return this.entries.get(JSON.stringify(key))?.row ?? undefined;
  }

  put(row: RowOf<T>): void {
    const key = keyValuesOf(this.spec, row);
    const id = JSON.stringify(key);
    this.entries.set(id, { key, row });
    this.dirty.add(id);
  }

  /** Replaces a loaded or buffered row; a row that is not there stays absent. */
  update(key: KeyValues, change: (row: RowOf<T>) => RowOf<T>): void {
    const row = this.get(key);
    if (row !== undefined) this.put(change(row));
  }

  delete(key: KeyValues): void {
    const id = JSON.stringify(key);
    this.entries.set(id, { key, row: null });
    this.dirty.add(id);
  }

  /** Deletes every row of the group, including rows never loaded. Rows put afterwards survive. */
  purge(group: string): void {
    const column = this.spec.group;
    if (column === undefined) throw new Error(`table ${this.spec.table} has no group column`);
    this.purgeWhere(column, group);
  }

  /** Deletes every row whose `column` holds `value`, including rows never loaded. Rows put afterwards survive. */
  purgeWhere(column: ColumnOf<T>, value: string): void {
    for (const [id, entry] of this.entries) {
      if (entry.row !== null && entry.row[column] === value) {
        entry.row = null;
        this.dirty.add(id);
      }
    }
    let values = this.purged.get(column);
    if (!values) this.purged.set(column, (values = new Set()));
    values.add(value);
  }

  /** Writes the batch's net effect: bulk deletes first, so that rows put after a purge stay. */
  async flush(db: Kysely<ReadModelSchema>): Promise<void> {
    for (const [column, values] of this.purged) await deleteWhere(db, this.spec, column, [...values]);
    const deleted: KeyValues[] = [];
    const upserted: RowOf<T>[] = [];
    for (const id of this.dirty) {
      const entry = this.entries.get(id)!;
      if (entry.row === null) deleted.push(entry.key);
      else upserted.push(entry.row);
    }
    await deleteRows(db, this.spec, deleted);
    await upsertRows(db, this.spec, upserted);
  }
}
