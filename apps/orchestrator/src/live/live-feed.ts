import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { RecordedEvent } from '@app/event-store';
import { EXECUTION_STREAM_PREFIX, executionIdOfStream } from '@app/domain';
import type { Projection } from '@app/projections';

/** What changed in one execution in one committed batch of the read model. */
export interface ExecutionChange {
  readonly executionId: string;
  /** Revision of its last event in the batch (decimal text: revisions are 64-bit). */
  readonly revision: string;
  /** Event types of the batch, in order, without repeats. */
  readonly types: readonly string[];
  /** Set when the batch moved the execution to this status. */
  readonly status?: string;
  /** Set when the batch started the execution. */
  readonly workflowName?: string;
}

export type ChangeListener = (changes: readonly ExecutionChange[]) => void;

/** The status an event moves its execution to, when it moves it. */
const STATUS_AFTER: Readonly<Record<string, string>> = {
  ExecutionStarted: 'RUNNING',
  ExecutionResumed: 'RUNNING',
  ExecutionRetried: 'RUNNING',
  ExecutionRerun: 'RUNNING',
  ExecutionRestarted: 'RUNNING',
  ExecutionPaused: 'PAUSED',
  ExecutionCompleted: 'COMPLETED',
  ExecutionFailed: 'FAILED',
  ExecutionTerminated: 'TERMINATED',
  ExecutionTimedOut: 'TIMED_OUT',
};

/** Folds a batch of events into one change per execution, in the order they first appear. */
export function changesOf(events: readonly RecordedEvent[]): ExecutionChange[] {
  const byExecution = new Map<string, { revision: bigint; types: Set<string>; status?: string; workflowName?: string }>();
  for (const event of events) {
    const executionId = executionIdOfStream(event.streamName);
    if (executionId === undefined) continue;
    const change = byExecution.get(executionId) ?? { revision: event.revision, types: new Set<string>() };
    change.revision = event.revision;
    change.types.add(event.type);
    const status = STATUS_AFTER[event.type];
    if (status) change.status = status;
    if (event.type === 'ExecutionStarted') {
      const name = (event.data as { definition?: { name?: unknown } } | undefined)?.definition?.name;
      if (typeof name === 'string') change.workflowName = name;
    }
    byExecution.set(executionId, change);
  }
  return [...byExecution].map(([executionId, change]) => ({
    executionId,
    revision: change.revision.toString(),
    types: [...change.types],
    ...(change.status ? { status: change.status } : {}),
    ...(change.workflowName ? { workflowName: change.workflowName } : {}),
  }));
}

/**
 * The console's live feed. A part of the read-model projection, so it sees every execution event
 * of every replica, in log order; it tells its listeners only once a batch has committed, so a
 * client that reads the read model (search) or the store (an execution) on a change sees it.
 * Nothing is buffered for a listener: each gets what commits while it listens.
 */
@Injectable()
export class LiveFeed implements Projection, OnModuleDestroy {
  readonly name = 'live-feed';
  readonly streamNamePrefixes = [EXECUTION_STREAM_PREFIX];
  private readonly listeners = new Set<ChangeListener>();
  private readonly closers = new Set<() => void>();

  applyBatch(): Promise<void> {
    return Promise.resolve();
  }

  afterCommit(events: readonly RecordedEvent[]): void {
    if (this.listeners.size === 0) return;
    const changes = changesOf(events);
    if (changes.length === 0) return;
    for (const listener of this.listeners) listener(changes);
  }

  /**
   * Calls `listener` with every committed batch's changes until the returned function is called;
   * `onClose` runs if the feed closes first (shutdown).
   */
  listen(listener: ChangeListener, onClose: () => void): () => void {
    this.listeners.add(listener);
    this.closers.add(onClose);
    return () => {
      this.listeners.delete(listener);
      this.closers.delete(onClose);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Ends every stream before the HTTP server closes: an open event stream would hold the shutdown. */
  onModuleDestroy(): void {
    const closers = [...this.closers];
    this.listeners.clear();
    this.closers.clear();
    for (const close of closers) close();
  }
}
