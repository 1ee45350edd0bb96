import type { RecordedEvent } from '@app/event-store';
import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../read-model/read-model.schema';

/** An event a projection could not apply, as recorded in `quarantined_events`. */
export interface QuarantinedEvent {
  readonly projection: string;
  readonly streamName: string;
  readonly revision: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly commitPosition: string;
  readonly preparePosition: string;
  readonly error: string;
  readonly quarantinedAt: number;
}

/** Longest error text kept per event. */
const MAX_ERROR_CHARS = 2_000;

/**
 * The quarantine of the read models: events that failed to apply on their own (so not the
 * database being away), recorded instead of blocking every event after them.
 */
export class QuarantineRepository {
  constructor(private readonly db: Kysely<ReadModelSchema>) {}

  /** Records `event` in the transaction that also moves the checkpoint past it. */
  async record(trx: Kysely<ReadModelSchema>, projection: string, event: RecordedEvent, error: unknown, now = Date.now()): Promise<QuarantinedEvent> {
    const quarantined: QuarantinedEvent = {
      projection,
      streamName: event.streamName,
      revision: event.revision.toString(),
      eventType: event.type,
      eventId: event.id,
      commitPosition: event.position.commit.toString(),
      preparePosition: event.position.prepare.toString(),
      error: (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_CHARS),
      quarantinedAt: now,
    };
    await trx
      .insertInto('quarantined_events')
      .values({
        projection_name: projection,
        commit_position: quarantined.commitPosition,
        prepare_position: quarantined.preparePosition,
        stream_name: quarantined.streamName,
        stream_revision: quarantined.revision,
        event_type: quarantined.eventType,
        event_id: quarantined.eventId,
        error: quarantined.error,
        quarantined_at: now,
      })
      .onConflict((oc) => oc.columns(['projection_name', 'commit_position', 'prepare_position']).doNothing())
      .execute();
    return quarantined;
  }

  /** The most recently quarantined events first, at most `limit`. */
  async list(limit = 100): Promise<QuarantinedEvent[]> {
    const rows = await this.db.selectFrom('quarantined_events').selectAll().orderBy('quarantined_at', 'desc').limit(limit).execute();
    return rows.map((row) => ({
      projection: row.projection_name,
      streamName: row.stream_name,
      revision: row.stream_revision,
      eventType: row.event_type,
      eventId: row.event_id,
      commitPosition: row.commit_position,
      preparePosition: row.prepare_position,
      error: row.error,
      quarantinedAt: Number(row.quarantined_at),
    }));
  }
}
