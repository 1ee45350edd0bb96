import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_SCHEMA_VERSION } from '@app/domain';
import { EVENT_STORE, StreamNotFoundError, StreamRevisionConflictError, appendChained, type EventStore } from '@app/event-store';

/** Conductor's idempotency strategies for StartWorkflowRequest. */
export const IDEMPOTENCY_STRATEGIES = ['FAIL', 'RETURN_EXISTING', 'FAIL_ON_RUNNING'] as const;
export type IdempotencyStrategy = (typeof IDEMPOTENCY_STRATEGIES)[number];

export const IDEMPOTENCY_KEY_CLAIMED = 'IdempotencyKeyClaimed';

/** The execution an idempotency key points to, and the stream revision of that claim. */
export interface IdempotencyClaim {
  readonly executionId: string;
  readonly revision: bigint;
}

/** Stream holding the claims of one key of one workflow (hashed: keys are free text). */
export const idempotencyStream = (workflowName: string, key: string): string =>
  `idempotency-${workflowName}-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

/**
 * Claims idempotency keys atomically with the event store's optimistic concurrency: the first
 * start appends to a fresh stream (`no_stream`), a later one finds the claim.
 */
@Injectable()
export class IdempotencyService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Claims the key for `executionId`; returns the existing claim instead when there is one. */
  async claim(workflowName: string, key: string, executionId: string, cause: { actor: string; causationId: string }): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyClaim }> {
    try {
      await this.append(workflowName, key, executionId, 'no_stream', cause);
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof StreamRevisionConflictError)) throw error;
      return { claimed: false, existing: await this.current(workflowName, key) };
    }
  }

  /** Moves the key to a new execution, if nobody else moved it since `revision`. */
  async reclaim(workflowName: string, key: string, executionId: string, revision: bigint, cause: { actor: string; causationId: string }): Promise<boolean> {
    try {
      await this.append(workflowName, key, executionId, revision, cause);
      return true;
    } catch (error) {
      if (error instanceof StreamRevisionConflictError) return false;
      throw error;
    }
  }

  /** The execution the key points to, if it was ever claimed. */
  async find(workflowName: string, key: string): Promise<IdempotencyClaim | undefined> {
    try {
      return await this.current(workflowName, key);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  private async current(workflowName: string, key: string): Promise<IdempotencyClaim> {
    const [last] = await this.store.readStream(idempotencyStream(workflowName, key), { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
    return { executionId: (last!.data as { executionId: string }).executionId, revision: last!.revision };
  }

  private append(workflowName: string, key: string, executionId: string, expectedRevision: bigint | 'no_stream', cause: { actor: string; causationId: string }) {
    return appendChained(
      this.store,
      idempotencyStream(workflowName, key),
      [{ id: randomUUID(), type: IDEMPOTENCY_KEY_CLAIMED, data: { workflowName, idempotencyKey: key, executionId }, metadata: { ...cause, correlationId: executionId, schemaVersion: EVENT_SCHEMA_VERSION } }],
      { expectedRevision },
    );
  }
}
