import type { Position } from '@app/event-store';
import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../read-model/read-model.schema';
import { CheckpointConflictError } from './projection.errors';

/** A projection's checkpoint and the version that guards it against a second runner. */
export interface StoredCheckpoint {
  /** Last position applied; `undefined`: nothing yet, start from the beginning. */
  readonly position: Position | undefined;
  readonly version: number;
}

/**
 * The `projection_checkpoints` table. The checkpoint moves in the same transaction as the rows a
 * batch changes, and only from the version this runner last read: two runners of one projection
 * (two replicas) can never both apply the same batch.
 */
export class CheckpointRepository {
  constructor(private readonly db: Kysely<ReadModelSchema>) {}

  async load(projection: string, now = Date.now()): Promise<StoredCheckpoint> {
    await this.db
      .insertInto('projection_checkpoints')
      .values({ projection_name: projection, commit_position: null, prepare_position: null, version: 0, updated_at: now })
      .onConflict((conflict) => conflict.column('projection_name').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('projection_checkpoints')
      .select(['commit_position', 'prepare_position', 'version'])
      .where('projection_name', '=', projection)
      .executeTakeFirstOrThrow();
    const position = row.commit_position === null || row.prepare_position === null
      ? undefined
      : { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
    return { position, version: Number(row.version) };
  }

  /**
   * Moves the checkpoint inside the batch's transaction. Run it first: its row lock makes a
   * competing runner wait, then fail here, before it has written anything.
   */
  async advance(trx: Kysely<ReadModelSchema>, projection: string, from: StoredCheckpoint, to: Position, now = Date.now()): Promise<StoredCheckpoint> {
    const version = from.version + 1;
    const result = await trx
      .updateTable('projection_checkpoints')
      .set({ commit_position: to.commit.toString(), prepare_position: to.prepare.toString(), version, updated_at: now })
      .where('projection_name', '=', projection)
      .where('version', '=', from.version)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) throw new CheckpointConflictError(projection);
    return { position: to, version };
  }
}
