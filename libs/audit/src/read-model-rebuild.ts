import type { EventStore, Position } from '@app/event-store';
import {
  CheckpointRepository,
  CompositeProjection,
  ORCHESTRATOR_READ_MODELS,
  READ_MODEL_TABLES,
  comparePositions,
  orchestratorReadModelParts,
  type ReadModelSchema,
} from '@app/projections';
import type { Kysely } from 'kysely';
import { logExtent, scanAll, shareOfLog } from './store-scan';
import type { ScanProgress } from './verify-store';

/** The outcome of {@link rebuildReadModels}. */
export interface RebuildSummary {
  readonly events: number;
  readonly batches: number;
  /** Where the read models were before (undefined: never built). */
  readonly previousCheckpoint?: Position;
  /** Where they are now: the previous checkpoint, or the end of the log for read models never built. */
  readonly checkpoint?: Position;
}

/**
 * Rebuilds the orchestrator's read models (execution index, pending tasks, timers, task report)
 * from scratch: empties their tables, then applies every execution event of the log again, one
 * transaction per page together with the checkpoint. It stops where the read models were before,
 * so the orchestrator, when it starts, runs the lifecycle reactions of the events after that
 * point as it would have (this command runs none: no NATS). Read models never built are rebuilt
 * up to the end of the log. Run it with the orchestrators of this read model stopped.
 */
export async function rebuildReadModels(store: EventStore, db: Kysely<ReadModelSchema>, options: { onProgress?: (progress: ScanProgress) => void } = {}): Promise<RebuildSummary> {
  const checkpoints = new CheckpointRepository(db);
  const previous = await checkpoints.load(ORCHESTRATOR_READ_MODELS);
  const extent = await logExtent(store);
  const bound = previous.position ?? extent.last;

  let checkpoint = await db.transaction().execute(async (trx) => {
    for (const table of Object.keys(READ_MODEL_TABLES) as (keyof typeof READ_MODEL_TABLES)[]) await trx.deleteFrom(table).execute();
    const moved = await trx
      .updateTable('projection_checkpoints')
      .set({ commit_position: null, prepare_position: null, version: previous.version + 1, updated_at: Date.now() })
      .where('projection_name', '=', ORCHESTRATOR_READ_MODELS)
      .where('version', '=', previous.version)
      .executeTakeFirst();
    if (moved.numUpdatedRows !== 1n) throw new Error('the read model changed while it was being reset: stop the orchestrators that use it and run the rebuild again');
    return { position: undefined as Position | undefined, version: previous.version + 1 };
  });

  const projection = new CompositeProjection(ORCHESTRATOR_READ_MODELS, orchestratorReadModelParts());
  let events = 0;
  let batches = 0;
  if (bound !== undefined) {
    for await (const page of scanAll(store, { filter: { streamNamePrefixes: projection.streamNamePrefixes } })) {
      const batch = page.filter((event) => comparePositions(event.position, bound) <= 0);
      if (batch.length > 0) {
        const from = checkpoint;
        const to = batch[batch.length - 1]!.position;
        checkpoint = await db.transaction().execute(async (trx) => {
          const advanced = await checkpoints.advance(trx, ORCHESTRATOR_READ_MODELS, from, to);
          await projection.applyBatch(trx, batch);
          return advanced;
        });
        events += batch.length;
        batches += 1;
        options.onProgress?.({ events, share: shareOfLog(extent, to) });
      }
      if (batch.length < page.length) break;
    }
    // Exactly where it was (a checkpoint may lie past the last execution event), so the orchestrator resumes from there.
    if (checkpoint.position === undefined || comparePositions(checkpoint.position, bound) < 0) {
      const from = checkpoint;
      checkpoint = await db.transaction().execute((trx) => checkpoints.advance(trx, ORCHESTRATOR_READ_MODELS, from, bound));
    }
  }
  return { events, batches, ...(previous.position ? { previousCheckpoint: previous.position } : {}), ...(checkpoint.position ? { checkpoint: checkpoint.position } : {}) };
}
