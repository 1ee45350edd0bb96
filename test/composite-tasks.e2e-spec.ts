import { connect } from 'nats';
import { doWhile, forkJoinDynamic, inline, publishEvent, setVariable, simple, subWorkflow, taskOutput, wait, workflow, workflowInput } from '@app/domain';
import { TerminalError, createWorker, type BatonWorker } from '@app/worker-sdk';
import { register, start, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

interface Workflow {
  workflowId: string;
  status: string;
  parentWorkflowId?: string;
  output: Record<string, unknown>;
  tasks: { referenceTaskName: string; status: string; outputData: Record<string, unknown> }[];
}

describe('DO_WHILE, SUB_WORKFLOW, SET_VARIABLE, INLINE, EVENT and FORK_JOIN_DYNAMIC end to end', () => {
  let orchestrator: OrchestratorProcess;
  const workers: BatonWorker[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('composite') });
    await register(
      orchestrator.api,
      [{ name: 'count', retryCount: 0 }, { name: 'child_work', retryCount: 0 }],
      [
        workflow('child_flow').tasks(simple('child_work', 'work', { x: workflowInput('x') })).outputs({ doubled: '${work.output.doubled}' }).build(),
        workflow('parent_flow')
          .tasks(
            setVariable('remember', { base: workflowInput('base') }),
            doWhile('loop', '$.loop.iteration < 3', [simple('count', 'count', { base: '${workflow.variables.base}' })]),
            subWorkflow('child', 'child_flow', { x: '${count.output.value}' }),
            inline('sum', '$.a + $.b', { a: '${child.output.doubled}', b: '${workflow.variables.base}' }),
          )
          .outputs({ total: '${sum.output.result}' })
          .build(),
        workflow('waiting_child').tasks(wait('hold')).build(),
        workflow('parent_of_waiting').tasks(subWorkflow('child', 'waiting_child')).build(),
      ],
    );
    let n = 0;
    workers.push(
      createWorker({ taskType: 'count', natsUrl: NATS_URL, handler: async (task) => ({ value: Number(task.input.base) + ++n }) }),
      createWorker({
        taskType: 'child_work',
        natsUrl: NATS_URL,
        handler: async (task) => {
          if (task.input.x === 'boom') throw new TerminalError('child refuses');
          return { doubled: Number(task.input.x) * 2 };
        },
      }),
    );
    await Promise.all(workers.map((worker) => worker.start()));
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await stopAll([orchestrator?.handle]);
  });

  it('given a loop of 3 iterations then a child workflow, when run, then the parent completes with values computed through both', async () => {
    const id = await start(orchestrator.api, 'parent_flow', { base: 10 });
    const done = (await waitForStatus(orchestrator.api, id, 'COMPLETED')) as unknown as Workflow;

    const loop = done.tasks.find((task) => task.referenceTaskName === 'loop')!;
    expect(loop.outputData).toMatchObject({ iteration: 3, 1: { count: { value: 11 } }, 2: { count: { value: 12 } }, 3: { count: { value: 13 } } });
    const child = done.tasks.find((task) => task.referenceTaskName === 'child')!;
    expect(child.outputData).toMatchObject({ doubled: 26 });
    expect(done.output).toEqual({ total: 36 });

    const childRun = (await orchestrator.api.request('GET', `/api/workflow/${String(child.outputData.subWorkflowId)}`)).json() as Workflow;
    expect(childRun).toMatchObject({ status: 'COMPLETED', parentWorkflowId: id });
  });

  it('given a parent whose child waits, when the parent is terminated, then the child is terminated too', async () => {
    const id = await start(orchestrator.api, 'parent_of_waiting');
    const childId = await waitFor('the child to start', async () => {
      const parent = (await orchestrator.api.request('GET', `/api/workflow/${id}`)).json() as Workflow;
      return parent.tasks[0]?.outputData.subWorkflowId as string | undefined;
    });
    expect((await orchestrator.api.request('DELETE', `/api/workflow/${id}?reason=cancel`)).status).toBe(200);
    await waitForStatus(orchestrator.api, childId, 'TERMINATED');
  });

  it('given an EVENT task, when reached, then its payload is published on the sink subject and the flow completes', async () => {
    await register(orchestrator.api, [], [workflow('announcer').tasks(publishEvent('announce', 'nats:shop.order.announced', { orderId: workflowInput('orderId') })).build()]);
    const nc = await connect({ servers: NATS_URL });
    try {
      const received: Record<string, unknown>[] = [];
      nc.subscribe('shop.order.announced', { callback: (_error, message) => received.push(message.json<Record<string, unknown>>()) });
      await nc.flush();
      const id = await start(orchestrator.api, 'announcer', { orderId: 'o-77' });
      await waitForStatus(orchestrator.api, id, 'COMPLETED');
      await waitFor('the event', () => received.length === 1);
      expect(received[0]).toMatchObject({ orderId: 'o-77', workflowInstanceId: id, taskRefName: 'announce' });
    } finally {
      await nc.close();
    }
  });

  it('given a plan of N tasks, when a dynamic fork runs them, then the JOIN collects every output', async () => {
    await register(orchestrator.api, [], [
      workflow('fan_out')
        .tasks(
          inline('plan', '(function(){ var tasks = []; var inputs = {}; for (var i = 1; i <= $.n; i++) { tasks.push({ name: "child_work", taskReferenceName: "part_" + i }); inputs["part_" + i] = { x: i }; } return { tasks: tasks, inputs: inputs }; })()', { n: workflowInput('n') }),
          forkJoinDynamic('fan', taskOutput('plan', 'result.tasks'), taskOutput('plan', 'result.inputs'), { joinRef: 'fan_join' }),
        )
        .outputs({ parts: taskOutput('fan_join') })
        .build(),
    ]);
    const id = await start(orchestrator.api, 'fan_out', { n: 4 });
    const done = (await waitForStatus(orchestrator.api, id, 'COMPLETED')) as unknown as Workflow;
    expect(done.output).toEqual({ parts: { part_1: { doubled: 2 }, part_2: { doubled: 4 }, part_3: { doubled: 6 }, part_4: { doubled: 8 } } });
  });

  it('given a dynamic fork whose branches are child workflows, when run, then each child runs and the JOIN collects their outputs', async () => {
    await register(orchestrator.api, [], [
      workflow('fan_out_children')
        .tasks(
          inline('plan', '({ tasks: [{ name: "child", taskReferenceName: "kid_1", type: "SUB_WORKFLOW", subWorkflowParam: { name: "child_flow" } }, { name: "child", taskReferenceName: "kid_2", type: "SUB_WORKFLOW", subWorkflowParam: { name: "child_flow" } }], inputs: { kid_1: { x: 5 }, kid_2: { x: 6 } } })'),
          forkJoinDynamic('fan', taskOutput('plan', 'result.tasks'), taskOutput('plan', 'result.inputs'), { joinRef: 'fan_join' }),
        )
        .outputs({ kids: taskOutput('fan_join') })
        .build(),
    ]);
    const id = await start(orchestrator.api, 'fan_out_children');
    const done = (await waitForStatus(orchestrator.api, id, 'COMPLETED')) as unknown as Workflow;
    expect(done.output.kids).toMatchObject({ kid_1: { doubled: 10 }, kid_2: { doubled: 12 } });
  });

  it('given a child that fails, when it ends, then the parent task and the parent fail', async () => {
    await register(orchestrator.api, [], [workflow('parent_of_failing').tasks(subWorkflow('child', 'child_flow', { x: 'boom' })).build()]);
    const id = await start(orchestrator.api, 'parent_of_failing');
    const failed = (await waitForStatus(orchestrator.api, id, 'FAILED')) as unknown as Workflow;
    expect(failed.tasks[0]).toMatchObject({ referenceTaskName: 'child', status: 'FAILED' });
  });
});
