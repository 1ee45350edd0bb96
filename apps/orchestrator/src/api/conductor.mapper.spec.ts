import { forkJoin, simple, workflow, type WorkflowDef } from '@app/domain';
import { runCommands } from '@app/testing/decider';
import { toConductorWorkflow } from './conductor.mapper';

const decision: WorkflowDef = {
  name: 'mapped',
  version: 1,
  schemaVersion: 2,
  tasks: [
    ...forkJoin('fork', [[simple('left', 'left')], [simple('right', 'right')]], { joinRef: 'join' }),
    { name: 'route', taskReferenceName: 'route', type: 'DECISION', caseValueParam: 'kind', inputParameters: { kind: '${workflow.input.kind}' }, decisionCases: { a: [simple('after', 'after')] } },
  ],
};
const flow = workflow('mapped').tasks(simple('only', 'only')).build();

/** The Conductor view of an execution driven by these commands from its start at t=0. */
function viewOf(definition: WorkflowDef, commands: Parameters<typeof runCommands>[1], includeTasks = true) {
  const { state } = runCommands('exec-1', [{ command: { type: 'StartExecution', executionId: 'exec-1', definition, taskDefs: { left: { name: 'left', retryCount: 0 } }, input: { kind: 'a' } }, now: 0 }, ...commands]);
  return toConductorWorkflow(state, includeTasks) as { tasks: Record<string, unknown>[] } & Record<string, unknown>;
}

describe("Conductor's Task and Workflow JSON", () => {
  it('given a FORK_JOIN and a DECISION, when mapped, then the fork reports FORK, the join JOIN and the decision DECISION (as Conductor reports them)', () => {
    const view = viewOf(decision, [
      { command: { type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'COMPLETED' }, now: 5 },
      { command: { type: 'ApplyTaskResult', taskId: 'exec-1-3', status: 'COMPLETED' }, now: 6 },
    ]);

    const types = Object.fromEntries(view.tasks.map((task) => [task.referenceTaskName, [task.taskType, task.taskDefName]]));
    expect(types).toEqual({ fork: ['FORK', 'FORK'], left: ['left', 'left'], right: ['right', 'right'], join: ['JOIN', 'JOIN'], route: ['DECISION', 'DECISION'], after: ['after', 'after'] });
  });

  it('given a task polled at 40 ms and completed, when mapped, then queueWaitTime, pollCount, executed and the counters have Conductor values', () => {
    const view = viewOf(flow, [
      { command: { type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'IN_PROGRESS', workerId: 'w-1' }, now: 40 },
      { command: { type: 'ApplyTaskResult', taskId: 'exec-1-1', status: 'COMPLETED', output: { ok: true } }, now: 90 },
    ]);

    expect(view.tasks[0]).toEqual(
      expect.objectContaining({ taskType: 'only', status: 'COMPLETED', scheduledTime: 0, startTime: 40, endTime: 90, queueWaitTime: 40, pollCount: 1, callbackAfterSeconds: 0, iteration: 0, loopOverTask: false, executed: true, workerId: 'w-1', workflowPriority: 0 }),
    );
    expect(view).toEqual(expect.objectContaining({ status: 'COMPLETED', workflowName: 'mapped', workflowVersion: 1, taskToDomain: {}, workflowDefinition: flow }));
  });

  it('given a failed task, when mapped, then failedReferenceTaskNames has its reference and failedTaskNames its definition name', () => {
    const view = viewOf(decision, [{ command: { type: 'ApplyTaskResult', taskId: 'exec-1-2', status: 'FAILED', reason: 'boom' }, now: 5 }]);

    expect({ refs: view.failedReferenceTaskNames, names: view.failedTaskNames }).toEqual({ refs: ['left'], names: ['left'] });
  });

  it('given includeTasks=false, when mapped, then tasks is an empty list (as Conductor)', () => {
    expect(viewOf(flow, [], false).tasks).toEqual([]);
  });
});
