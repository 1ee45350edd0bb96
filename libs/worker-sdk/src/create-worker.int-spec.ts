import { Headers } from '@app/messaging';
import { closeNats, connectNats, DlqCodes } from '@app/messaging';
import { RecordingLogger } from '@app/messaging/testing/recording-logger';
import { waitFor } from '@app/testing/wait-for';
import type { NatsConnection } from 'nats';
import { createWorker, type BatonWorker, type CreateWorkerOptions } from './create-worker';
import type { TaskContext } from './task.context';
import { TerminalError } from './terminal.error';
import { WorkerTestBed } from './testing/worker-test-bed';

// Real servers answer in milliseconds, but a loaded CI machine may need more than Jest's 5 s default.
jest.setTimeout(30_000);

describe('createWorker (real NATS)', () => {
  let nc: NatsConnection;
  let bed: WorkerTestBed;
  let worker: BatonWorker | undefined;
  let logger: RecordingLogger;

  beforeAll(async () => {
    nc = await connectNats({ name: 'worker-int-spec' });
  });

  beforeEach(async () => {
    bed = await WorkerTestBed.create(nc);
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await bed.dispose();
  });

  afterAll(async () => {
    await closeNats(nc);
  });

  async function startWorker(handler: CreateWorkerOptions['handler'], options: Partial<CreateWorkerOptions> = {}): Promise<BatonWorker> {
    worker = createWorker({ taskType: bed.taskType, handler, workerId: 'worker-under-test', logger, ...options });
    await worker.start();
    return worker;
  }

  it('publishes the handler output as a COMPLETED result, then acks the command', async () => {
    // given a worker that charges a card
    await startWorker(async (task: TaskContext) => {
      task.log(`charging order ${String(task.input.orderId)}`);
      return { chargeId: `ch-${String(task.input.orderId)}` };
    });
    const command = bed.command({ attempt: 2, input: { orderId: 'o-9' } });

    // when the orchestrator sends the command, with trace context
    await bed.send(command, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });

    // then the result carries the output, the logs and the worker id, under a deterministic Msg-Id
    await waitFor('the result', () => bed.resultsFor(command.taskId).length === 1);
    const [result] = bed.resultsFor(command.taskId);
    expect(result).toEqual({
      taskId: command.taskId,
      executionId: command.executionId,
      attempt: 2,
      status: 'COMPLETED',
      output: { chargeId: 'ch-o-9' },
      logs: [{ log: 'charging order o-9', createdTime: expect.any(Number) }],
      workerId: 'worker-under-test',
    });
    const message = bed.results.messages[0];
    expect(message.headers?.get(Headers.MsgId)).toBe(`${command.taskId}:2:COMPLETED`);
    expect(message.headers?.get(Headers.TraceParent)).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    await waitFor('the command ack', async () => (await bed.pendingCommands()) === 0);
  });

  it('wraps a result that is not a plain object as { result }', async () => {
    await startWorker(() => 42);
    const command = bed.command();

    await bed.send(command);

    await waitFor('the result', () => bed.resultsFor(command.taskId).length === 1);
    expect(bed.resultsFor(command.taskId)[0].output).toEqual({ result: 42 });
  });

  it('reports a TerminalError as FAILED_WITH_TERMINAL_ERROR with its message', async () => {
    await startWorker(() => {
      throw new TerminalError('card expired');
    });
    const command = bed.command();

    await bed.send(command);

    await waitFor('the result', () => bed.resultsFor(command.taskId).length === 1);
    expect(bed.resultsFor(command.taskId)[0]).toMatchObject({ status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'card expired' });
    expect(bed.results.messages[0].headers?.get(Headers.MsgId)).toBe(`${command.taskId}:1:FAILED_WITH_TERMINAL_ERROR`);
    await waitFor('the command ack', async () => (await bed.pendingCommands()) === 0);
  });

  it('reports any other error as FAILED, for the orchestrator to retry', async () => {
    await startWorker(async () => {
      throw new Error('gateway timeout');
    });
    const command = bed.command();

    await bed.send(command);

    await waitFor('the result', () => bed.resultsFor(command.taskId).length === 1);
    expect(bed.resultsFor(command.taskId)[0]).toMatchObject({ status: 'FAILED', reason: 'gateway timeout' });
    await waitFor('the command ack', async () => (await bed.pendingCommands()) === 0);
  });

  it('sends IN_PROGRESS heartbeats while a slow task runs, and keeps JetStream from redelivering it', async () => {
    // given a task that outlives the ack wait and ends only after three heartbeats
    let calls = 0;
    const started = Date.now();
    const command = bed.command();
    await startWorker(
      async (task: TaskContext) => {
        calls++;
        task.log('started');
        await waitFor('three heartbeats past the ack wait', () => bed.resultsFor(task.taskId).length >= 3 && Date.now() - started > 1_500);
        return { done: true };
      },
      { heartbeatIntervalMs: 150, ackWaitMs: 1_000 },
    );

    // when the command runs
    await bed.send(command);

    // then heartbeats come first (numbered Msg-Ids, the first one with the early log), then the result
    await waitFor('the result', () => bed.resultsFor(command.taskId).some((result) => result.status === 'COMPLETED'), { timeoutMs: 15_000 });
    const statuses = bed.resultsFor(command.taskId).map((result) => result.status);
    expect(statuses.slice(0, 3)).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS']);
    expect(statuses.at(-1)).toBe('COMPLETED');
    expect(bed.results.messages[0].headers?.get(Headers.MsgId)).toBe(`${command.taskId}:1:IN_PROGRESS:1`);
    expect(bed.results.messages[1].headers?.get(Headers.MsgId)).toBe(`${command.taskId}:1:IN_PROGRESS:2`);
    expect(bed.resultsFor(command.taskId)[0].logs).toEqual([{ log: 'started', createdTime: expect.any(Number) }]);
    expect(calls).toBe(1);
  });

  it('given a command that already ran here, when it arrives again as a new message (a republish under another Msg-Id, or a crashed NATS server that forgot the ack), then the handler does not run twice, the same result is sent again and the copy is acked', async () => {
    const runs: Array<{ taskId: string; attempt: number }> = [];
    await startWorker((task: TaskContext) => {
      runs.push({ taskId: task.taskId, attempt: task.attempt });
      return { ok: true };
    });
    const command = bed.command({ attempt: 3 });

    await bed.send(command, { msgId: `${command.taskId}:first-copy` });
    await bed.send(command, { msgId: `${command.taskId}:second-copy` });

    await waitFor('two results and both copies acked', async () => bed.resultsFor(command.taskId).length === 2 && (await bed.pendingCommands()) === 0);
    expect(runs).toEqual([{ taskId: command.taskId, attempt: 3 }]);
    const [first, second] = bed.resultsFor(command.taskId);
    expect(second).toEqual(first);
    expect(bed.results.messages.map((message) => message.headers?.get(Headers.MsgId))).toEqual([`${command.taskId}:3:COMPLETED`, `${command.taskId}:3:COMPLETED`]);
    expect(await bed.storedResults()).toBe(1);
    expect(logger.lines).toContainEqual({ level: 'warn', message: expect.stringContaining(`task ${command.taskId} (attempt 3) was delivered again after it ran here`) });
  });

  it('given remembering finished tasks is turned off, when the same command arrives twice, then the handler runs twice with the same task id and attempt', async () => {
    let runs = 0;
    await startWorker(() => ({ run: (runs += 1) > 0 }), { rememberFinishedTasks: 0 });
    const command = bed.command({ attempt: 1 });

    await bed.send(command, { msgId: `${command.taskId}:first-copy` });
    await bed.send(command, { msgId: `${command.taskId}:second-copy` });

    await waitFor('two results', () => bed.resultsFor(command.taskId).length === 2);
    expect(runs).toBe(2);
  });

  it('finishes an in-flight task on stop and publishes its result before stopping', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let running = false;
    const running$ = await startWorker(async () => {
      running = true;
      await gate;
      return { finished: true };
    });
    const command = bed.command();
    await bed.send(command);
    await waitFor('the task to start', () => running);

    // when the worker is asked to stop while the task runs
    const stopped = running$.stop();
    release();
    await stopped;
    worker = undefined;

    // then the task finished, its result was published, and its command acked
    expect(bed.resultsFor(command.taskId)).toMatchObject([{ status: 'COMPLETED', output: { finished: true } }]);
    await waitFor('the command ack', async () => (await bed.pendingCommands()) === 0);
  });

  it('aborts a task that outlasts the shutdown timeout and leaves its command for another worker', async () => {
    let aborted = false;
    const stuck = await startWorker(
      (task: TaskContext) =>
        new Promise((_resolve, reject) => {
          task.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
      { shutdownTimeoutMs: 100 },
    );
    const command = bed.command();
    await bed.send(command);
    await waitFor('the task to start', () => stuck.inFlight === 1);

    await stuck.stop();
    worker = undefined;

    expect(aborted).toBe(true);
    expect(bed.resultsFor(command.taskId)).toEqual([]);
    expect(await bed.pendingCommands()).toBe(1);
  });

  it('dead-letters a command body that is not a valid task command, without running the handler', async () => {
    const handler = jest.fn();
    await startWorker(handler);

    await bed.send({ taskId: `broken-${bed.taskType}`, taskType: bed.taskType, attempt: 0 });

    await waitFor('the dead letter', () => bed.deadLetters.messages.length === 1);
    const letter = bed.deadLetters.messages[0];
    expect(letter.headers?.get(Headers.DlqCode)).toBe(DlqCodes.ValidationFailed);
    expect(letter.headers?.get(Headers.DlqReason)).toContain('attempt: min');
    expect(letter.headers?.get(Headers.DlqReason)).toContain('executionId: isString');
    expect(handler).not.toHaveBeenCalled();
    await waitFor('the command to be terminated', async () => (await bed.pendingCommands()) === 0);
  });
});
