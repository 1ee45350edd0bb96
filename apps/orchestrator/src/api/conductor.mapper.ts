import { isTerminalTask, workflowTaskOf, tasksInOrder, type ExecutionState, type TaskState, type WorkflowTask } from '@app/domain';

/**
 * Task fields the engine may carry (Conductor's poll count, callback delay); absent on histories
 * recorded before it did, so they default as Conductor's would.
 */
type TaskWithCounters = TaskState & { readonly pollCount?: number; readonly callbackAfterSeconds?: number; readonly domain?: string };

/**
 * Conductor's `taskType` and `taskDefName` for an attempt (its `TaskMapper`s): a worker task is
 * reported by its definition name, forks as `FORK`, a DECISION as `DECISION` (Baton runs it as a
 * SWITCH), the built-in operators under their type.
 */
function conductorTypes(task: TaskState, workflowTask: WorkflowTask | undefined): { taskType: string; taskDefName: string } {
  const declared = workflowTask?.type ?? task.taskType;
  switch (declared) {
    case 'SIMPLE':
      return { taskType: task.taskDefName, taskDefName: task.taskDefName };
    case 'FORK_JOIN':
    case 'FORK_JOIN_DYNAMIC':
      return { taskType: 'FORK', taskDefName: 'FORK' };
    case 'DECISION':
    case 'SWITCH':
    case 'JOIN':
    case 'EXCLUSIVE_JOIN':
      return { taskType: declared, taskDefName: declared };
    default:
      return { taskType: task.taskType === 'SIMPLE' ? task.taskDefName : task.taskType, taskDefName: task.taskDefName };
  }
}

/** Conductor's Task JSON for one attempt (`common/metadata/tasks/Task.java`; absent values omitted). */
export function toConductorTask(state: ExecutionState, task: TaskState): Record<string, unknown> {
  const workflowTask = workflowTaskOf(state, task.taskRefName);
  const taskDef = state.taskDefs[task.taskDefName];
  const counters = task as TaskWithCounters;
  const started = task.startedAt !== undefined;
  return {
    taskId: task.taskId,
    ...conductorTypes(task, workflowTask),
    referenceTaskName: task.taskRefName,
    status: task.status,
    inputData: task.input,
    outputData: task.output,
    retryCount: task.attempt - 1,
    seq: task.seq,
    pollCount: counters.pollCount ?? (started ? 1 : 0),
    scheduledTime: task.scheduledAt,
    startTime: task.startedAt ?? 0,
    endTime: task.endedAt ?? 0,
    updateTime: task.updatedAt,
    // Conductor's computed queueWaitTime: from scheduling to the first hand-over.
    queueWaitTime: started ? Math.max(0, task.startedAt! - task.scheduledAt) : 0,
    startDelayInSeconds: 0,
    callbackAfterSeconds: counters.callbackAfterSeconds ?? 0,
    callbackFromWorker: true,
    workerId: task.workerId,
    reasonForIncompletion: task.reason,
    retried: task.retried,
    executed: isTerminalTask(task.status),
    retriedTaskId: task.retriedTaskId,
    workflowInstanceId: state.executionId,
    workflowType: state.definition?.name,
    correlationId: state.correlationId,
    workflowPriority: state.priority ?? 0,
    responseTimeoutSeconds: taskDef?.responseTimeoutSeconds,
    rateLimitPerFrequency: taskDef?.rateLimitPerFrequency ?? 0,
    rateLimitFrequencyInSeconds: taskDef?.rateLimitFrequencyInSeconds ?? 0,
    domain: counters.domain,
    iteration: task.iteration ?? 0,
    loopOverTask: (task.iteration ?? 0) > 0,
    subWorkflowId: typeof task.output.subWorkflowId === 'string' ? task.output.subWorkflowId : undefined,
    logs: task.logs,
    workflowTask,
    taskDefinition: workflowTask?.taskDefinition,
  };
}

/** Conductor's Workflow JSON for an execution (`common/run/Workflow.java`; absent values omitted, `tasks: []` without tasks). */
export function toConductorWorkflow(state: ExecutionState, includeTasks: boolean): Record<string, unknown> {
  const tasks = tasksInOrder(state);
  const failed = tasks.filter((t) => t.status === 'FAILED' || t.status === 'FAILED_WITH_TERMINAL_ERROR' || t.status === 'TIMED_OUT');
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
    failedReferenceTaskNames: [...new Set(failed.map((t) => t.taskRefName))],
    // Conductor lists the definition names of the failed tasks here.
    failedTaskNames: [...new Set(failed.map((t) => t.taskDefName))],
    parentWorkflowId: state.parent?.executionId,
    parentWorkflowTaskId: state.parent?.taskId,
    ownerApp: state.definition?.ownerApp,
    createTime: state.createdAt,
    startTime: state.createdAt,
    updateTime: state.updatedAt,
    endTime: state.endedAt ?? 0,
    taskToDomain: (state as ExecutionState & { taskToDomain?: Readonly<Record<string, string>> }).taskToDomain ?? {},
    workflowDefinition: state.definition,
    tasks: includeTasks ? tasks.map((task) => toConductorTask(state, task)) : [],
  };
}
