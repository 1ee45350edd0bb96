import { childTaskLists, defaultTaskDef, taskTypeOf, type TaskDef, type WorkflowDef, type WorkflowTask } from '../../definitions/workflow-def';
import { isInProcessTaskType } from '../../planners/in-process.planner';
import { DecisionBuilder } from '../decision-builder';
import { ignore, type DecideContext, type Decision } from '../decision';
import type { StartExecution } from '../execution-commands';
import { ExecutionFlow } from '../execution-flow';
import type { ExecutionState } from '../execution-state';

/** StartExecution: ExecutionStarted with the definition snapshot, then the first task. */
export function decideStart(command: StartExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status !== 'NOT_STARTED') return ignore('ALREADY_STARTED', `execution ${state.executionId} was already started`);
  const builder = new DecisionBuilder(state, now);
  builder.emit({
    type: 'ExecutionStarted',
    data: {
      executionId: command.executionId,
      definition: command.definition,
      taskDefs: taskDefSnapshot(command.definition, command.taskDefs),
      input: withInputTemplate(command.definition, command.input),
      ...(command.correlationId !== undefined ? { correlationId: command.correlationId } : {}),
      ...(command.idempotencyKey !== undefined ? { idempotencyKey: command.idempotencyKey } : {}),
      ...(command.priority !== undefined ? { priority: command.priority } : {}),
      ...(command.parent !== undefined ? { parent: command.parent } : {}),
      at: now,
    },
  });
  new ExecutionFlow(builder).start();
  return builder.decision();
}

/**
 * The start input with the definition's `inputTemplate` defaults, as Conductor applies them: each
 * template key whose input is absent or null gets the template's value, copied as is (shallow,
 * not resolved) — and only when the input is not empty (Conductor skips the template then).
 */
export function withInputTemplate(definition: WorkflowDef, input: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const template = definition.inputTemplate;
  if (!template || Object.keys(template).length === 0 || Object.keys(input).length === 0) return input;
  const merged: Record<string, unknown> = { ...input };
  for (const [key, value] of Object.entries(template)) if (merged[key] === undefined || merged[key] === null) merged[key] = value;
  return merged;
}

/** Snapshot of the task definitions a workflow's worker tasks use, defaults filled in. */
export function taskDefSnapshot(definition: WorkflowDef, registered: Readonly<Record<string, TaskDef>>): Record<string, TaskDef> {
  const snapshot: Record<string, TaskDef> = {};
  const visit = (tasks: readonly WorkflowTask[]): void => {
    for (const task of tasks) {
      const type = taskTypeOf(task);
      if (type === 'SIMPLE' && !task.taskDefinition) snapshot[task.name] = registered[task.name] ?? defaultTaskDef(task.name);
      // A task the orchestrator runs itself takes retries and an inputTemplate only from a definition of its own name;
      // a WAIT takes one (its timeoutSeconds) likewise.
      else if ((isInProcessTaskType(type) || type === 'WAIT') && !task.taskDefinition && registered[task.name]) snapshot[task.name] = registered[task.name];
      childTaskLists(task).forEach(visit);
    }
  };
  visit(definition.tasks);
  // Which task types a dynamic fork or a DYNAMIC task runs is only known later: it may need any registered definition.
  if (hasDynamicTasks(definition.tasks)) return { ...registered, ...snapshot };
  return snapshot;
}

function hasDynamicTasks(tasks: readonly WorkflowTask[]): boolean {
  return tasks.some((task) => taskTypeOf(task) === 'FORK_JOIN_DYNAMIC' || taskTypeOf(task) === 'DYNAMIC' || childTaskLists(task).some(hasDynamicTasks));
}
