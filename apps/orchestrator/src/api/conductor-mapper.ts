import { workflowTaskOf, tasksInOrder, type ExecutionState, type TaskState } from '@app/domain';

/** Conductor's Task JSON for one attempt. */
export function toConductorTask(state: ExecutionState, task: TaskState): Record<string, unknown> {
  const workflowTask = workflowTaskOf(state, task.taskRefName);
  const taskDef = state.taskDefs[task.taskDefName];
  return {
    taskId: task.taskId,
    // Conductor reports a worker task's type as its task definition name.
    taskType: task.taskType === 'SIMPLE' ? task.taskDefName : task.taskType,
    taskDefName: task.taskDefName,
    referenceTaskName: task.taskRefName,
    status: task.status,
    inputData: task.input,
    outputData: task.output,
    retryCount: task.attempt - 1,
    seq: task.seq,
    scheduledTime: task.scheduledAt,
    startTime: task.startedAt ?? 0,
    endTime: task.endedAt ?? 0,
    updateTime: task.updatedAt,
    workerId: task.workerId,
    reasonForIncompletion: task.reason,
    retried: task.retried,
    executed: task.status !== 'SCHEDULED' && task.status !== 'IN_PROGRESS',
    retriedTaskId: task.retriedTaskId,
    workflowInstanceId: state.executionId,
    workflowType: state.definition?.name,
    correlationId: state.correlationId,
    responseTimeoutSeconds: taskDef?.responseTimeoutSeconds,
    logs: task.logs,
    workflowTask,
  };
}

/** Conductor's Workflow JSON for an execution. */
export function toConductorWorkflow(state: ExecutionState, includeTasks: boolean): Record<string, unknown> {
  const tasks = tasksInOrder(state);
  return {
    workflowId: state.executionId,
    workflowName: state.definition?.name,
    workflowVersion: state.definition?.version ?? 1,
    status: state.status,
    input: state.input,
    output: state.output,
    variables: state.variables,
    correlationId: state.correlationId,
    idempotencyKey: state.idempotencyKey,
    priority: state.priority ?? 0,
    reasonForIncompletion: state.reason,
    failedReferenceTaskNames: tasks.filter((t) => t.status === 'FAILED' || t.status === 'FAILED_WITH_TERMINAL_ERROR' || t.status === 'TIMED_OUT').map((t) => t.taskRefName),
    failedTaskNames: state.failedTaskRefName ? [state.failedTaskRefName] : [],
    parentWorkflowId: state.parent?.executionId,
    parentWorkflowTaskId: state.parent?.taskId,
    createTime: state.createdAt,
    startTime: state.createdAt,
    updateTime: state.updatedAt,
    endTime: state.endedAt ?? 0,
    // Conductor's Workflow carries the definition it runs: here the snapshot taken at start.
    workflowDefinition: state.definition,
    ...(includeTasks ? { tasks: tasks.map((task) => toConductorTask(state, task)) } : {}),
  };
}
