import path from 'node:path';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { APPROVAL_REF, APPROVAL_WORKFLOW, DECISION_HANDLER, ESCALATION_SUBJECT } from '../examples/human-approval/approval.workflow';
import { startNode } from './support/child-process';
import { eventsOf, waitForStatus } from './support/flows';
import { counterSum } from './support/prometheus-text';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

describe('example human-approval: a WAIT completed over HTTP or by a NATS event, with an escalation timer', () => {
  let orchestrator: OrchestratorProcess;
  let nc: NatsConnection;
  let escalations: Subscription;
  let logDir: string;
  const env = (): Record<string, string> => ({ BATON_NATS_URL: NATS_URL, BATON_API_URL: orchestrator.api.baseUrl });

  const startExpense = (expenseId: string, escalateAfter: string): Promise<string> =>
    orchestrator.api.expectOk('POST', '/api/workflow', { name: APPROVAL_WORKFLOW, correlationId: expenseId, input: { expenseId, amount: 420, requester: 'ada', escalateAfter } });

  beforeAll(async () => {
    await resetBatonStreams();
    const dir = tempDir('examples-approval');
    logDir = path.join(dir, 'logs');
    orchestrator = await startOrchestrator({ dataDir: dir });
    nc = await connect({ servers: NATS_URL });
    escalations = nc.subscribe(ESCALATION_SUBJECT);
    await nc.flush();
    const register = startNode('register', 'examples/human-approval/register.js', { logDir, env: env() });
    expect(await register.exited).toBe(0);
    // A core-NATS event is only heard once the handler's subscription is live (the orchestrator reports it in /metrics).
    await waitFor('the decision handler to subscribe', async () => counterSum((await orchestrator.api.request('GET', '/metrics')).text, 'baton_event_handler_subscribed', { handler: DECISION_HANDLER }) === 1, { timeoutMs: 15_000 });
  });

  afterAll(async () => {
    await nc?.close();
    await stopAll([orchestrator?.handle]);
  });

  it('given an expense with a one-hour escalation, when the manager approves over HTTP, then it COMPLETES approved and the timer is canceled without escalating', async () => {
    const id = await startExpense('exp-http', '1h');
    await waitFor('the approval WAIT to be scheduled', async () => (await orchestrator.api.workflow(id)).tasks.some((task) => task.referenceTaskName === APPROVAL_REF && task.status === 'IN_PROGRESS'));

    await orchestrator.api.expectOk('POST', `/api/tasks/${id}/${APPROVAL_REF}/COMPLETED`, { decision: 'approved', approver: 'manager-1' });

    const done = await waitForStatus(orchestrator.api, id, 'COMPLETED');
    expect(done.output).toEqual({ expenseId: 'exp-http', decision: 'approved', approver: 'manager-1' });
    const byRef = new Map(done.tasks.map((task) => [task.referenceTaskName, task]));
    expect(byRef.get('escalation_timer')?.status).toBe('CANCELED');
    expect(byRef.has('escalate')).toBe(false);
    expect(eventsOf(await orchestrator.api.history(id), 'TaskCanceled')).toHaveLength(1);
  });

  it('given an expense nobody decides within a second, when the escalation goes out and the director decides by a NATS event, then it COMPLETES with the director as approver', async () => {
    const id = await startExpense('exp-nats', '1s');

    const escalation = await waitFor('the escalation event', async () => {
      for await (const message of escalations) {
        const body = message.json<{ workflowId: string; expenseId: string }>();
        if (body.workflowId === id) return body;
      }
      return undefined;
    }, { timeoutMs: 15_000 });
    expect(escalation).toMatchObject({ expenseId: 'exp-nats', amount: 420, requester: 'ada' });

    const decide = startNode('decide', 'examples/human-approval/decide.js', { logDir, env: env(), args: [id, 'rejected', 'director-1'] });
    expect(await decide.exited).toBe(0);

    const done = await waitForStatus(orchestrator.api, id, 'COMPLETED');
    expect(done.output).toEqual({ expenseId: 'exp-nats', decision: 'rejected', approver: 'director-1' });
    const byRef = new Map(done.tasks.map((task) => [task.referenceTaskName, task]));
    expect(byRef.get('escalation_timer')?.status).toBe('COMPLETED');
    expect(byRef.get('escalate')?.status).toBe('COMPLETED');
    expect(byRef.get(APPROVAL_REF)?.outputData).toMatchObject({ 'conductor.event.name': 'nats:approvals.decided' });
  });
});
