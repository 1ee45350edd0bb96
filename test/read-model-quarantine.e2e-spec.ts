import { randomUUID } from 'node:crypto';
import type { EventStore } from '@app/event-store';
import { openEventStore } from './support/event-store-probe';
import { counterSum } from './support/prometheus-text';
import { resetBatonStreams, startOrchestrator, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

/*
 * Issue 7, defect 2: one event a read model cannot apply (here a timer due at "Infinity", which
 * JSON stores as null: what a start input of 1e308 once produced) must not stop the read models.
 * It is quarantined — metric, log, GET /api/operations/quarantine — and skipped; every other
 * execution is still indexed, and a restarted orchestrator becomes healthy.
 */

const HOLD = 'quarantine_hold';
const holdDef = { name: HOLD, version: 1, schemaVersion: 2, tasks: [{ name: 'hold', taskReferenceName: 'hold', type: 'WAIT', inputParameters: {} }] };

interface QuarantinedView {
  readonly streamName: string;
  readonly eventType: string;
  readonly error: string;
}

describe('read models quarantine an event they cannot apply (orchestrator process, SQLite)', () => {
  const dataDir = tempDir('quarantine');
  let orchestrator: OrchestratorProcess;
  let store: EventStore;

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir, name: 'quarantine' });
    await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [holdDef]);
    store = openEventStore(dataDir);
  });

  afterAll(async () => {
    await store?.close();
    await orchestrator?.handle.stop();
  });

  const indexed = async (id: string): Promise<boolean> => {
    const response = await orchestrator.api.request('GET', `/api/workflow/search?freeText=${id}`);
    return (response.json() as { totalHits: number }).totalHits === 1;
  };
  const quarantine = async (): Promise<QuarantinedView[]> => (await orchestrator.api.request('GET', '/api/operations/quarantine')).json() as QuarantinedView[];

  it('given a WAIT whose duration comes from the start input, when started with d = 1e308, then that execution FAILS with the reason and nothing is quarantined; a definition with responseTimeoutSeconds 1e308 is 400 with its path', async () => {
    await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [{ name: 'quarantine_input_wait', version: 1, schemaVersion: 2, tasks: [{ name: 'w', taskReferenceName: 'w', type: 'WAIT', inputParameters: { duration: '${workflow.input.d}' } }] }]);
    const id = await orchestrator.api.expectOk('POST', '/api/workflow/quarantine_input_wait', '{"d": 1e308}');
    const ended = await waitFor('the execution failed', async () => {
      const workflow = await orchestrator.api.workflow(id);
      return workflow.status === 'RUNNING' ? undefined : workflow;
    });
    expect(ended).toMatchObject({ status: 'FAILED', reasonForIncompletion: expect.stringMatching(/duration\/until 1e\+308 is not a duration/) });
    await waitFor('the failure indexed', async () => {
      const response = await orchestrator.api.request('GET', `/api/workflow/search?query=${encodeURIComponent('status=FAILED')}&freeText=${id}`);
      return (response.json() as { totalHits: number }).totalHits === 1;
    });
    expect(await quarantine()).toEqual([]);

    const taskDef = await orchestrator.api.request('POST', '/api/metadata/taskdefs', [{ name: 'quarantine_slow', responseTimeoutSeconds: 1e308 }]);
    expect(taskDef.status).toBe(400);
    expect(taskDef.json()).toMatchObject({ validationErrors: [expect.objectContaining({ path: expect.stringMatching(/responseTimeoutSeconds$/) })] });
  });

  it('given a poison event in one execution, when the read model meets it, then it is quarantined and later executions are still indexed, also after a restart', async () => {
    const poisoned = await orchestrator.api.expectOk('POST', `/api/workflow/${HOLD}`, {});
    await waitFor('the first execution indexed', () => indexed(poisoned));
    await store.appendToStream(`execution-${poisoned}`, [{ id: randomUUID(), type: 'TimerStarted', data: { timerId: 't99', dueAt: null, purpose: { kind: 'WORKFLOW_TIMEOUT' }, at: Date.now() } }]);
    const later = await orchestrator.api.expectOk('POST', `/api/workflow/${HOLD}`, {});

    await waitFor('the later execution indexed past the poison event', () => indexed(later), { timeoutMs: 20_000 });
    expect(await quarantine()).toEqual([expect.objectContaining({ streamName: `execution-${poisoned}`, eventType: 'TimerStarted', error: expect.any(String) })]);
    const metrics = (await orchestrator.api.request('GET', '/metrics')).text;
    expect(counterSum(metrics, 'baton_read_model_quarantined_total', { type: 'TimerStarted' })).toBe(1);

    await orchestrator.handle.stop();
    orchestrator = await startOrchestrator({ dataDir, name: 'quarantine-restarted', port: orchestrator.port });
    expect(await orchestrator.api.healthy()).toBe(true);
    const afterRestart = await orchestrator.api.expectOk('POST', `/api/workflow/${HOLD}`, {});
    await waitFor('an execution started after the restart indexed', () => indexed(afterRestart), { timeoutMs: 20_000 });
    expect(await quarantine()).toHaveLength(1);
  });
});
