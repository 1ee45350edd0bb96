import path from 'node:path';
import type { ChildHandle } from './support/child-process';
import { REJECT_EVERY, startOrders, verifyOrders, waitForAllEnded } from './support/order-run';
import { resetBatonStreams, startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

describe('order flow end to end (orchestrator and five sample services as processes, real NATS, SQLite file)', () => {
  let dir: string;
  let orchestrator: OrchestratorProcess;
  let services: ChildHandle[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    dir = tempDir('order-flow');
    orchestrator = await startOrchestrator({ dataDir: dir });
    services = await startSampleServices({ apiUrl: orchestrator.api.baseUrl, logDir: path.join(dir, 'logs') });
    await orchestrator.api.registerSampleFlow();
  });

  afterAll(async () => {
    await stopAll([...services, orchestrator?.handle]);
  });

  it('given 200 orders, when pushed through, then each reaches its expected end state (accepted ones via the payment signal) with no duplicated transition', async () => {
    const ids = await startOrders(orchestrator.api, 200);
    const ended = await waitForAllEnded(orchestrator.api, ids.values());

    expect(await verifyOrders(orchestrator.api, ids, ended)).toEqual([]);
    const statuses = [...ended.values()].map((workflow) => workflow.status);
    expect(statuses.filter((status) => status === 'TERMINATED')).toHaveLength(200 / REJECT_EVERY);
    expect(statuses.filter((status) => status === 'COMPLETED')).toHaveLength(200 - 200 / REJECT_EVERY);
  });
});
