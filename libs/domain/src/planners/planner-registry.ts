import { defaultTaskDef, type TaskDef, type WorkflowTask } from '../definitions/workflow-def';
import type { ExecutionState } from '../execution/execution-state';
import { ForkJoinPlanner, JoinPlanner } from './fork-join.planner';
import { SimplePlanner } from './simple.planner';
import { SwitchPlanner } from './switch.planner';
import type { FlowControl, TaskPlanner } from './task-planner';
import { TerminatePlanner } from './terminate.planner';
import { WaitPlanner } from './wait.planner';
import { InlinePlanner } from './inline.planner';
import { SetVariablePlanner } from './set-variable.planner';
import { DoWhilePlanner } from './do-while.planner';
import { SubWorkflowPlanner } from './sub-workflow.planner';
import { validateWorkflowDef } from '../definitions/definition-validator';
import { EventPlanner } from './event.planner';
import { ForkJoinDynamicPlanner } from './fork-join-dynamic.planner';
import { InProcessPlanner } from './in-process.planner';
import { NoopPlanner } from './noop.planner';
import { HumanPlanner } from './human.planner';
import { ExclusiveJoinPlanner } from './exclusive-join.planner';
import { DynamicPlanner } from './dynamic.planner';
import { StartWorkflowPlanner } from './start-workflow.planner';

/**
 * The task definition in force for a workflow task: inline, else the snapshot taken at start, else
 * Conductor's defaults. `taskDefName` is the scheduled task's name when it differs from the
 * workflow task's (a DYNAMIC task runs the task its input names).
 */
export function effectiveTaskDef(state: ExecutionState, task: WorkflowTask, taskDefName: string = task.name): TaskDef {
  return task.taskDefinition ?? state.taskDefs[taskDefName] ?? defaultTaskDef(taskDefName);
}

const inputTemplateOf = (task: WorkflowTask, flow: FlowControl) => effectiveTaskDef(flow.builder.state, task).inputTemplate;

const planners: readonly TaskPlanner[] = [
  new SimplePlanner(inputTemplateOf),
  new SwitchPlanner(),
  new ForkJoinPlanner(),
  new JoinPlanner(),
  new WaitPlanner(),
  new TerminatePlanner(),
  new SetVariablePlanner(),
  new InlinePlanner(),
  new DoWhilePlanner(),
  new SubWorkflowPlanner((definition) => validateWorkflowDef(definition).map((problem) => `${problem.path || '(root)'}: ${problem.message}`)),
  new EventPlanner(),
  new ForkJoinDynamicPlanner(),
  new InProcessPlanner(inputTemplateOf),
  new NoopPlanner(),
  new HumanPlanner(),
  new ExclusiveJoinPlanner(),
  new DynamicPlanner(),
  new StartWorkflowPlanner(),
];

const byType = new Map<string, TaskPlanner>(planners.flatMap((planner) => planner.taskTypes.map((type) => [type, planner] as const)));

/** The planner of an effective task type, or undefined for a type Baton does not execute. */
export function plannerFor(taskType: string): TaskPlanner | undefined {
  return byType.get(taskType);
}

/** Effective task types that have a planner. */
export function plannedTaskTypes(): string[] {
  return [...byType.keys()];
}
