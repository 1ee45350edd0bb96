import path from 'node:path';
import { connect } from 'nats';
import { simple, taskOutput, workflow, workflowInput } from '@app/domain';
import { TASKS_STREAM, workerDurable } from '@app/messaging';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import type { BatonApi } from './support/baton-api';
import { startEsdbTestServer, type EsdbServerProcess } from './support/esdb-server-process';
import { eventsOf, register, start, waitForStatus } from './support/flows';
import { expectError, expectProblems } from './support/http-expect';
import { counterSum } from './support/prometheus-text';
import { NATS_URL, deadLettersOf, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

/*
 * Conductor's polling API end to end: the orchestrator as its own process on real NATS, and the
 * test playing a Conductor SDK worker over HTTP (batch poll → work → POST /api/tasks). Polled
 * commands come from the same JetStream queue SDK workers consume. Run `npm run build` first.
 */

/** Conductor's Task JSON as a poll returns it (the fields these tests read). */
interface PolledTask {
  taskId: string;
  taskType: string;
  referenceTaskName: string;
  workflowInstanceId: string;
  workflowType: string;
  correlationId?: string;
  status: string;
  inputData: Record<string, unknown>;
  workerId?: string;
  pollCount: number;
  retryCount: number;
  responseTimeoutSeconds: number;
  callbackAfterSeconds: number;
}

type Handler = (task: PolledTask) => Promise<Record<string, unknown>>;

/**
 * A Conductor SDK worker in miniature: batch-polls one task type, runs the handler, reports the
 * output with `POST /api/tasks` COMPLETED, until stopped. A failed request ends the loop; `stop()`
 * rethrows it.
 */
class HttpWorker {
  readonly handled: PolledTask[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly api: BatonApi,
    private readonly taskType: string,
    private readonly workerId: string,
    private readonly handler: Handler,
  ) {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      for (const task of await pollBatch(this.api, this.taskType, { count: 4, timeout: 300, workerid: this.workerId })) {
        const outputData = await this.handler(task);
        await this.api.expectOk('POST', '/api/tasks', { workflowInstanceId: task.workflowInstanceId, taskId: task.taskId, status: 'COMPLETED', outputData, workerId: this.workerId });
        this.handled.push(task);
      }
    }
  }
}

async function pollBatch(api: BatonApi, taskType: string, query: Record<string, string | number>): Promise<PolledTask[]> {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]));
  const response = await api.request('GET', `/api/tasks/poll/batch/${taskType}?${search.toString()}`);
  if (response.status !== 200) throw new Error(`batch poll of ${taskType} → ${response.status}: ${response.text}`);
  return response.json() as PolledTask[];
}

/** Polls until a task of this type is handed over (each poll waits up to 500 ms server-side). */
async function pollOne(api: BatonApi, taskType: string, workerId: string): Promise<PolledTask> {
  return waitFor(`a ${taskType} task to poll`, async () => (await pollBatch(api, taskType, { count: 1, timeout: 500, workerid: workerId }))[0], { timeoutMs: 15_000, intervalMs: 10 });
}

/** Conductor's single poll until it hands a task over (each poll waits up to 100 ms server-side; 204 while none). */
async function pollSingle(api: BatonApi, taskType: string, workerId: string): Promise<PolledTask> {
  return waitFor(`a ${taskType} task from the single poll`, async () => {
    const response = await api.request('GET', `/api/tasks/poll/${taskType}?workerid=${workerId}`);
    if (response.status === 204) return undefined;
    if (response.status !== 200) throw new Error(`poll of ${taskType} → ${response.status}: ${response.text}`);
    return response.json() as PolledTask;
  }, { timeoutMs: 15_000, intervalMs: 10 });
}

async function taskOf(api: BatonApi, executionId: string, taskId: string) {
  const found = (await api.workflow(executionId)).tasks.find((task) => task.taskId === taskId) as (PolledTask & Record<string, unknown>) | undefined;
  if (!found) throw new Error(`execution ${executionId} has no task ${taskId}`);
  return found;
}

