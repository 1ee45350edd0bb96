import { dynamicTask, exclusiveJoin, human, noop, publishEvent, simple, startWorkflowTask, switchTask, wait, workflow, workflowInput } from '@app/domain';
import { TerminalError, createWorker, type BatonWorker } from '@app/worker-sdk';
import { waitFor } from '@app/testing/wait-for';
import { register, start, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

interface Task {
  taskId: string;
  referenceTaskName: string;
  taskType: string;
  taskDefName: string;
  status: string;
  outputData: Record<string, unknown>;
}
interface Workflow {
  status: string;
  parentWorkflowId?: string;
  correlationId?: string;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  tasks: Task[];
}

/** NOOP, EXCLUSIVE_JOIN, DYNAMIC, START_WORKFLOW, HUMAN, KAFKA_PUBLISH and EVENT `conductor:` sinks through a real orchestrator, NATS and workers. */
describe('Conductor parity task types end to end', () => {
  let orchestrator: OrchestratorProcess;
  const workers: BatonWorker[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('parity-tasks') });
    await register(
      orchestrator.api,
      [{ name: 'charge_card', retryCount: 0 }, { name: 'manual_review', retryCount: 0 }, { name: 'ship_ups', retryCount: 0 }, { name: 'declines', retryCount: 0 }],
      [
        workflow('audit_trail').tasks(wait('hold')).build(),
        workflow('parity_order')
          .tasks(
            noop('nothing'),
            switchTask('route', { expression: 'kind', inputParameters: { kind: workflowInput('kind') }, cases: { card: [simple('charge_card', 'card')] }, defaultCase: [simple('manual_review', 'manual')] }),
            exclusiveJoin('paid', ['card'], ['manual']),
            dynamicTask('ship', workflowInput('carrier'), { parcel: workflowInput('orderId') }),
            startWorkflowTask('audit', 'audit_trail', { orderId: workflowInput('orderId') }),
            human('approve', { amount: workflowInput('amount') }),
          )
          .outputs({ payment: '${paid.output.paymentId}', tracking: '${ship.output.trackingId}', approvedBy: '${approve.output.by}', audit: '${audit.output.workflowId}' })
          .build(),
        workflow('awaits_notice').tasks(wait('notice')).build(),
        workflow('notifier').tasks(publishEvent('tell', 'conductor:order_ready', { target: workflowInput('target') })).build(),
        { ...workflow('declined_order').tasks(simple('declines', 'charge')).build(), failureWorkflow: '$workflow.input.onFailure' },
        workflow('refund_flow').tasks(wait('hold')).build(),
        workflow('optional_flow').tasks(simple('declines', 'maybe', {}, { optional: true }), simple('ship_ups', 'after', { parcel: 'opt' })).build(),
        { ...workflow('defaults').tasks({ name: 'each', taskReferenceName: 'each', type: 'DO_WHILE', items: '${workflow.input.parcels}', loopOver: [simple('ship_ups', 'label', { parcel: '${each.output.loopItem}' })] }).build(), inputTemplate: { parcels: ['p1', 'p2'] } },
        workflow('dynamic_parent')
          .tasks(
            { name: 'by_name', taskReferenceName: 'by_name', type: 'SUB_WORKFLOW', subWorkflowParam: { name: '${workflow.input.flow}', version: '${workflow.input.version}' } },
            { name: 'inline', taskReferenceName: 'inline', type: 'SUB_WORKFLOW', subWorkflowParam: { workflowDefinition: workflow('inline_child').tasks(simple('ship_ups', 'label', { parcel: 'inline' })).build() } },
          )
          .build(),
      ],
    );
    workers.push(
      createWorker({ taskType: 'charge_card', natsUrl: NATS_URL, handler: async () => ({ paymentId: 'pay-1' }) }),
      createWorker({ taskType: 'ship_ups', natsUrl: NATS_URL, handler: async (task) => ({ trackingId: `UPS-${String(task.input.parcel)}` }) }),
      createWorker({ taskType: 'declines', natsUrl: NATS_URL, handler: async () => { throw new TerminalError('card declined'); } }),
    );
    await Promise.all(workers.map((worker) => worker.start()));
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await stopAll([orchestrator?.handle]);
  });

  const get = async (id: string) => (await orchestrator.api.request('GET', `/api/workflow/${id}`)).json() as Workflow;

  it('given NOOP, SWITCH + EXCLUSIVE_JOIN, DYNAMIC, START_WORKFLOW and HUMAN, when run and the HUMAN task is completed over the task API, then the execution completes with each outcome', async () => {
    const id = await start(orchestrator.api, 'parity_order', { kind: 'card', carrier: 'ship_ups', orderId: 'o-1', amount: 40 });

    const waiting = await waitFor('the HUMAN task to be reached', async () => {
      const run = await get(id);
      return run.tasks.some((task) => task.referenceTaskName === 'approve') ? run : undefined;
    });
    const byRef = (ref: string) => waiting.tasks.find((task) => task.referenceTaskName === ref)!;
    expect(byRef('nothing')).toMatchObject({ taskType: 'NOOP', status: 'COMPLETED', outputData: {} });
    expect(byRef('paid')).toMatchObject({ taskType: 'EXCLUSIVE_JOIN', status: 'COMPLETED', outputData: { paymentId: 'pay-1' } });
    expect(byRef('ship')).toMatchObject({ taskType: 'ship_ups', taskDefName: 'ship_ups', status: 'COMPLETED', outputData: { trackingId: 'UPS-o-1' } });
    expect(byRef('approve')).toMatchObject({ taskType: 'HUMAN', status: 'IN_PROGRESS' });
    expect(waiting.status).toBe('RUNNING');

    const auditId = byRef('audit').outputData.workflowId as string;
    expect(byRef('audit')).toMatchObject({ taskType: 'START_WORKFLOW', status: 'COMPLETED' });
    const audit = await get(auditId);
    expect(audit).toMatchObject({ status: 'RUNNING', input: { orderId: 'o-1' } });
    expect(audit.parentWorkflowId).toBeUndefined();

    await orchestrator.api.expectOk('POST', `/api/tasks/${id}/approve/COMPLETED`, { by: 'ann' });
    const done = (await waitForStatus(orchestrator.api, id, 'COMPLETED')) as unknown as Workflow;
    expect(done.output).toEqual({ payment: 'pay-1', tracking: 'UPS-o-1', approvedBy: 'ann', audit: auditId });
    // Fire and forget: the started workflow still waits, the parent never waited for it.
    expect((await get(auditId)).status).toBe('RUNNING');
  });

  it('given a DYNAMIC task whose input names no registered task, when run, then the execution fails with Conductor\'s message', async () => {
    const id = await start(orchestrator.api, 'parity_order', { kind: 'card', carrier: 'ship_nobody', orderId: 'o-2' });
    const failed = await waitForStatus(orchestrator.api, id, 'FAILED');
    expect((failed as unknown as { reasonForIncompletion: string }).reasonForIncompletion).toContain('Cannot find task by name ship_nobody');
  });

  it('given a KAFKA_PUBLISH task, when registered, then it is refused with 400 naming the EVENT jsm: alternative', async () => {
    const response = await orchestrator.api.request('POST', '/api/metadata/workflow', {
      name: 'kafka_flow',
      version: 1,
      tasks: [{ name: 'publish', taskReferenceName: 'publish', type: 'KAFKA_PUBLISH', inputParameters: { kafka_request: { topic: 'orders', value: 'x', bootStrapServers: 'k:9092' } } }],
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('tasks[0].type');
    expect(response.text).toContain('jsm:<subject>');
  });

  it('given an event handler on conductor:notifier:order_ready, when an EVENT task with sink conductor:order_ready runs, then the handler completes the task its payload names', async () => {
    await orchestrator.api.expectOk('POST', '/api/event', {
      name: 'on_order_ready',
      event: 'conductor:notifier:order_ready',
      active: true,
      actions: [{ action: 'complete_task', complete_task: { workflowId: '${target}', taskRefName: 'notice', output: { from: '${workflowInstanceId}' } } }],
    });
    const waitingId = await start(orchestrator.api, 'awaits_notice');
    const notifierId = await start(orchestrator.api, 'notifier', { target: waitingId });

    const notified = (await waitForStatus(orchestrator.api, waitingId, 'COMPLETED')) as unknown as Workflow;
    expect(notified.tasks[0]).toMatchObject({ referenceTaskName: 'notice', outputData: { from: notifierId } });
    const notifier = (await waitForStatus(orchestrator.api, notifierId, 'COMPLETED')) as unknown as Workflow;
    expect(notifier.tasks[0]).toMatchObject({ taskType: 'EVENT', outputData: { event_produced: 'conductor:notifier:order_ready', handlers: ['on_order_ready'] } });
  });

  it('given an optional task that fails for good, when run, then it shows COMPLETED_WITH_ERRORS with its reason and the execution completes', async () => {
    const id = await start(orchestrator.api, 'optional_flow');
    const done = (await waitForStatus(orchestrator.api, id, 'COMPLETED')) as unknown as Workflow & { failedReferenceTaskNames?: string[] };
    expect(done.tasks.find((task) => task.referenceTaskName === 'maybe')).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', reasonForIncompletion: 'card declined' });
    expect(done.tasks.find((task) => task.referenceTaskName === 'after')).toMatchObject({ status: 'COMPLETED' });
    expect(done.failedReferenceTaskNames ?? []).not.toContain('maybe');
  });

  describe('definitions as Conductor writes them', () => {
    it('given failureWorkflow "$workflow.input.onFailure", when the execution fails, then the workflow named by that input starts', async () => {
      const id = await start(orchestrator.api, 'declined_order', { onFailure: 'refund_flow' });
      await waitForStatus(orchestrator.api, id, 'FAILED');
      const links = await waitFor('the failure workflow to start', async () => {
        const answer = (await orchestrator.api.request('GET', `/api/executions/${id}/links`)).json() as { failureWorkflows: { executionId: string; workflowName: string }[] };
        return answer.failureWorkflows.length > 0 ? answer : undefined;
      });
      expect(links.failureWorkflows).toEqual([expect.objectContaining({ workflowName: 'refund_flow' })]);
    });

    it('given a DO_WHILE over items from the workflow inputTemplate, when started with other input, then the body runs once per default item', async () => {
      const id = await start(orchestrator.api, 'defaults', { note: 'uses the template' });
      const done = (await waitForStatus(orchestrator.api, id, 'COMPLETED')) as unknown as Workflow;
      expect(done.input).toEqual({ note: 'uses the template', parcels: ['p1', 'p2'] });
      const loop = done.tasks.find((task) => task.referenceTaskName === 'each')!;
      expect(loop.outputData).toMatchObject({ iteration: 2, 1: { label: { trackingId: 'UPS-p1' } }, 2: { label: { trackingId: 'UPS-p2' } } });
    });

    it('given SUB_WORKFLOWs named by input expressions and given inline, when run, then each child runs its definition', async () => {
      const id = await start(orchestrator.api, 'dynamic_parent', { flow: 'notifier', version: 1, target: 'nobody' });
      const done = (await waitForStatus(orchestrator.api, id, 'COMPLETED')) as unknown as Workflow;
      const byName = await get(done.tasks.find((task) => task.referenceTaskName === 'by_name')!.outputData.subWorkflowId as string);
      const inline = await get(done.tasks.find((task) => task.referenceTaskName === 'inline')!.outputData.subWorkflowId as string);
      expect(byName).toMatchObject({ status: 'COMPLETED', parentWorkflowId: id, workflowName: 'notifier' });
      expect(inline).toMatchObject({ status: 'COMPLETED', parentWorkflowId: id, workflowName: 'inline_child', output: { trackingId: 'UPS-inline' } });
    });
  });
});
