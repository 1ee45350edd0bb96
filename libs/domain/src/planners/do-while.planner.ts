import type { WorkflowTask } from '../definitions/workflow-def';
import type { TaskState } from '../execution/execution-state';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * DO_WHILE: runs its `loopOver` body, then checks `loopCondition` after each iteration
 * (see the execution flow's loop handling); in progress until the condition is false. Over a
 * list (`items`), the body runs once per element (`loopItem`, `loopIndex` in the loop's output)
 * and an empty list completes the loop at once, as Conductor's list iteration does.
 */
export class DoWhilePlanner implements TaskPlanner {
  readonly taskTypes = ['DO_WHILE'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const resolved = flow.resolveInput(task);
    const input = task.items !== undefined ? { ...resolved, items: flow.resolveValue(task.items) } : resolved;
    const taskId = flow.emitScheduled(task, input, attempt);
    const { now } = flow.builder;
    const items = isListLoop(task) ? listOf(input) : undefined;
    if (items === 'invalid') {
      flow.builder.emit({ type: 'TaskFailed', data: { taskId, reason: `DO_WHILE ${task.taskReferenceName}: items must be a list, got ${JSON.stringify(input['items'])}`, terminal: true, at: now } });
      flow.failed(taskId);
      return;
    }
    if (items?.length === 0) {
      flow.builder.emit({ type: 'TaskCompleted', data: { taskId, output: { iteration: 0 }, at: now } });
      flow.succeeded(task.taskReferenceName);
      return;
    }
    flow.builder.emit({ type: 'LoopIterationStarted', data: { taskId, iteration: 1, ...(items ? { loopItem: items[0], loopIndex: 0 } : {}), at: now } });
    const first = task.loopOver?.[0];
    if (first) flow.schedule(first);
  }
}

/**
 * A DO_WHILE over a list: `items` at the top level, or in `inputParameters` when there is no
 * `loopCondition` (a loop with a condition may read an input named `items` for its own use).
 */
export function isListLoop(task: WorkflowTask): boolean {
  return task.items !== undefined || ((task.loopCondition === undefined || task.loopCondition.trim() === '') && 'items' in (task.inputParameters ?? {}));
}

/** The resolved `items` of a list loop's input: the list, or 'invalid' when it is not one. */
function listOf(input: Readonly<Record<string, unknown>>): readonly unknown[] | 'invalid' {
  const items = input['items'];
  return Array.isArray(items) ? items : 'invalid';
}

/** The list a scheduled list loop iterates over (undefined for a loop driven by its condition). */
export function loopItemsOf(task: WorkflowTask, loop: TaskState): readonly unknown[] | undefined {
  if (!isListLoop(task)) return undefined;
  const items = listOf(loop.input);
  return items === 'invalid' ? undefined : items;
}