describe('Conductor polling API (orchestrator process, real NATS, HTTP workers in the test)', () => {
  let orchestrator: OrchestratorProcess;
  let api: BatonApi;
  const workers: BatonWorker[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('task-polling') });
    api = orchestrator.api;
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await stopAll([orchestrator?.handle]);
  });

  it('given a 3-task workflow, when HTTP workers poll and report, then each polled task is IN_PROGRESS with its worker id and the workflow completes with their outputs', async () => {
    await register(
      api,
      ['poll_validate', 'poll_charge', 'poll_ship'].map((name) => ({ name, retryCount: 0, responseTimeoutSeconds: 30 })),
      [
        workflow('poll_order')
          .tasks(
            simple('poll_validate', 'validate', { orderId: workflowInput('orderId') }),
            simple('poll_charge', 'charge', { orderId: workflowInput('orderId'), valid: taskOutput('validate', 'valid') }),
            simple('poll_ship', 'ship', { paymentId: taskOutput('charge', 'paymentId') }),
          )
          .outputs({ trackingId: taskOutput('ship', 'trackingId') })
          .build(),
      ],
    );
    const seenWhilePolled: Record<string, unknown>[] = [];
    const work = (output: (task: PolledTask) => Record<string, unknown>): Handler => async (task) => {
      // What Baton shows while the HTTP worker holds the task.
      seenWhilePolled.push(await taskOf(api, task.workflowInstanceId, task.taskId));
      return output(task);
    };
    const httpWorkers = [
      new HttpWorker(api, 'poll_validate', 'http-validator', work(() => ({ valid: true }))),
      new HttpWorker(api, 'poll_charge', 'http-charger', work((task) => ({ paymentId: `pay-${String(task.inputData.orderId)}` }))),
      new HttpWorker(api, 'poll_ship', 'http-shipper', work((task) => ({ trackingId: `trk-${String(task.inputData.paymentId)}` }))),
    ];

    const id = await api.expectOk('POST', '/api/workflow', { name: 'poll_order', input: { orderId: 'o-1' }, correlationId: 'order-o-1' });
    const done = await waitForStatus(api, id, 'COMPLETED');
    await Promise.all(httpWorkers.map((worker) => worker.stop()));

    expect(done.output).toEqual({ trackingId: 'trk-pay-o-1' });
    expect(done.tasks.map((task) => [task.referenceTaskName, task.status])).toEqual([
      ['validate', 'COMPLETED'],
      ['charge', 'COMPLETED'],
      ['ship', 'COMPLETED'],
    ]);
    const [validate] = httpWorkers[0]!.handled;
    expect(validate).toEqual(
      expect.objectContaining({
        taskId: `${id}-1`,
        taskType: 'poll_validate',
        referenceTaskName: 'validate',
        workflowInstanceId: id,
        workflowType: 'poll_order',
        correlationId: 'order-o-1',
        status: 'IN_PROGRESS',
        inputData: { orderId: 'o-1' },
        workerId: 'http-validator',
        pollCount: 1,
        retryCount: 0,
        responseTimeoutSeconds: 30,
        callbackAfterSeconds: 0,
      }),
    );
    expect(httpWorkers[1]!.handled.map((task) => task.inputData)).toEqual([{ orderId: 'o-1', valid: true }]);
    expect(seenWhilePolled.map((task) => [task.referenceTaskName, task.status, task.workerId])).toEqual([
      ['validate', 'IN_PROGRESS', 'http-validator'],
      ['charge', 'IN_PROGRESS', 'http-charger'],
      ['ship', 'IN_PROGRESS', 'http-shipper'],
    ]);
    // The hand-over is in the history: caused by the caller (anonymous: auth is off here), with the worker id it reported.
    const progress = eventsOf(await api.history(id), 'TaskProgressReported');
    expect(progress.map((event) => [event.data.taskId, event.data.workerId, event.metadata.actor, event.metadata.workerId])).toEqual([
      [`${id}-1`, 'http-validator', 'anonymous', 'http-validator'],
      [`${id}-2`, 'http-charger', 'anonymous', 'http-charger'],
      [`${id}-3`, 'http-shipper', 'anonymous', 'http-shipper'],
    ]);
    // Conductor's task lookup by id.
    const byId = await api.request('GET', `/api/tasks/${id}-2`);
    expect(byId.status).toBe(200);
    expect(byId.json()).toEqual(expect.objectContaining({ taskId: `${id}-2`, referenceTaskName: 'charge', status: 'COMPLETED', workerId: 'http-charger', outputData: { paymentId: 'pay-o-1' } }));
  });

  it('given no task waiting, when polled, then the batch poll answers [] once its timeout passes and the single poll answers 204', async () => {
    const started = Date.now();
    const waited = await api.request('GET', '/api/tasks/poll/batch/poll_nothing_queued?count=10&timeout=200&workerid=idle');
    const answeredAfterMs = Date.now() - started;
    expect({ status: waited.status, body: waited.json() }).toEqual({ status: 200, body: [] });
    expect(answeredAfterMs).toBeLessThan(10_000);

    const immediate = await api.request('GET', '/api/tasks/poll/batch/poll_nothing_queued?timeout=0');
    expect({ status: immediate.status, body: immediate.json() }).toEqual({ status: 200, body: [] });

    const single = await api.request('GET', '/api/tasks/poll/poll_nothing_queued?workerid=idle');
    expect({ status: single.status, text: single.text }).toEqual({ status: 204, text: '' });
  });

  it('given a polled task that is never reported, when its response timeout passes, then it is retried to a new attempt that can be polled and completed', async () => {
    await register(
      api,
      [{ name: 'poll_silent', retryCount: 1, retryDelaySeconds: 0, responseTimeoutSeconds: 1, timeoutPolicy: 'RETRY' }],
      [workflow('poll_silent_flow').tasks(simple('poll_silent', 'silent')).build()],
    );
    const id = await start(api, 'poll_silent_flow');

    const first = await pollSingle(api, 'poll_silent', 'http-gone-quiet');
    expect(first).toEqual(expect.objectContaining({ taskId: `${id}-1`, retryCount: 0, status: 'IN_PROGRESS', workerId: 'http-gone-quiet', responseTimeoutSeconds: 1 }));
    // The worker goes silent; the retry is a new attempt with its own command, reported at once
    // (it has a 1 s response timeout too).
    const second = await pollOne(api, 'poll_silent', 'http-second');
    await api.expectOk('POST', '/api/tasks', { workflowInstanceId: id, taskId: second.taskId, status: 'COMPLETED', outputData: { attempt: 2 }, workerId: 'http-second' });
    const done = await waitForStatus(api, id, 'COMPLETED');

    expect(second).toEqual(expect.objectContaining({ taskId: `${id}-2`, referenceTaskName: 'silent', retryCount: 1, status: 'IN_PROGRESS', workerId: 'http-second' }));
    expect(await taskOf(api, id, first.taskId)).toEqual(expect.objectContaining({ status: 'TIMED_OUT', retried: true, workerId: 'http-gone-quiet' }));
    // The silent worker's late report no longer counts.
    expectError(await api.request('POST', '/api/tasks', { workflowInstanceId: id, taskId: first.taskId, status: 'COMPLETED', outputData: {} }), 409, 'TASK_NOT_PENDING');
    expect(done.tasks.map((task) => task.status)).toEqual(['TIMED_OUT', 'COMPLETED']);
    expect(eventsOf(await api.history(id), 'TaskTimedOut').map((event) => [event.data.taskId, event.data.timeout])).toEqual([[first.taskId, 'RESPONSE_TIMEOUT']]);
  });

  it('given an SDK worker on one task type and an HTTP poller on another, when one workflow needs both, then it completes', async () => {
    await register(
      api,
      [
        { name: 'mixed_pushed', retryCount: 0, responseTimeoutSeconds: 30 },
        { name: 'mixed_polled', retryCount: 0, responseTimeoutSeconds: 30 },
      ],
      [
        workflow('mixed_flow')
          .tasks(simple('mixed_pushed', 'pushed', { n: workflowInput('n') }), simple('mixed_polled', 'polled', { doubled: taskOutput('pushed', 'doubled') }))
          .outputs({ result: taskOutput('polled', 'result') })
          .build(),
      ],
    );
    const sdkWorker = createWorker<{ n: number }>({ taskType: 'mixed_pushed', natsUrl: NATS_URL, workerId: 'sdk-doubler', handler: async (task) => ({ doubled: task.input.n * 2 }) });
    workers.push(sdkWorker);
    await sdkWorker.start();
    const httpWorker = new HttpWorker(api, 'mixed_polled', 'http-adder', async (task) => ({ result: Number(task.inputData.doubled) + 1 }));

    const ids = await Promise.all([1, 2, 3].map((n) => start(api, 'mixed_flow', { n })));
    const done = await Promise.all(ids.map((id) => waitForStatus(api, id, 'COMPLETED')));
    await httpWorker.stop();

    expect(done.map((execution) => execution.output)).toEqual([{ result: 3 }, { result: 5 }, { result: 7 }]);
    for (const execution of done) {
      expect(execution.tasks.map((task) => [task.referenceTaskName, (task as unknown as PolledTask).workerId])).toEqual([
        ['pushed', 'sdk-doubler'],
        ['polled', 'http-adder'],
      ]);
    }
    expect(httpWorker.handled).toHaveLength(3);
  });

  it('given a malformed command and a stale one in a task queue, when polled, then neither is handed over: the malformed one is dead-lettered, the stale one acknowledged', async () => {
    expect(await pollBatch(api, 'poll_junk', { timeout: 0 })).toEqual([]); // creates the durable
    const connection = await connect({ servers: NATS_URL });
    try {
      const js = connection.jetstream();
      await js.publish('baton.task.poll_junk', JSON.stringify({ executionId: 'junk-execution', taskType: 'poll_junk' }));
      const stale = { taskId: 'gone-execution-1', taskType: 'poll_junk', executionId: 'gone-execution', workflowName: 'gone', workflowVersion: 1, taskRefName: 'junk', attempt: 1, input: {}, scheduledAt: Date.now(), responseTimeoutSeconds: 30 };
      await js.publish('baton.task.poll_junk', JSON.stringify(stale));

      expect(await pollBatch(api, 'poll_junk', { count: 10, timeout: 0, workerid: 'http-junk' })).toEqual([]);

      const durable = await (await connection.jetstreamManager()).consumers.info(TASKS_STREAM, workerDurable('poll_junk'));
      expect({ pending: durable.num_pending, unacked: durable.num_ack_pending, delivered: durable.delivered.stream_seq > 0 }).toEqual({ pending: 0, unacked: 0, delivered: true });
      expect(await deadLettersOf(new Set(['junk-execution', 'gone-execution']))).toEqual([{ executionId: 'junk-execution', code: 'VALIDATION_FAILED' }]);
    } finally {
      await connection.close();
    }
  });

  it('given invalid poll parameters, when polled, then a 400 names each field; an unknown task id is a 404', async () => {
    const batch = (query: string, taskType = 'poll_params') => api.request('GET', `/api/tasks/poll/batch/${taskType}?${query}`);
    const countRule = /count must be an integer from 1 to 1000/;
    const timeoutRule = /timeout must be an integer number of milliseconds from 0 to 30000/;

    expectProblems(await batch('count=0'), 'VALIDATION_FAILED', [['count', countRule]]);
    expectProblems(await batch('count=1001'), 'VALIDATION_FAILED', [['count', countRule]]);
    expectProblems(await batch('count=abc'), 'VALIDATION_FAILED', [['count', countRule]]);
    expectProblems(await batch('timeout=-1'), 'VALIDATION_FAILED', [['timeout', timeoutRule]]);
    expectProblems(await batch('timeout=30001'), 'VALIDATION_FAILED', [['timeout', timeoutRule]]);
    expectProblems(await batch('count=2.5&timeout=1e9'), 'VALIDATION_FAILED', [['count', countRule], ['timeout', timeoutRule]]);
    expectProblems(await batch(`workerid=${'w'.repeat(257)}`), 'VALIDATION_FAILED', [['workerid', /workerid must be shorter than or equal to 256 characters/]]);
    expectProblems(await batch('count=1', 'bad.type'), 'VALIDATION_FAILED', [['taskType', /taskType must match/]]);
    expectProblems(await api.request('GET', '/api/tasks/poll/bad%20type'), 'VALIDATION_FAILED', [['taskType', /taskType must match/]]);

    expectError(await api.request('GET', '/api/tasks/00000000-0000-0000-0000-000000000000-1'), 404, 'UNKNOWN_TASK');
    expectError(await api.request('GET', '/api/tasks/not-a-task-id'), 404, 'UNKNOWN_TASK');
  });
});

