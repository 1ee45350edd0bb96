import type { WaitOutcome } from '../executions/execution-waiter';
import { RequestValidationError } from './api-exception.filter';
import { toConductorTask, toConductorWorkflow } from './conductor.mapper';

/** What a synchronous call answers with (Conductor's `returnStrategy`). */
export const RETURN_STRATEGIES = ['TARGET_WORKFLOW', 'BLOCKING_WORKFLOW', 'BLOCKING_TASK', 'BLOCKING_TASK_INPUT'] as const;
export type ReturnStrategy = (typeof RETURN_STRATEGIES)[number];

export function returnStrategyOf(raw: unknown): ReturnStrategy {
  if (raw === undefined || raw === '') return 'TARGET_WORKFLOW';
  if (typeof raw === 'string' && (RETURN_STRATEGIES as readonly string[]).includes(raw)) return raw as ReturnStrategy;
  throw new RequestValidationError([{ path: 'returnStrategy', message: `returnStrategy must be one of ${RETURN_STRATEGIES.join(', ')}` }]);
}

/**
 * Conductor's WorkflowRun / SignalResponse: the workflow (with its tasks) after the wait, or — for
 * the BLOCKING_TASK strategies — the task it now waits on. `signalTimeout` is true when the wait
 * ran out first (still HTTP 200, as Conductor). Baton has no sub-workflow hand-off here: the
 * target and the blocking workflow are the same execution.
 */
export function workflowRunView(outcome: WaitOutcome, strategy: ReturnStrategy, requestId?: string): Record<string, unknown> {
  const { state, blockingTask } = outcome;
  const target = { targetWorkflowId: state.executionId, targetWorkflowStatus: state.status, ...(requestId ? { requestId } : {}), ...(outcome.timedOut ? { signalTimeout: true } : {}) };
  if ((strategy === 'BLOCKING_TASK' || strategy === 'BLOCKING_TASK_INPUT') && blockingTask) {
    const task = toConductorTask(state, blockingTask);
    return { responseType: strategy, ...target, ...(strategy === 'BLOCKING_TASK_INPUT' ? { taskId: task.taskId, referenceTaskName: task.referenceTaskName, taskType: task.taskType, inputData: task.inputData } : task) };
  }
  const workflow = toConductorWorkflow(state, true);
  return {
    responseType: strategy === 'BLOCKING_WORKFLOW' ? 'BLOCKING_WORKFLOW' : 'TARGET_WORKFLOW',
    ...target,
    workflowId: workflow.workflowId,
    correlationId: workflow.correlationId,
    input: workflow.input,
    output: workflow.output,
    priority: workflow.priority,
    variables: workflow.variables,
    tasks: workflow.tasks,
    createTime: workflow.createTime,
    updateTime: workflow.updateTime,
    status: workflow.status,
  };
}
