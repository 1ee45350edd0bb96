import { Inject, Injectable, Logger } from '@nestjs/common';
import { executionEventRef, isTerminalExecution, isTerminalTask, nestingDepthOf, workflowTaskOf, type ExecutionState, type TaskScheduled } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import type { CauseMetadata } from '../executions/execution.repository';
import { ExecutionRepository } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';
import { WorkflowDefinitionNotFoundError } from '../executions/orchestrator.errors';

/**
 * SUB_WORKFLOW tasks, driven by the log like the other lifecycle reactions: a scheduled
 * SUB_WORKFLOW starts its child (idempotently, keyed by the task id) and records the child's id
 * on the task; a child's end becomes its parent task's result; a parent that ends while a child
 * runs terminates the child, whose own end terminates its children in turn, down to the last
 * descendant. Children nest at most `BATON_MAX_SUBWORKFLOW_DEPTH` deep (the depth is recorded in
 * each child's ExecutionStarted).
 */
@Injectable()
export class SubWorkflowReactions {
  private readonly logger = new Logger(SubWorkflowReactions.name);

  constructor(
    private readonly repository: ExecutionRepository,
    private readonly executions: ExecutionService,
    @Inject(BATON_CONFIG) private readonly config: Pick<BatonConfig, 'maxSubWorkflowDepth'>,
  ) {}

  /** A SUB_WORKFLOW task was scheduled in `parentId`: start its child. */
  async startChild(parentId: string, event: RecordedEvent): Promise<void> {
    const scheduled = event.data as TaskScheduled['data'];
    const { state } = await this.repository.loadAtLeast(parentId, event.revision);
    const param = workflowTaskOf(state, scheduled.taskRefName)?.subWorkflowParam;
    const cause = { causationId: executionEventRef(parentId, event.revision), actor: 'orchestrator:sub-workflow', correlationId: state.correlationId ?? parentId };
    // Expressions and inline definitions were resolved when the task was scheduled; a literal param is used as written.
    const child = scheduled.subWorkflow ?? (typeof param?.name === 'string' ? { name: param.name, ...(typeof param.version === 'number' ? { version: param.version } : {}) } : undefined);
    if (!child) return;
    const idempotencyKey = `subworkflow:${scheduled.taskId}`;
    const task = state.tasks[scheduled.taskId];
    if (!task || isTerminalTask(task.status) || isTerminalExecution(state.status)) {
      // The parent moved on (it was terminated, timed out…) before this reaction ran: no child is
      // started now, and one started before a crash, never recorded on the task, is ended.
      const started = await this.executions.startedWith(child.name, idempotencyKey);
      if (started) await this.terminateOrphan(started, state, scheduled.taskId, cause);
      return;
    }
    const depth = nestingDepthOf(state) + 1;
    if (depth > this.config.maxSubWorkflowDepth) {
      const reason = `sub workflow ${child.name} not started: it would be nested ${depth} levels deep, more than BATON_MAX_SUBWORKFLOW_DEPTH (${this.config.maxSubWorkflowDepth})`;
      await this.executions.command(parentId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'FAILED_WITH_TERMINAL_ERROR', reason, workerId: 'baton' }, cause);
      return;
    }
    try {
      const { executionId } = await this.executions.start(
        {
          name: child.name,
          ...(child.version !== undefined ? { version: child.version } : {}),
          ...(child.definition ? { definition: { ...child.definition, version: child.definition.version ?? 1, schemaVersion: 2 } } : {}),
          input: scheduled.input as Record<string, unknown>,
          correlationId: state.correlationId,
          idempotencyKey,
          idempotencyStrategy: 'RETURN_EXISTING',
          parent: { executionId: parentId, taskId: scheduled.taskId, depth },
        },
        cause,
      );
      const recorded = await this.executions.command(parentId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'IN_PROGRESS', output: { subWorkflowId: executionId }, workerId: 'baton' }, cause);
      // The parent ended between loading it and starting the child: its end found no child to terminate.
      const code = recorded.decision.ignored?.code;
      if (code === 'TASK_NOT_PENDING' || code === 'EXECUTION_ENDED') await this.terminateOrphan(executionId, recorded.state, scheduled.taskId, cause);
    } catch (error) {
      if (!(error instanceof WorkflowDefinitionNotFoundError)) throw error;
      await this.executions.command(parentId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'FAILED_WITH_TERMINAL_ERROR', reason: error.message, workerId: 'baton' }, cause);
    }
  }

  /** Ends a child its parent no longer waits for (terminating an ended one changes nothing). */
  private async terminateOrphan(childId: string, parent: ExecutionState, taskId: string, cause: CauseMetadata): Promise<void> {
    const reason = `parent ${parent.executionId} (${parent.status}) no longer waits for it: its task ${taskId} is ${parent.tasks[taskId]?.status ?? 'gone'}`;
    const outcome = await this.executions.command(childId, { type: 'TerminateExecution', reason }, cause);
    if (!outcome.decision.ignored) this.logger.log(`terminated ${childId}: ${reason}`);
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
