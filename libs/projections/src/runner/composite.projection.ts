import type { RecordedEvent } from '@app/event-store';
import type { Transaction } from 'kysely';
import type { ReadModelSchema } from '../read-model/read-model.schema';
import type { Projection } from './projection';

/**
 * Several projections fed by ONE subscription and applied in ONE transaction per batch: the log
 * is read once instead of once per read model, and they all share a checkpoint (so they are
 * always in step). Each part still only sees the events of its own stream prefixes.
 *
 * @example
 * new ProjectionRunner({ store, db, projection: new CompositeProjection('operational', [new ExecutionIndexProjection(), new TaskExecutionsProjection()]) });
 */
export class CompositeProjection implements Projection {
  readonly streamNamePrefixes: readonly string[];

  constructor(
    readonly name: string,
    private readonly parts: readonly Projection[],
  ) {
    this.streamNamePrefixes = [...new Set(parts.flatMap((part) => part.streamNamePrefixes))];
  }

  async applyBatch(trx: Transaction<ReadModelSchema>, events: readonly RecordedEvent[]): Promise<void> {
    for (const part of this.parts) {
      const mine = events.filter((event) => part.streamNamePrefixes.some((prefix) => event.streamName.startsWith(prefix)));
      if (mine.length > 0) await part.applyBatch(trx, mine);
    }
  }

  afterCommit(events: readonly RecordedEvent[]): void {
    for (const part of this.parts) {
      if (!part.afterCommit) continue;
      const mine = events.filter((event) => part.streamNamePrefixes.some((prefix) => event.streamName.startsWith(prefix)));
      if (mine.length > 0) part.afterCommit(mine);
    }
  }
}
