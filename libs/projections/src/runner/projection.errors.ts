import { BatonError } from '@app/domain';
import type { Position } from '@app/event-store';
import { formatPosition } from './position';

declare module '@app/domain' {
  interface BatonErrorCodes {
    PROJECTION_WAIT_TIMEOUT: true;
    PROJECTION_STOPPED: true;
    PROJECTION_CHECKPOINT_CONFLICT: true;
  }
}

/** `waitForPosition` gave up: the projection had not applied that far in time. */
export class ProjectionWaitTimeoutError extends BatonError {
  constructor(projection: string, target: Position, applied: Position | undefined, timeoutMs: number) {
    super('PROJECTION_WAIT_TIMEOUT', `projection ${projection} did not reach ${formatPosition(target)} within ${timeoutMs} ms (at ${formatPosition(applied)})`, {
      retryable: true,
      details: { projection, target: formatPosition(target), applied: formatPosition(applied), timeoutMs },
    });
  }
}

/** The runner was stopped while someone waited on it. */
export class ProjectionStoppedError extends BatonError {
  constructor(projection: string) {
    super('PROJECTION_STOPPED', `projection ${projection} was stopped`, { retryable: true, details: { projection } });
  }
}

/** Another runner of the same projection moved the checkpoint first; this batch was rolled back. */
export class CheckpointConflictError extends BatonError {
  constructor(projection: string) {
    super('PROJECTION_CHECKPOINT_CONFLICT', 'the checkpoint was moved by another runner of this projection (a replica)', { retryable: true, details: { projection } });
  }
}
