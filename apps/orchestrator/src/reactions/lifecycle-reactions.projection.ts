import { Inject, Injectable, Logger } from '@nestjs/common';
import { EXECUTION_STREAM_PREFIX, TERMINAL_EVENT_TYPES, executionEventRef, failureWorkflowOf, executionIdOfStream, type ExecutionEvent, type ExecutionState } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { JetStreamPublisher, executionSubject } from '@app/messaging';
import type { Projection } from '@app/projections';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { CLOCK, type Clock } from '../executions/clock';
import { ExecutionRepository } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';
import { WorkflowDefinitionNotFoundError } from '../executions/orchestrator.errors';
import { EventTaskReactions } from './event-task-reactions.service';
import { SubWorkflowReactions } from './sub-workflow-reactions.service';
import { StartWorkflowReactions } from './start-workflow-reactions.service';

const STATUS_BY_END: Partial<Record<ExecutionEvent['type'], string>> = {
  ExecutionCompleted: 'COMPLETED',
  ExecutionFailed: 'FAILED',
  ExecutionTerminated: 'TERMINATED',
  ExecutionTimedOut: 'TIMED_OUT',
};

/**
 * What follows from an execution's lifecycle (SUB_WORKFLOW children starting, ends), driven by the log (a projection with no tables, run in
 * the read-model transaction): the `baton.execution.<status>` notification, and for FAILED or
 * TIMED_OUT executions with a `failureWorkflow`, the compensating execution. The batch only
 * commits after both happened, so a crash cannot lose them; both are idempotent (Nats-Msg-Id,
 * idempotency key), so replicas and redeliveries do not double them. A read model resuming from
 * its checkpoint reacts to everything after it, however long the orchestrator was down; one
 * rebuilt from scratch only to events younger than the reaction window (older ones were reacted
 * to when they happened).
 */
@Injectable()
export class LifecycleReactions implements Projection {
  readonly name = 'lifecycle-reactions';
  readonly streamNamePrefixes = [EXECUTION_STREAM_PREFIX];
  private readonly logger = new Logger(LifecycleReactions.name);
  /** Resuming from a checkpoint: every event after it is new, however old (a long outage). */
  private resumed = false;

  constructor(
    @Inject(JetStreamPublisher) private readonly publisher: JetStreamPublisher,
    private readonly repository: ExecutionRepository,
    private readonly executions: ExecutionService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
    private readonly subWorkflows: SubWorkflowReactions,
    private readonly eventTasks: EventTaskReactions,
    private readonly startWorkflows: StartWorkflowReactions,
  ) {}

  /** Called before the read model starts: whether it resumes from a checkpoint (then no window applies). */
  reactToAllAfterCheckpoint(resumed: boolean): void {
    this.resumed = resumed;
  }

  async applyBatch(_trx: unknown, events: readonly RecordedEvent[]): Promise<void> {
    const horizon = this.resumed ? Number.NEGATIVE_INFINITY : this.clock.now() - this.config.reactionWindowMs;
    const recent = events.filter((event) => event.created.getTime() >= horizon);
    const childStarts = recent.filter((event) => event.type === 'TaskScheduled' && (event.data as { taskType?: string }).taskType === 'SUB_WORKFLOW');
    await Promise.all(childStarts.map((event) => this.subWorkflows.startChild(executionIdOfStream(event.streamName)!, event)));
    const eventTasks = recent.filter((event) => event.type === 'TaskScheduled' && (event.data as { taskType?: string }).taskType === 'EVENT');
    await Promise.all(eventTasks.map((event) => this.eventTasks.publish(executionIdOfStream(event.streamName)!, event)));
    const workflowStarts = recent.filter((event) => event.type === 'TaskScheduled' && (event.data as { taskType?: string }).taskType === 'START_WORKFLOW');
    await Promise.all(workflowStarts.map((event) => this.startWorkflows.start(executionIdOfStream(event.streamName)!, event)));
    const ends = recent.filter((event) => TERMINAL_EVENT_TYPES.has(event.type as ExecutionEvent['type']));
    await Promise.all(ends.map((event) => this.react(event)));
  }

  private async react(event: RecordedEvent): Promise<void> {
    const executionId = executionIdOfStream(event.streamName)!;
    const status = STATUS_BY_END[event.type as ExecutionEvent['type']]!;
    const { state } = await this.repository.loadAtLeast(executionId, event.revision);
    const data = event.data as { output?: Record<string, unknown>; reason?: string; failedTaskRefName?: string; failedTaskId?: string };
    await this.publisher.publish(
      executionSubject(status),
      {
        executionId,
        workflowName: state.definition?.name,
        workflowVersion: state.definition?.version ?? 1,
        status,
        correlationId: state.correlationId,
        output: data.output ?? {},
        reason: data.reason,
        endedAt: (event.data as { at?: number }).at,
      },
      // The revision tells a later end (after a retry or restart) from this one.
      { msgId: `${executionId}:${status}:${event.revision}` },
    );
    if (state.parent) await this.subWorkflows.childEnded(state, status, event.revision);
    await this.subWorkflows.parentEnded(state, status, event.revision);
    const failureWorkflow = state.definition ? failureWorkflowOf(state.definition, state.input) : undefined;
    if ((status === 'FAILED' || status === 'TIMED_OUT') && failureWorkflow) await this.compensate(executionId, state, status, data, failureWorkflow, event.revision);
  }

  private async compensate(
    executionId: string,
    state: ExecutionState,
    status: string,
    data: { reason?: string; failedTaskRefName?: string; failedTaskId?: string },
    failureWorkflow: string,
    revision: bigint,
  ): Promise<void> {
    const taskOutputs = Object.fromEntries(Object.entries(state.latestByRef).map(([ref, taskId]) => [ref, state.tasks[taskId]?.output ?? {}]));
    const failedTask = data.failedTaskId ? state.tasks[data.failedTaskId] : undefined;
    try {
      const { executionId: compensationId } = await this.executions.start(
        {
          name: failureWorkflow,
          correlationId: state.correlationId,
          idempotencyKey: `failure:${executionId}:${revision}`,
          idempotencyStrategy: 'RETURN_EXISTING',
          input: {
            workflowId: executionId,
            workflowType: state.definition?.name,
            workflowVersion: state.definition?.version ?? 1,
            failureStatus: status,
            reason: data.reason,
            failedTaskRefName: data.failedTaskRefName,
            failedTaskId: data.failedTaskId,
            failedTaskInput: failedTask?.input ?? {},
            input: state.input,
            taskOutputs,
          },
        },
        { causationId: executionEventRef(executionId, revision), actor: 'orchestrator:failure-workflow', correlationId: state.correlationId ?? executionId },
      );
      this.logger.log(`execution ${executionId} ${status}: started failure workflow ${failureWorkflow} as ${compensationId}`);
    } catch (error) {
      // A missing definition will not appear by retrying this batch: report it and move on.
      if (error instanceof WorkflowDefinitionNotFoundError) this.logger.error(`execution ${executionId} ${status}: failure workflow ${failureWorkflow} is not registered`);
      else throw error;
    }
  }
}
