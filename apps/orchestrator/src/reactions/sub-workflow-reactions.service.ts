import { Injectable, Logger } from '@nestjs/common';
import { executionEventRef, workflowTaskOf, type ExecutionState } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { ExecutionRepository } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';
import { WorkflowDefinitionNotFoundError } from '../executions/orchestrator.errors';

/**
 * SUB_WORKFLOW tasks, driven by the log like the other lifecycle reactions: a scheduled
 * SUB_WORKFLOW starts its child (idempotently, keyed by the task id) and records the child's id
 * on the task; a child's end becomes its parent task's result; a parent that ends while a child
 * runs terminates the child.
 */
@Injectable()
export class SubWorkflowReactions {
  private readonly logger = new Logger(SubWorkflowReactions.name);

  constructor(
    private readonly repository: ExecutionRepository,
    private readonly executions: ExecutionService,
  ) {}

  /** A SUB_WORKFLOW task was scheduled in `parentId`: start its child. */
  async startChild(parentId: string, event: RecordedEvent): Promise<void> {
    const scheduled = event.data as { taskId: string; taskRefName: string; input: Record<string, unknown> };
    const { state } = await this.repository.loadAtLeast(parentId, event.revision);
    const param = workflowTaskOf(state, scheduled.taskRefName)?.subWorkflowParam;
    const cause = { causationId: executionEventRef(parentId, event.revision), actor: 'orchestrator:sub-workflow', correlationId: state.correlationId ?? parentId };
    if (!param) return;
    try {
      const { executionId } = await this.executions.start(
        {
          name: param.name,
          ...(param.version !== undefined ? { version: param.version } : {}),
          input: scheduled.input,
          correlationId: state.correlationId,
          idempotencyKey: `subworkflow:${scheduled.taskId}`,
          idempotencyStrategy: 'RETURN_EXISTING',
          parent: { executionId: parentId, taskId: scheduled.taskId },
        },
        cause,
      );
      await this.executions.command(parentId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'IN_PROGRESS', output: { subWorkflowId: executionId }, workerId: 'baton' }, cause);
    } catch (error) {
      if (!(error instanceof WorkflowDefinitionNotFoundError)) throw error;
      await this.executions.command(parentId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'FAILED_WITH_TERMINAL_ERROR', reason: error.message, workerId: 'baton' }, cause);
    }
  }

  /** A child ended: its end is its parent task's result. */
  async childEnded(child: ExecutionState, status: string, revision: bigint): Promise<void> {
    const parent = child.parent;
    if (!parent) return;
    const cause = { causationId: executionEventRef(child.executionId, revision), actor: 'orchestrator:sub-workflow', correlationId: child.correlationId ?? parent.executionId };
    const outcome = await this.executions.command(
      parent.executionId,
      status === 'COMPLETED'
        ? { type: 'ApplyTaskResult', taskId: parent.taskId, status: 'COMPLETED', output: { ...child.output, subWorkflowId: child.executionId }, workerId: 'baton' }
        : { type: 'ApplyTaskResult', taskId: parent.taskId, status: 'FAILED', output: { subWorkflowId: child.executionId }, reason: `sub workflow ${child.executionId} ended ${status}: ${child.reason ?? ''}`, workerId: 'baton' },
      cause,
    );
    if (outcome.decision.ignored && outcome.decision.ignored.code !== 'DUPLICATE_RESULT' && outcome.decision.ignored.code !== 'TASK_NOT_PENDING') {
      this.logger.warn(`child ${child.executionId} ended ${status}; its parent ${parent.executionId} did not take it: ${outcome.decision.ignored.reason}`);
    }
  }

  /** A parent ended while children ran: they are terminated too. */
  async parentEnded(parent: ExecutionState, status: string, revision: bigint): Promise<void> {
    const children = Object.values(parent.tasks).filter((task) => task.taskType === 'SUB_WORKFLOW' && task.status === 'CANCELED' && typeof task.output['subWorkflowId'] === 'string');
    for (const task of children) {
      const childId = task.output['subWorkflowId'] as string;
      await this.executions.command(childId, { type: 'TerminateExecution', reason: `parent ${parent.executionId} ended ${status}` }, {
        causationId: executionEventRef(parent.executionId, revision),
        actor: 'orchestrator:sub-workflow',
        correlationId: parent.correlationId ?? parent.executionId,
      });
    }
  }
}
