import type { MappingContext } from '../expressions';
import type { ExecutionState } from './execution-state';

/**
 * The view of an execution that `${…}` expressions see: the workflow and the latest attempt of
 * each task — or only of `refs`, when the caller knows which tasks a template reads.
 */
export function mappingContextOf(state: ExecutionState, refs?: ReadonlySet<string>): MappingContext {
  const tasks: Record<string, MappingContext['tasks'][string]> = {};
  const wanted = refs ? [...refs].filter((ref) => ref in state.latestByRef).map((ref) => [ref, state.latestByRef[ref]!] as const) : Object.entries(state.latestByRef);
  for (const [ref, taskId] of wanted) {
    const task = state.tasks[taskId];
    if (!task) continue;
    tasks[ref] = {
      taskId: task.taskId,
      status: task.status,
      input: task.input as Record<string, unknown>,
      output: task.output as Record<string, unknown>,
      retryCount: task.attempt - 1,
      taskType: task.taskType,
      referenceTaskName: task.taskRefName,
      reasonForIncompletion: task.reason,
      workerId: task.workerId,
    };
  }
  return {
    workflow: {
      workflowId: state.executionId,
      correlationId: state.correlationId,
      workflowType: state.definition?.name ?? '',
      version: state.definition?.version ?? 1,
      input: state.input as Record<string, unknown>,
      output: state.output as Record<string, unknown>,
      variables: state.variables as Record<string, unknown>,
      status: state.status,
      createTime: state.createdAt,
    },
    tasks,
  };
}
