import { connect, type Msg, type NatsConnection } from 'nats';
import { simple, workflow } from '@app/domain';
import { DLQ_SUBJECT_PREFIX, Headers, resultSubject, TASKS_STREAM, taskSubject, type TaskCommandMessage } from '@app/messaging';
import { waitFor } from '@app/testing/wait-for';
import { eventsOf, register, start, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

const encoder = new TextEncoder();

describe('a result published on another task type’s subject is dead-lettered, never applied', () => {
  let orchestrator: OrchestratorProcess;
  let nc: NatsConnection;

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('forged-results') });
    await register(orchestrator.api, [{ name: 'charge_card', retryCount: 0 }], [workflow('forged_flow').tasks(simple('charge_card', 'charge')).build()]);
    nc = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await nc?.close();
    await stopAll([orchestrator?.handle]);
  });

  /** The task command the orchestrator published for the execution (read from the stream, not consumed). */
  async function commandFor(executionId: string): Promise<TaskCommandMessage> {
    return waitFor(`the charge_card command of ${executionId}`, async () => {
      const message = await nc
        .jetstreamManager()
        .then((jsm) => jsm.streams.getMessage(TASKS_STREAM, { last_by_subj: taskSubject('charge_card') }))
        .catch(() => undefined);
      const command = message?.json<TaskCommandMessage>();
      return command?.executionId === executionId ? command : undefined;
    });
  }

  it('given a pending charge_card task, when its COMPLETED result arrives on baton.result.ship_order, then it is dead-lettered with TASK_TYPE_MISMATCH and the task stays pending; the result on its own subject completes it', async () => {
    const executionId = await start(orchestrator.api, 'forged_flow');
    const command = await commandFor(executionId);
    const forged = { taskId: command.taskId, executionId, attempt: command.attempt, status: 'COMPLETED', output: { charged: 'forged' }, workerId: 'rogue' };
    const deadLetters: Msg[] = [];
    const subscription = nc.subscribe(`${DLQ_SUBJECT_PREFIX}>`, { callback: (error, message) => void (error ? undefined : deadLetters.push(message)) });
    await nc.flush();

    await nc.jetstream().publish(resultSubject('ship_order'), encoder.encode(JSON.stringify(forged)), { msgID: `forged-${executionId}` });

    const letter = await waitFor('the forged result dead-lettered', () => deadLetters.find((message) => message.headers?.get(Headers.DlqOriginMsgId) === `forged-${executionId}`));
    subscription.unsubscribe();
    expect(headersOf(letter)).toEqual({
      code: 'TASK_TYPE_MISMATCH',
      reason: `task ${command.taskId} is a charge_card task; the result was sent for ship_order`,
      subject: resultSubject('ship_order'),
    });
    const afterForgery = await orchestrator.api.workflow(executionId);
    expect(afterForgery.status).toBe('RUNNING');
    expect(afterForgery.tasks.map((task) => task.status)).toEqual(['SCHEDULED']);
    expect(eventsOf(await orchestrator.api.history(executionId), 'TaskCompleted')).toEqual([]);

    const genuine = { ...forged, output: { charged: 'for real' }, workerId: 'charge-worker' };
    await nc.jetstream().publish(resultSubject('charge_card'), encoder.encode(JSON.stringify(genuine)), { msgID: `genuine-${executionId}` });

    const completed = await waitForStatus(orchestrator.api, executionId, 'COMPLETED');
    expect(completed.output).toEqual({ charged: 'for real' });
  });
});

function headersOf(message: Msg): { code?: string; reason?: string; subject?: string } {
  return {
    code: message.headers?.get(Headers.DlqCode),
    reason: message.headers?.get(Headers.DlqReason),
    subject: message.headers?.get(Headers.DlqOriginSubject),
  };
}
