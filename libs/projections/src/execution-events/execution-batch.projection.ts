import type { RecordedEvent } from '@app/event-store';
import type { Kysely, Transaction } from 'kysely';
import type { ReadModelSchema } from '../read-model/read-model.schema';
import type { KeyValues } from '../read-model/table-spec';
import type { Projection } from '../runner/projection';
import { EXECUTION_STREAM_PREFIX } from '@app/domain';
import { decodeExecutionEvents, type ExecutionEventRecord } from './execution-event.decoder';

interface Flushable {
  flush(db: Kysely<ReadModelSchema>): Promise<void>;
}

/** What a buffered projection of execution streams consists of. */
export interface ExecutionBatchModel<Tables extends { readonly [K in keyof Tables]: Flushable }> {
  /** Fresh {@link TableBuffer}s for one batch. */
  open(): Tables;
  /** Reads the rows the batch refers to but does not create. */
  load(trx: Kysely<ReadModelSchema>, tables: Tables, records: readonly ExecutionEventRecord[]): Promise<void>;
  /** Applies one event to the buffers, in memory. */
  apply(tables: Tables, record: ExecutionEventRecord): void;
}

/**
 * A projection of execution streams built on {@link TableBuffer}s: per batch, open the buffers,
 * load the rows the batch refers to, apply each event in memory, flush — a few statements per
 * batch, whatever its size.
 */
export class ExecutionBatchProjection<Tables extends { readonly [K in keyof Tables]: Flushable }> implements Projection {
  readonly streamNamePrefixes: readonly string[] = [EXECUTION_STREAM_PREFIX];

  constructor(readonly name: string, private readonly model: ExecutionBatchModel<Tables>) {}

  async applyBatch(trx: Transaction<ReadModelSchema>, events: readonly RecordedEvent[]): Promise<void> {
    const records = decodeExecutionEvents(events);
    if (records.length === 0) return;
    const tables = this.model.open();
    await this.model.load(trx, tables, records);
    for (const record of records) this.model.apply(tables, record);
    for (const table of Object.values<Flushable>(tables)) await table.flush(trx);
  }
}

/**
 * Keys a batch refers to but does not create (rows from earlier batches): the only rows worth
 * reading before applying it.
 */
export function keysToLoad(
  records: readonly ExecutionEventRecord[],
  created: (record: ExecutionEventRecord) => string | undefined,
  referenced: (record: ExecutionEventRecord) => string | undefined,
): KeyValues[] {
  const createdKeys = new Set<string>();
  const needed = new Set<string>();
  for (const record of records) {
    const fresh = created(record);
    if (fresh !== undefined) createdKeys.add(fresh);
    const key = referenced(record);
    if (key !== undefined && !createdKeys.has(key)) needed.add(key);
  }
  return [...needed].map((key) => [key]);
}
