import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * DYNAMIC: a worker task whose type is chosen at run time — the input parameter named by
 * `dynamicTaskNameParam` holds the task name. It is scheduled as a SIMPLE task of that name
 * (its command goes to `baton.task.<name>`, workers poll `<name>`), with that name's task
 * definition (inline `taskDefinition`, else the registered one). Conductor's rules: no name, or
 * a name with no task definition, fails the execution.
 */
export class DynamicPlanner implements TaskPlanner {
  readonly taskTypes = ['DYNAMIC'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const input = attempt.input ?? flow.resolveInput(task);
    const param = task.dynamicTaskNameParam ?? '';
    const name = input[param];
    if (name === undefined || name === null || name === '') {
      flow.end('FAILED', `Cannot map a dynamic task based on the parameter and input. Parameter= ${param}, input= ${JSON.stringify(input)}`, {}, { failedTaskRefName: task.taskReferenceName });
      return;
    }
    const taskDefName = String(name);
    const taskDef = task.taskDefinition ?? flow.builder.state.taskDefs[taskDefName];
    if (!taskDef) {
      flow.end('FAILED', `Invalid task specified. Cannot find task by name ${taskDefName} in the task definitions`, {}, { failedTaskRefName: task.taskReferenceName });
      return;
    }
    const withTemplate = attempt.input ?? { ...(taskDef.inputTemplate ?? {}), ...input };
    flow.armTaskDeadline(flow.emitScheduled(task, withTemplate, attempt, { taskType: 'SIMPLE', taskDefName }));
  }
}
