import path from 'node:path';
import { COMPENSATION_WORKFLOW, sampleOrder } from '@app/samples';
import type { ChildHandle } from './support/child-process';
import type { ConductorWorkflow } from './support/baton-api';
import { waitForStatus } from './support/flows';
import { resetBatonStreams, startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

describe('compensation: a failed order starts its failureWorkflow', () => {
  let orchestrator: OrchestratorProcess;
  let services: ChildHandle[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    const dir = tempDir('compensation');
    orchestrator = await startOrchestrator({ dataDir: dir });
    services = await startSampleServices({ apiUrl: orchestrator.api.baseUrl, logDir: path.join(dir, 'logs') });
    await orchestrator.api.registerSampleFlow();
  });

  afterAll(async () => {
    await stopAll([...services, orchestrator?.handle]);
  });

  it('given an order without a shipping address, when shipping fails for good, then the order FAILS and order_compensation refunds the payment and releases the inventory', async () => {
    const order = sampleOrder(7, { noAddressEvery: 7, prefix: 'comp' });
    const failedId = await orchestrator.api.startOrderReliably(order);

    const failed = await waitForStatus(orchestrator.api, failedId, 'FAILED');
    expect(failed.tasks.find((task) => task.referenceTaskName === 'ship_order')?.status).toBe('FAILED_WITH_TERMINAL_ERROR');

    const compensation = await waitFor('the compensation to complete', async () => {
      const found = (await orchestrator.api.request('GET', `/api/workflow/${COMPENSATION_WORKFLOW}/correlated/${order.orderId}?includeClosed=true&includeTasks=true`)).json() as (ConductorWorkflow & { input: Record<string, unknown> })[];
      return found.length === 1 && found[0]!.status === 'COMPLETED' ? found[0] : undefined;
    });
    expect(compensation.input).toMatchObject({ workflowId: failedId, failureStatus: 'FAILED', failedTaskRefName: 'ship_order', input: { orderId: order.orderId } });
    expect(compensation.input.reason).toMatch(/no shipping address/);
    const paymentId = failed.tasks.find((task) => task.referenceTaskName === 'charge_payment')!.outputData.paymentId;
    const byRef = new Map(compensation.tasks.map((task) => [task.referenceTaskName, task]));
    expect(byRef.get('refund_payment')?.outputData).toMatchObject({ refunded: true, paymentId });
    expect(byRef.get('release_inventory')?.outputData).toMatchObject({ released: true });
    expect(byRef.get('notify_failed')?.status).toBe('COMPLETED');
  });

  it('given an order rejected by the fraud check, when it ends TERMINATED, then no compensation starts', async () => {
    const order = sampleOrder(5, { rejectEvery: 5, prefix: 'comp' });
    const id = await orchestrator.api.startOrderReliably(order);
    await waitForStatus(orchestrator.api, id, 'TERMINATED');
    // The notification of its end is published by the same reaction that would start a compensation.
    await waitFor('the read model to index the end', async () => {
      const result = (await orchestrator.api.request('GET', `/api/workflow/search?query=correlationId=${order.orderId}`)).json() as { results: { status: string }[] };
      return result.results.some((summary) => summary.status === 'TERMINATED');
    });
    const found = (await orchestrator.api.request('GET', `/api/workflow/${COMPENSATION_WORKFLOW}/correlated/${order.orderId}?includeClosed=true`)).json() as unknown[];
    expect(found).toEqual([]);
  });
});
