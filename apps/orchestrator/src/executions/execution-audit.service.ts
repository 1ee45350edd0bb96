import { Injectable } from '@nestjs/common';
import { findHistoryInconsistency, initialState, replay, toExecutionEvents, type ExecutionState, type HistoryInconsistency } from '@app/domain';
import { verifyChain, type ChainVerification, type RecordedEvent } from '@app/event-store';
import { ExecutionService } from './execution.service';

/** A point in an execution's history: after a revision, or as it was at a time (the store's `created`). */
export type HistoryPoint = { readonly revision: bigint } | { readonly time: number };

/** An execution replayed up to a point of its history. */
export interface StateAtPoint {
  readonly state: ExecutionState;
  /** The last event folded, if any. */
  readonly last: RecordedEvent | undefined;
  readonly eventCount: number;
  readonly totalEvents: number;
}

/** Audits of stored histories: time travel by replay, and verification of the hash chain. */
@Injectable()
export class ExecutionAuditService {
  constructor(private readonly executions: ExecutionService) {}

  /** The state after the events up to `point` (all of them without one); throws when there is no such execution. */
  async stateAt(executionId: string, point?: HistoryPoint): Promise<StateAtPoint> {
    const history = await this.executions.history(executionId);
    const upTo = point === undefined ? history : history.filter((event) => ('revision' in point ? event.revision <= point.revision : event.created.getTime() <= point.time));
    return { state: replay(toExecutionEvents(upTo), initialState(executionId)), last: upTo[upTo.length - 1], eventCount: upTo.length, totalEvents: history.length };
  }

  /**
   * Recomputes the history's hash chain (an altered, dropped or moved event) and checks that its
   * events are a sequence the decider can produce (a history rewritten with a new chain); throws
   * when there is no such execution.
   */
  async verify(executionId: string): Promise<{ readonly verification: ChainVerification; readonly inconsistency: HistoryInconsistency | undefined; readonly events: number }> {
    const history = await this.executions.history(executionId);
    return { verification: verifyChain(history), inconsistency: findHistoryInconsistency(toExecutionEvents(history), executionId), events: history.length };
  }
}
