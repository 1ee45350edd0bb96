import { Injectable } from '@nestjs/common';
import { executionEventRef, isBatonError, startWorkflowProblem, startWorkflowRequestOf } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { ExecutionRepository } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';

/**
 * START_WORKFLOW tasks, driven by the log: a scheduled one starts its workflow — idempotently,
 * keyed by the task id, so a replayed reaction finds the same execution — and completes with
 * `{ workflowId }` at once. Unlike a SUB_WORKFLOW there is no parent link: nothing waits for the
 * started workflow's end (Conductor's fire-and-forget). A start that can never succeed (unknown
 * definition, invalid input) fails the task with the reason; a retryable one is thrown for the
 * projection to retry.
 */
@Injectable()
export class StartWorkflowReactions {
  constructor(
    private readonly repository: ExecutionRepository,
    private readonly executions: ExecutionService,
  ) {}

  async start(executionId: string, event: RecordedEvent): Promise<void> {
    const scheduled = event.data as { taskId: string; input: Record<string, unknown> };
    // The decider already failed a task whose input cannot start anything.
    if (startWorkflowProblem(scheduled.input) !== undefined) return;
    const { state } = await this.repository.loadAtLeast(executionId, event.revision);
    const cause = { causationId: executionEventRef(executionId, event.revision), actor: 'orchestrator:start-workflow', correlationId: state.correlationId ?? executionId };
    const request = startWorkflowRequestOf(scheduled.input, state.correlationId);
    let workflowId: string;
    try {
      ({ executionId: workflowId } = await this.executions.start({ ...request, idempotencyKey: `startworkflow:${scheduled.taskId}`, idempotencyStrategy: 'RETURN_EXISTING' }, cause));
    } catch (error) {
      if (!isBatonError(error) || error.retryable) throw error;
      await this.executions.command(executionId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'FAILED', reason: error.message, workerId: 'baton' }, cause);
      return;
    }
    await this.executions.command(executionId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'COMPLETED', output: { workflowId }, workerId: 'baton' }, cause);
  }
}