describe('Conductor polling while the event store is away (EventStoreDB test server process)', () => {
  const TASK = 'poll_outage';
  let dir: string;
  let esdb: EsdbServerProcess | undefined;
  let restarted: EsdbServerProcess | undefined;
  let orchestrator: OrchestratorProcess | undefined;

  beforeAll(async () => {
    await resetBatonStreams();
    dir = tempDir('task-polling-outage');
    esdb = await startEsdbTestServer({ logDir: path.join(dir, 'logs'), dataFile: path.join(dir, 'esdb.jsonl') });
    // The store's return is noticed within 200 ms.
    orchestrator = await startOrchestrator({ dataDir: dir, env: { BATON_EVENT_STORE: esdb.connectionString, BATON_RESULT_RETRY_MAX_MS: '200' } });
  });

  afterAll(async () => {
    await stopAll([orchestrator?.handle]);
    await stopAll([esdb?.handle, restarted?.handle]);
  });

  it('given a queued command, when a poll cannot record its hand-over, then the command stays queued, later polls wait without fetching, and once the store is back it is handed over once', async () => {
    const api = orchestrator!.api;
    await register(api, [{ name: TASK, retryCount: 0, responseTimeoutSeconds: 60 }], [workflow('poll_outage_flow').tasks(simple(TASK, 'only')).build()]);
    const id = await start(api, 'poll_outage_flow');
    await waitFor('the task to be scheduled', async () => (await api.workflow(id)).tasks[0]?.status === 'SCHEDULED');
    const nacked = async () => counterSum((await api.request('GET', '/metrics')).text, 'baton_inbound_messages_total', { subject: `baton.task.${TASK}`, outcome: 'nacked' });

    await esdb!.handle.stop();
    expect(await pollBatch(api, TASK, { count: 5, timeout: 0, workerid: 'http-during-outage' })).toEqual([]);
    expect(await nacked()).toBe(1);
    // Known to be away now: the next poll waits out its timeout without taking the command out again.
    expect(await pollBatch(api, TASK, { count: 5, timeout: 300, workerid: 'http-during-outage' })).toEqual([]);
    expect(await nacked()).toBe(1);
    const connection = await connect({ servers: NATS_URL });
    try {
      const queued = await (await connection.jetstreamManager()).streams.getMessage(TASKS_STREAM, { last_by_subj: `baton.task.${TASK}` });
      expect(JSON.parse(new TextDecoder().decode(queued.data))).toEqual(expect.objectContaining({ taskId: `${id}-1`, executionId: id }));
    } finally {
      await connection.close();
    }

    restarted = await startEsdbTestServer({ logDir: path.join(dir, 'logs'), dataFile: path.join(dir, 'esdb.jsonl'), port: esdb!.port, name: 'esdb-test-server-restarted' });
    const polled = await pollOne(api, TASK, 'http-after-outage');
    expect(polled).toEqual(expect.objectContaining({ taskId: `${id}-1`, status: 'IN_PROGRESS', workerId: 'http-after-outage', pollCount: 2 }));
    await api.expectOk('POST', '/api/tasks', { workflowInstanceId: id, taskId: polled.taskId, status: 'COMPLETED', outputData: { ok: true } });
    await waitForStatus(api, id, 'COMPLETED');
    expect(eventsOf(await api.history(id), 'TaskProgressReported').map((event) => event.data.workerId)).toEqual(['http-after-outage']);
  });
});
