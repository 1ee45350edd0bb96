import { SUPPORTED_TASK_TYPES, childTaskLists, taskTypeOf, type WorkflowTask } from '../definitions/workflow-def';
import { DefinitionIndex } from '../definitions/definition-index';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/** Task types a dynamic branch may be (one task each, nothing nested: the definition cannot navigate into it). */
const BRANCH_TYPES: ReadonlySet<string> = new Set(SUPPORTED_TASK_TYPES.filter((type) => !['SWITCH', 'DECISION', 'FORK_JOIN', 'FORK_JOIN_DYNAMIC', 'JOIN', 'DO_WHILE'].includes(type)));

/**
 * FORK_JOIN_DYNAMIC (Conductor's dynamic fork): the branches come from an input parameter at run
 * time — a list of tasks (`dynamicForkTasksParam`, default `dynamicTasks`) with their inputs by
 * reference name (`dynamicForkTasksInputParamName`, default `dynamicTasksInput`). Each becomes
 * a one-task branch (recorded as DynamicTasksForked); the JOIN that follows waits on all of them.
 */
export class ForkJoinDynamicPlanner implements TaskPlanner {
  readonly taskTypes = ['FORK_JOIN_DYNAMIC'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const input = flow.resolveInput(task);
    const taskId = flow.emitScheduled(task, input, attempt);
    const { now, state } = flow.builder;
    const listed = input[task.dynamicForkTasksParam ?? 'dynamicTasks'];
    const inputs = input[task.dynamicForkTasksInputParamName ?? 'dynamicTasksInput'];
    const problem = problemWith(listed, inputs, DefinitionIndex.of(flow.builder.started.definition), state.dynamicTasks);
    if (problem) {
      flow.builder.emit({ type: 'TaskFailed', data: { taskId, reason: `dynamic fork ${task.taskReferenceName}: ${problem}`, terminal: true, at: now } });
      flow.failed(taskId);
      return;
    }
    const byRef = (inputs ?? {}) as Record<string, Record<string, unknown>>;
    const tasks = (listed as WorkflowTask[]).map((branch) => ({ ...branch, inputParameters: byRef[branch.taskReferenceName] ?? branch.inputParameters ?? {} }));
    flow.builder.emit({ type: 'DynamicTasksForked', data: { taskId, forkRef: task.taskReferenceName, tasks, at: now } });
    flow.builder.emit({ type: 'TaskCompleted', data: { taskId, output: { forkedTasks: tasks.map((branch) => branch.taskReferenceName) }, at: now } });
    for (const branch of tasks) flow.schedule(branch);
    flow.succeeded(task.taskReferenceName);
  }
}

function problemWith(listed: unknown, inputs: unknown, index: DefinitionIndex, existing: Readonly<Record<string, unknown>>): string | undefined {
  if (!Array.isArray(listed)) return 'the dynamic tasks input must be a list of tasks';
  if (inputs !== undefined && inputs !== null && (typeof inputs !== 'object' || Array.isArray(inputs))) return 'the dynamic tasks input map must be an object keyed by reference name';
  const seen = new Set<string>();
  for (const [i, branch] of listed.entries()) {
    if (typeof branch !== 'object' || branch === null) return `task ${i} is not an object`;
    const { name, taskReferenceName: ref } = branch as WorkflowTask;
    if (typeof name !== 'string' || name === '' || typeof ref !== 'string' || ref === '') return `task ${i} needs a name and a taskReferenceName`;
    if (seen.has(ref) || index.find(ref) || ref in existing) return `reference name ${ref} is already used`;
    seen.add(ref);
    const type = taskTypeOf(branch as WorkflowTask);
    if (!BRANCH_TYPES.has(type) || childTaskLists(branch as WorkflowTask).length > 0) return `task ${ref} has type ${type}; a dynamic branch is one task of type ${[...BRANCH_TYPES].join(', ')}`;
  }
  return undefined;
}
