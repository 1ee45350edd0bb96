import { AckPolicy, connect, JSONCodec, type JetStreamClient, type JsMsg, type NatsConnection } from 'nats';
import { simple, workflow, workflowInput } from '@app/domain';
import { TASKS_STREAM, resultSubject, taskSubject, type TaskCommandMessage, type TaskResultMessage } from '@app/messaging';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { duplicatedTransitions } from './support/baton-api';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

const codec = JSONCodec();

describe('at-least-once in, exactly-once effect (real NATS, orchestrator process)', () => {
  let orchestrator: OrchestratorProcess;
  let nc: NatsConnection;
  let js: JetStreamClient;

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('duplicates') });
    nc = await connect({ servers: NATS_URL });
    js = nc.jetstream();
    for (const name of ['manual_task', 'redelivered_task']) {
      await orchestrator.api.expectOk('POST', '/api/metadata/taskdefs', [{ name, retryCount: 0, responseTimeoutSeconds: 60 }]);
      await orchestrator.api.expectOk('POST', '/api/metadata/workflow', workflow(`${name}_flow`).tasks(simple(name, 'only', { n: workflowInput('n') })).build());
    }
  });

  afterAll(async () => {
    await nc?.close();
    await stopAll([orchestrator?.handle]);
  });

  /** Results the orchestrator recognised as duplicates so far (from /metrics). */
  async function duplicateResults(): Promise<number> {
    const metrics = (await orchestrator.api.request('GET', '/metrics')).text;
    const line = metrics.split('\n').find((l) => l.startsWith('baton_commands_total{') && l.includes('command="ApplyTaskResult"') && l.includes('outcome="DUPLICATE_RESULT"'));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  /** Takes the next command of a task type from its work queue, as a worker would. */
  async function takeCommand(taskType: string): Promise<{ command: TaskCommandMessage; message: JsMsg }> {
    const jsm = await nc.jetstreamManager();
    const durable = `test-${taskType}`;
    await jsm.consumers.add(TASKS_STREAM, { durable_name: durable, filter_subject: taskSubject(taskType), ack_policy: AckPolicy.Explicit });
    const consumer = await js.consumers.get(TASKS_STREAM, durable);
    const message = await waitFor(`a ${taskType} command`, async () => consumer.next({ expires: 1_000 }), { timeoutMs: 15_000 });
    return { command: codec.decode(message.data) as TaskCommandMessage, message };
  }

  it('given a scheduled task, when the same result is delivered twice, then history shows exactly one completion and both messages are acknowledged', async () => {
    const id = await orchestrator.api.expectOk('POST', '/api/workflow/manual_task_flow', { n: 1 });
    const { command, message } = await takeCommand('manual_task');
    message.ack();
    const result: TaskResultMessage = { taskId: command.taskId, executionId: id, attempt: command.attempt, status: 'COMPLETED', output: { done: 1 }, workerId: 'test' };

    // Different Msg-Ids, so JetStream's dedupe does not hide the duplicate from Baton.
    await js.publish(resultSubject('manual_task'), codec.encode(result), { msgID: `${command.taskId}-first` });
    await js.publish(resultSubject('manual_task'), codec.encode(result), { msgID: `${command.taskId}-again` });

    await waitFor('the execution to complete', async () => (await orchestrator.api.workflow(id)).status === 'COMPLETED');
    await waitFor('the duplicate to be recognised', async () => (await duplicateResults()) >= 1);
    const jsm = await nc.jetstreamManager();
    await waitFor('both results acknowledged', async () => (await jsm.streams.info('BATON_RESULTS')).state.messages === 0);
    const history = await orchestrator.api.history(id);
    expect(history.filter((event) => event.type === 'TaskCompleted')).toHaveLength(1);
    expect(duplicatedTransitions(history)).toEqual([]);
  });

  it('given a worker, when its task command is delivered again, then the handler runs twice but history shows one completion', async () => {
    const runs: string[] = [];
    const worker: BatonWorker = createWorker({
      taskType: 'redelivered_task',
      natsUrl: NATS_URL,
      // Remembering nothing, like the new process that gets a command after its worker crashed.
      rememberFinishedTasks: 0,
      handler: async (task) => {
        runs.push(task.taskId);
        return { attempt: task.attempt };
      },
    });
    await worker.start();
    try {
      const id = await orchestrator.api.expectOk('POST', '/api/workflow/redelivered_task_flow', { n: 2 });
      await waitFor('the execution to complete', async () => (await orchestrator.api.workflow(id)).status === 'COMPLETED');
      const taskId = (await orchestrator.api.workflow(id)).tasks[0]!.taskId;
      const history = await orchestrator.api.history(id);
      const scheduled = history.find((event) => event.type === 'TaskScheduled')!;
      const command: TaskCommandMessage = {
        taskId,
        taskType: 'redelivered_task',
        executionId: id,
        workflowName: 'redelivered_task_flow',
        workflowVersion: 1,
        taskRefName: 'only',
        attempt: 1,
        input: scheduled.data.input as Record<string, unknown>,
        scheduledAt: Number(scheduled.data.at),
        responseTimeoutSeconds: 60,
      };

      // The same command again, as JetStream redelivers it after a worker crash (a new Msg-Id gets past dedupe).
      await js.publish(taskSubject('redelivered_task'), codec.encode(command), { msgID: `${taskId}-redelivery` });
      await waitFor('the handler to run a second time', () => runs.filter((run) => run === taskId).length === 2);
      // The repeated result carries the same Nats-Msg-Id (<taskId>:<attempt>:COMPLETED): JetStream drops it within
      // its duplicate window, and the decider ignores it if it gets through; either way nothing changes.
      await waitFor('the worker to finish the redelivered command', () => worker.inFlight === 0);
      const jsm = await nc.jetstreamManager();
      await waitFor('results drained', async () => (await jsm.streams.info('BATON_RESULTS')).state.messages === 0);

      const after = await orchestrator.api.history(id);
      expect(after.filter((event) => event.type === 'TaskCompleted')).toHaveLength(1);
      expect(after).toHaveLength(history.length);
      expect(duplicatedTransitions(after)).toEqual([]);
    } finally {
      await worker.stop();
    }
  });
});
