import { Injectable, Logger } from '@nestjs/common';
import { assertNever, BatonError, evaluateCondition, isBatonError, type ErrorCode } from '@app/domain';
import { ExecutionService } from '../executions/execution.service';
import { ExecutionNotFoundError } from '../executions/orchestrator.errors';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { EventStoreAvailability } from '../store/event-store-availability.service';
import { resolveEventActions, type ResolvedEventAction } from './event-action-resolver';
import { DEFAULT_EVALUATOR_TYPE, type EventHandlerDef } from './event-handler-def';
import { EventHandlerRegistry } from './event-handler-registry.service';
import { EventActionsFailedError } from './event-handler.errors';
import type { EventMessage } from './event-message';

/** What became of one event at one handler. */
export type EventOutcome = 'skipped' | 'unmatched' | 'acted';

/** An action that can never apply, and why. */
interface ActionFailure {
  readonly index: number;
  readonly code: ErrorCode;
  readonly reason: string;
}

/**
 * Runs one event through one handler: the handler's `condition` on the payload, then each action
 * in order through the {@link ExecutionService}. Resolves only when every action's effect is
 * stored (the caller acks then), or when there is nothing to do (condition false, handler no
 * longer active). Throws a retryable error (store unreachable, revision race lost) for
 * redelivery, and a non-retryable one when the event can never be applied (a condition that fails
 * on this payload, an unknown execution or task, a missing workflow definition): the caller
 * dead-letters it with the reason. Actions that can apply are applied even when another of the
 * same event cannot; every action is idempotent, so a redelivery re-runs them safely.
 */
@Injectable()
export class EventHandlerProcessor {
  private readonly logger = new Logger('EventHandlers');

  constructor(
    private readonly registry: EventHandlerRegistry,
    private readonly executions: ExecutionService,
    private readonly metrics: OrchestratorMetrics,
    private readonly storeAvailability: EventStoreAvailability,
  ) {}

  /** `event` is the handler's event as the caller subscribed it: a handler changed since is skipped. */
  async process(name: string, event: string, payload: unknown, message: EventMessage): Promise<EventOutcome> {
    const handler = this.registry.get(name);
    if (!handler?.active || handler.event !== event) {
      // Deactivated, removed or moved to another subject a moment ago; the subscription is going away.
      this.count(name, 'skipped');
      return 'skipped';
    }
    this.count(name, 'received');
    if (!this.matches(handler, payload)) {
      this.count(name, 'unmatched');
      return 'unmatched';
    }
    this.count(name, 'matched');
    const failures: ActionFailure[] = [];
    try {
      for (const action of resolveEventActions(handler, payload, message)) {
        const failure = await this.run(handler, action, message);
        if (failure) failures.push(failure);
      }
    } catch (error) {
      this.storeAvailability.reportFailure(error);
      this.count(name, 'retried');
      throw error;
    }
    if (failures.length > 0) {
      this.count(name, 'failed');
      throw new EventActionsFailedError(name, failures);
    }
    this.count(name, 'acted');
    return 'acted';
  }

  /** The condition on the payload; one that throws on it (not a parse error: those are refused at registration) is final. */
  private matches(handler: EventHandlerDef, payload: unknown): boolean {
    try {
      return evaluateCondition(handler.condition, payload, { evaluatorType: handler.evaluatorType ?? DEFAULT_EVALUATOR_TYPE });
    } catch (error) {
      this.count(handler.name, 'failed');
      const reason = error instanceof Error ? error.message : String(error);
      throw new BatonError(isBatonError(error) ? error.code : 'EXPRESSION_ERROR', `event handler ${handler.name}: the condition failed on this payload: ${reason}`, { retryable: false });
    }
  }

  /** Applies one action; returns why it can never apply, or undefined when it did (or had before). Throws retryable errors. */
  private async run(handler: EventHandlerDef, action: ResolvedEventAction, message: EventMessage): Promise<ActionFailure | undefined> {
    const cause = { causationId: action.causationId, actor: `event-handler:${handler.name}` };
    switch (action.kind) {
      case 'unresolved':
        return { index: action.index, code: action.code, reason: action.reason };
      case 'start':
        try {
          const { executionId, created } = await this.executions.start(action.request, cause);
          this.logger.debug?.(`${handler.name}: ${created ? 'started' : 'already started'} ${action.request.name} as ${executionId} (${message.subject})`);
          return undefined;
        } catch (error) {
          if (isBatonError(error) && !error.retryable) return { index: action.index, code: error.code, reason: error.message };
          throw error;
        }
      case 'task': {
        // A redelivery of an event whose action was stored before (its ack was lost): the execution's
        // history names this action as a cause, and applying it again could hit a later attempt.
        if (message.deliveryCount > 1 && (await this.alreadyApplied(action.executionId, action.causationId))) return undefined;
        const outcome = await this.executions.command(action.executionId, action.command, cause);
        const ignored = outcome.decision.ignored;
        // The same status reached by an earlier delivery or another source: nothing left to do.
        if (!ignored || ignored.code === 'DUPLICATE_RESULT') return undefined;
        return { index: action.index, code: ignored.code, reason: ignored.reason };
      }
      default:
        return assertNever(action, 'resolved action');
    }
  }

  private async alreadyApplied(executionId: string, causationId: string): Promise<boolean> {
    try {
      return (await this.executions.history(executionId)).some((event) => event.metadata.causationId === causationId);
    } catch (error) {
      if (error instanceof ExecutionNotFoundError) return false;
      throw error;
    }
  }

  private count(handler: string, outcome: string): void {
    this.metrics.eventHandlerEvents.inc({ handler, outcome });
  }
}
