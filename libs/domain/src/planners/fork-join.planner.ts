import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * FORK_JOIN: completes at once after starting the first task of every branch; the flow then
 * reaches the JOIN that follows it, which waits for its `joinOn` tasks.
 */
export class ForkJoinPlanner implements TaskPlanner {
  readonly taskTypes = ['FORK_JOIN'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const taskId = flow.emitScheduled(task, flow.resolveInput(task), attempt);
    const branches = (task.forkTasks ?? []).filter((branch) => branch.length > 0);
    flow.builder.emit({
      type: 'TaskCompleted',
      data: { taskId, output: { forkedTasks: branches.map((branch) => branch[0]!.taskReferenceName) }, at: flow.builder.now },
    });
    for (const branch of branches) flow.schedule(branch[0]!);
    flow.succeeded(task.taskReferenceName);
  }
}

/**
 * JOIN: in progress until every `joinOn` task is done; its output maps each of them to its
 * output. After a FORK_JOIN_DYNAMIC it waits on the branches that fork created.
 */
export class JoinPlanner implements TaskPlanner {
  readonly taskTypes = ['JOIN'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const dynamic = Object.entries(flow.builder.state.dynamicTasks)
      .filter(([, added]) => added.forkRef === flow.forkBefore(task.taskReferenceName))
      .map(([ref]) => ref);
    flow.emitScheduled(task, { joinOn: dynamic.length > 0 ? dynamic : [...(task.joinOn ?? [])] }, attempt);
    flow.checkJoins();
  }
}
