import {
  ConductorWorkflow,
  Consistency,
  ReturnStrategy,
  EventClient,
  MetadataClient,
  TaskClient,
  TaskManager,
  TaskResultStatusEnum,
  WorkflowExecutor,
  noopLogger,
  orkesConductorClient,
  simpleTask,
  taskDefinition,
  type ConductorWorker,
  type Task,
  type Workflow,
  type WorkflowDef,
  type WorkflowTask,
} from '@io-orkes/conductor-javascript';
import { connect, type NatsConnection } from 'nats';
import { resetBatonStreams, NATS_URL, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

/*
 * Conductor's own TypeScript SDK (@io-orkes/conductor-javascript 4.0.0, pinned) driving Baton:
 * every call goes through the SDK's clients, nothing through Baton's HTTP helpers. The orchestrator
 * runs as its own process on real NATS and a SQLite file; the SDK's TaskManager polls and
 * completes the SIMPLE tasks. Run `npm run build` first.
 */

type SdkClient = Awaited<ReturnType<typeof orkesConductorClient>>;

/**
 * The message of the SDK's error for a refused call. The SDK keeps only the message of Baton's
 * JSON error body (its status is dropped), so tests recognise the refusal by Baton's wording.
 */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return String((error as Error).message ?? error);
  }
  throw new Error('expected the SDK call to be refused');
}

/** A plain JSON definition (what a team migrating from Conductor registers as it is). */
const definition = (name: string, tasks: WorkflowTask[], extra: Partial<WorkflowDef> = {}): WorkflowDef => ({ name, version: 1, schemaVersion: 2, tasks, timeoutSeconds: 0, ...extra });
const simple = (name: string, ref = name, inputParameters: Record<string, unknown> = {}): WorkflowTask => ({ name, taskReferenceName: ref, type: 'SIMPLE', inputParameters });
const waitSignal = (ref: string): WorkflowTask => ({ name: ref, taskReferenceName: ref, type: 'WAIT' });

describe("Conductor's JavaScript SDK against Baton (orchestrator process, real NATS, SQLite file)", () => {
  let orchestrator: OrchestratorProcess;
  let client: SdkClient;
  let executor: WorkflowExecutor;
  let metadata: MetadataClient;
  let tasks: TaskClient;
  let events: EventClient;
  let manager: TaskManager;
  let nc: NatsConnection;
  const handled: Task[] = [];


  /** Waits for an execution, read through the SDK, to satisfy `check`. */
  const waitForWorkflow = (id: string, what: string, check: (workflow: Workflow) => boolean, timeoutMs = 20_000): Promise<Workflow> =>
    waitFor(`${id} ${what}`, async () => {
      const workflow = await executor.getWorkflow(id, true);
      return check(workflow) ? workflow : undefined;
    }, { timeoutMs });

  const workers: ConductorWorker[] = [
    {
      taskDefName: 'sdk_greet',
      execute: async (task) => {
        handled.push(task);
        return { status: 'COMPLETED', outputData: { result: `Hello ${String(task.inputData?.name)}` } };
      },
    },
    {
      taskDefName: 'sdk_flaky',
      // Fails while the input says so: a retry (with the same input) fails again, a rerun with new input passes.
      execute: async (task) => (task.inputData?.fail ? { status: 'FAILED', reasonForIncompletion: 'asked to fail', outputData: {} } : { status: 'COMPLETED', outputData: { ok: true } }),
    },
  ];

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('conductor-js-sdk') });
    client = await orkesConductorClient({ serverUrl: orchestrator.api.baseUrl, logger: noopLogger });
    executor = new WorkflowExecutor(client);
    metadata = new MetadataClient(client);
    tasks = new TaskClient(client);
    events = new EventClient(client);
    nc = await connect({ servers: NATS_URL });
    await metadata.registerTasks([taskDefinition({ name: 'sdk_greet', retryCount: 0, responseTimeoutSeconds: 30, timeoutSeconds: 60 }), taskDefinition({ name: 'sdk_flaky', retryCount: 0, responseTimeoutSeconds: 30, timeoutSeconds: 60 })]);
    manager = new TaskManager(client, workers, { logger: noopLogger, options: { pollInterval: 50, concurrency: 2, workerID: 'sdk-worker', batchPollingTimeout: 100 } });
    manager.startPolling();
  });

  afterAll(async () => {
    await manager?.stopPolling();
    await nc?.close();
    await stopAll([orchestrator?.handle]);
  });

  describe('MetadataClient', () => {
    it('given task definitions, when registered, updated, read and unregistered through the SDK, then Baton keeps each change and forgets the removed one', async () => {
      await metadata.registerTask(taskDefinition({ name: 'sdk_meta_task', retryCount: 2 }));
      await metadata.updateTask({ ...taskDefinition({ name: 'sdk_meta_task', retryCount: 5 }) });

      expect(await metadata.getTask('sdk_meta_task')).toEqual(expect.objectContaining({ name: 'sdk_meta_task', retryCount: 5 }));
      expect((await metadata.getAllTaskDefs()).map((taskDef) => taskDef.name)).toEqual(expect.arrayContaining(['sdk_greet', 'sdk_meta_task']));
      await metadata.unregisterTask('sdk_meta_task');
      expect(await refusal(metadata.getTask('sdk_meta_task'))).toMatch(/no task definition named sdk_meta_task/);
    });

    it('given a workflow definition, when registered twice without overwrite, then the second is 409; with overwrite it replaces; unregistered, it is gone', async () => {
      const v1 = definition('sdk_meta_flow', [simple('sdk_greet', 'greet')]);
      await metadata.registerWorkflowDef(v1);
      const conflict = await refusal(metadata.registerWorkflowDef(v1));
      await metadata.registerWorkflowDef({ ...v1, description: 'replaced' }, true);

      expect(conflict).toMatch(/sdk_meta_flow version 1 is already registered/);
      expect(await metadata.getWorkflowDef('sdk_meta_flow', 1)).toEqual(expect.objectContaining({ name: 'sdk_meta_flow', version: 1, description: 'replaced' }));
      expect((await metadata.getAllWorkflowDefs()).map((def) => def.name)).toContain('sdk_meta_flow');
      await metadata.unregisterWorkflow('sdk_meta_flow', 1);
      expect(await refusal(metadata.getWorkflowDef('sdk_meta_flow', 1))).toMatch(/no workflow definition named sdk_meta_flow with version 1/);
    });
  });

  describe('ConductorWorkflow, WorkflowExecutor and a TaskManager worker', () => {
    // The builder sends `failureWorkflow: ""` and `inputTemplate: {}` (Conductor accepts both: no failure workflow, no defaults).
    it('given a workflow built with ConductorWorkflow, when registered and started, then the SDK worker polls and completes it and the output is the worker result', async () => {
      const flow = new ConductorWorkflow(executor, 'sdk_builder_flow')
        .add(simpleTask('greet_ref', 'sdk_greet', { name: '${workflow.input.name}' }))
        .outputParameters({ greeting: '${greet_ref.output.result}' });
      await flow.register();

      const id = await flow.startWorkflow({ name: 'Conductor' }, 'corr-builder');
      const done = await waitForWorkflow(id, 'COMPLETED', (workflow) => workflow.status === 'COMPLETED');

      expect(done.output).toEqual({ greeting: 'Hello Conductor' });
      expect(done.correlationId).toBe('corr-builder');
    });

    it('given a registered workflow, when started through the SDK, then the worker gets a Conductor Task, completes it, and get/status/search show the result', async () => {
      await executor.registerWorkflow(true, definition('sdk_greet_flow', [simple('sdk_greet', 'greet_ref', { name: '${workflow.input.name}' })], { outputParameters: { greeting: '${greet_ref.output.result}' } }));

      const id = await executor.startWorkflow({ name: 'sdk_greet_flow', version: 1, input: { name: 'Baton' }, correlationId: 'corr-1' });
      const done = await waitForWorkflow(id, 'COMPLETED', (workflow) => workflow.status === 'COMPLETED');
      const status = await executor.getWorkflowStatus(id, true, true);
      const polled = handled.find((task) => task.workflowInstanceId === id);
      const search = await waitFor('the search to list it', async () => {
        const result = await executor.search(0, 10, 'workflowType = sdk_greet_flow AND status = COMPLETED', '*');
        return result.results?.some((summary) => summary.workflowId === id) ? result : undefined;
      });

      expect(done.output).toEqual({ greeting: 'Hello Baton' });
      expect(done.tasks?.[0]).toEqual(expect.objectContaining({ taskType: 'sdk_greet', referenceTaskName: 'greet_ref', status: 'COMPLETED', workerId: 'sdk-worker', outputData: { result: 'Hello Baton' } }));
      expect(polled).toEqual(expect.objectContaining({ taskType: 'sdk_greet', status: 'IN_PROGRESS', inputData: { name: 'Baton' }, workflowType: 'sdk_greet_flow' }));
      expect(status).toEqual({ workflowId: id, correlationId: 'corr-1', output: { greeting: 'Hello Baton' }, variables: {}, status: 'COMPLETED' });
      expect(search.totalHits).toBeGreaterThanOrEqual(1);
      const byName = await executor.startWorkflowByName('sdk_greet_flow', { name: 'again' }, 1, 'corr-2');
      expect((await waitForWorkflow(byName, 'COMPLETED', (workflow) => workflow.status === 'COMPLETED')).output).toEqual({ greeting: 'Hello again' });
    });

    it('given a workflow waiting on a signal, when paused, resumed, signalled and completed through the SDK, then each control shows in its status', async () => {
      await executor.registerWorkflow(true, definition('sdk_signal_flow', [waitSignal('approve'), waitSignal('ship')]));
      const id = await executor.startWorkflow({ name: 'sdk_signal_flow', input: {} });

      await executor.pause(id);
      expect((await executor.getWorkflowStatus(id, false, false)).status).toBe('PAUSED');
      await executor.resume(id);
      expect((await executor.getWorkflowStatus(id, false, false)).status).toBe('RUNNING');

      const signalled = await executor.signal(id, TaskResultStatusEnum.COMPLETED, { approvedBy: 'ops' });
      expect(signalled).toEqual(expect.objectContaining({ responseType: 'TARGET_WORKFLOW', workflowId: id, status: 'RUNNING' }));
      expect(signalled.getWorkflow().tasks?.map((task) => [task.referenceTaskName, task.status])).toEqual([
        ['approve', 'COMPLETED'],
        ['ship', 'IN_PROGRESS'],
      ]);
      await executor.signalAsync(id, TaskResultStatusEnum.COMPLETED, { shipped: true });
      const done = await waitForWorkflow(id, 'COMPLETED', (workflow) => workflow.status === 'COMPLETED');
      // The SDK (4.0.0) posts the signal body as `{ taskOutput }`; Conductor stores the body as the output, and so does Baton.
      expect(done.tasks?.map((task) => [task.referenceTaskName, task.outputData])).toEqual([
        ['approve', { taskOutput: { approvedBy: 'ops' } }],
        ['ship', { taskOutput: { shipped: true } }],
      ]);
    });

    it('given a task completed by reference name, by id and synchronously, when done through the SDK, then each lands on the right task', async () => {
      await executor.registerWorkflow(true, definition('sdk_update_flow', [waitSignal('first'), waitSignal('second'), waitSignal('third')]));
      const id = await executor.startWorkflow({ name: 'sdk_update_flow', input: {} });

      await executor.updateTaskByRefName('first', id, 'COMPLETED', { n: 1 });
      const second = await waitFor('the second task', async () => (await executor.getWorkflow(id, true)).tasks?.find((task) => task.referenceTaskName === 'second'));
      await executor.updateTask(second.taskId!, id, 'COMPLETED', { n: 2 });
      expect((await executor.getTask(second.taskId!)).status).toBe('COMPLETED');
      const synced = await waitFor('the third task to be pending', () => executor.updateTaskSync('third', id, TaskResultStatusEnum.COMPLETED, { n: 3 }).catch(() => undefined));

      expect(synced.status).toBe('COMPLETED');
      expect(synced.tasks?.map((task) => task.referenceTaskName)).toEqual(['first', 'second', 'third']);
    });

    it('given a failing task, when the workflow fails, then retry, rerun with new input, restart and skip work through the SDK', async () => {
      await executor.registerWorkflow(true, definition('sdk_ops_flow', [simple('sdk_flaky', 'flaky', { fail: '${workflow.input.fail}' }), waitSignal('hold')]));
      const id = await executor.startWorkflow({ name: 'sdk_ops_flow', input: { fail: true } });
      await waitForWorkflow(id, 'FAILED', (workflow) => workflow.status === 'FAILED');

      await executor.retry(id, false);
      const retried = await waitForWorkflow(id, 'FAILED again', (workflow) => workflow.status === 'FAILED' && (workflow.tasks?.length ?? 0) === 2);
      expect(retried.tasks?.map((task) => [task.referenceTaskName, task.retryCount, task.status])).toEqual([
        ['flaky', 0, 'FAILED'],
        ['flaky', 1, 'FAILED'],
      ]);

      const rerunId = await executor.reRun(id, { reRunFromTaskId: retried.tasks![1]!.taskId, taskInput: { fail: false } });
      expect(rerunId).toBe(id);
      const held = await waitForWorkflow(id, 'at the WAIT', (workflow) => workflow.tasks?.some((task) => task.referenceTaskName === 'hold') ?? false);
      expect(held.tasks?.find((task) => task.referenceTaskName === 'flaky' && task.status === 'COMPLETED')).toBeDefined();

      await executor.skipTasksFromWorkflow(id, 'hold', { taskOutput: { skipped: true } });
      const skipped = await waitForWorkflow(id, 'COMPLETED', (workflow) => workflow.status === 'COMPLETED');
      expect(skipped.tasks?.find((task) => task.referenceTaskName === 'hold')?.status).toBe('SKIPPED');

      // A restart runs from the start with the original input, which fails again.
      await executor.restart(id, false);
      const restarted = await waitForWorkflow(id, 'FAILED after the restart', (workflow) => workflow.status === 'FAILED');
      expect(restarted.tasks).toHaveLength(1);
    });

    it('given a workflow with a WAIT for a signal, when executed synchronously, then the call returns once it blocks there; a short wait on a timer returns with signalTimeout', async () => {
      await executor.registerWorkflow(true, definition('sdk_exec_flow', [simple('sdk_greet', 'greet', { name: 'sync' }), waitSignal('approval')]));
      await executor.registerWorkflow(true, definition('sdk_exec_slow', [{ name: 'pause', taskReferenceName: 'pause', type: 'WAIT', inputParameters: { duration: '1 hour' } }]));

      const run = await executor.executeWorkflow({ name: 'sdk_exec_flow', version: 1, input: {} }, 'sdk_exec_flow', 1, 'req-1');
      const slow = await executor.executeWorkflow({ name: 'sdk_exec_slow', input: {} }, 'sdk_exec_slow', 1, 'req-2', '', 1, Consistency.DURABLE, ReturnStrategy.TARGET_WORKFLOW);

      expect(run).toEqual(expect.objectContaining({ status: 'RUNNING', requestId: 'req-1' }));
      expect(run.tasks?.map((task) => [task.referenceTaskName, task.status])).toEqual([
        ['greet', 'COMPLETED'],
        ['approval', 'IN_PROGRESS'],
      ]);
      expect(slow).toEqual(expect.objectContaining({ status: 'RUNNING', signalTimeout: true }));
    });

    it('given executions with correlation ids, when listed by correlation and as running, then both answer through the SDK resources; a removed one is gone', async () => {
      await executor.registerWorkflow(true, definition('sdk_list_flow', [waitSignal('hold')]));
      const first = await executor.startWorkflow({ name: 'sdk_list_flow', input: {}, correlationId: 'order-7' });
      const second = await executor.startWorkflow({ name: 'sdk_list_flow', input: {}, correlationId: 'order-8' });

      const correlated = await waitFor('both in the read model', async () => {
        // The SDK's generated client at Conductor OSS's path (its WorkflowExecutor only wraps Orkes' batch variant).
        const { data } = (await client.post({ url: '/api/workflow/{name}/correlated', path: { name: 'sdk_list_flow' }, body: ['order-7', 'order-8', 'order-9'], headers: { 'Content-Type': 'application/json' }, throwOnError: true })) as { data: Record<string, Workflow[]> };
        return data['order-7']?.length && data['order-8']?.length ? data : undefined;
      });
      expect(Object.fromEntries(Object.entries(correlated).map(([key, list]) => [key, list.map((workflow) => workflow.workflowId)]))).toEqual({ 'order-7': [first], 'order-8': [second], 'order-9': [] });

      await executor.terminate(second, 'not needed');
      await executor.deleteWorkflow(second);
      expect(await refusal(executor.getWorkflow(second, false))).toMatch(`no execution with id ${second}`);
      const running = await waitFor('the running list without the removed one', async () => {
        const { data } = (await client.get({ url: '/api/workflow/running/{name}', path: { name: 'sdk_list_flow' }, throwOnError: true })) as { data: string[] };
        return data.includes(first) && !data.includes(second) ? data : undefined;
      });
      expect(running).toContain(first);
    });
  });

  describe('TaskClient', () => {
    it('given a completed task, when its logs, search, queue size and poll data are read through the SDK, then each answers as Conductor', async () => {
      const id = await executor.startWorkflow({ name: 'sdk_greet_flow', input: { name: 'logs' } });
      const done = await waitForWorkflow(id, 'COMPLETED', (workflow) => workflow.status === 'COMPLETED');
      const taskId = done.tasks![0]!.taskId!;

      await tasks.addTaskLog(taskId, 'checked by the SDK suite');
      const logs = await tasks.getTaskLogs(taskId);
      const found = await waitFor('the task in task search', async () => {
        const result = await tasks.search(0, 20, '', '*', `workflowId = ${id}`);
        return result.results?.length ? result : undefined;
      });
      const sizes = await tasks.getQueueSizeForTask(['sdk_greet', 'sdk_nobody_polls']);
      const pollData = await tasks.getTaskPollData('sdk_greet');

      expect(logs).toEqual([expect.objectContaining({ log: 'checked by the SDK suite', taskId, createdTime: expect.any(Number) })]);
      expect(found.results?.[0]).toEqual(expect.objectContaining({ taskId, taskType: 'sdk_greet', status: 'COMPLETED', workflowId: id }));
      expect(sizes).toEqual({ sdk_greet: 0, sdk_nobody_polls: 0 });
      expect(pollData).toEqual([expect.objectContaining({ queueName: 'sdk_greet', workerId: 'sdk-worker', lastPollTime: expect.any(Number) })]);
    });

    it('given a task queued with nobody polling, when the queue size is read, then it counts it', async () => {
      await executor.registerWorkflow(true, definition('sdk_queue_flow', [simple('sdk_unpolled')]));
      await executor.startWorkflow({ name: 'sdk_queue_flow', input: {} });

      const sizes = await waitFor('the command in the queue', async () => {
        const answer = await tasks.getQueueSizeForTask(['sdk_unpolled']);
        return answer.sdk_unpolled === 1 ? answer : undefined;
      });
      expect(sizes).toEqual({ sdk_unpolled: 1 });
    });
  });

  describe('EventClient', () => {
    it('given an event handler added through the SDK, when an event arrives on its subject, then it starts the workflow; updated and removed, it is listed accordingly', async () => {
      await executor.registerWorkflow(true, definition('sdk_event_flow', [waitSignal('hold')]));
      const handler = {
        name: 'sdk_start_on_order',
        event: 'nats:sdk.orders.created',
        active: true,
        actions: [{ action: 'start_workflow' as const, start_workflow: { name: 'sdk_event_flow', correlationId: '${orderId}', input: { orderId: '${orderId}' } } }],
      };
      await events.addEventHandler(handler);
      expect((await events.getAllEventHandlers()).map((h) => h.name)).toContain('sdk_start_on_order');
      expect((await events.getEventHandlersForEvent('nats:sdk.orders.created', true)).map((h) => h.name)).toEqual(['sdk_start_on_order']);

      const started = await waitFor('the handler to start an execution', async () => {
        nc.publish('sdk.orders.created', JSON.stringify({ orderId: 'o-77' }));
        const result = await executor.search(0, 5, 'workflowType = sdk_event_flow AND correlationId = o-77', '*');
        return result.results?.[0];
      });
      expect(started).toEqual(expect.objectContaining({ workflowType: 'sdk_event_flow', correlationId: 'o-77' }));

      await events.updateEventHandler({ ...handler, active: false });
      expect(await events.getEventHandlersForEvent('nats:sdk.orders.created', true)).toEqual([]);
      await events.removeEventHandler('sdk_start_on_order');
      expect((await events.getAllEventHandlers()).map((h) => h.name)).not.toContain('sdk_start_on_order');
    });
  });

  describe('WorkflowExecutor.testWorkflow', () => {
    it('given a definition and mocked task outputs, when tested through the SDK, then Baton answers the Workflow the mocks lead to, without a worker', async () => {
      const result = await executor.testWorkflow({
        name: 'sdk_tested',
        workflowDef: definition('sdk_tested', [simple('sdk_never_polled', 'first'), simple('sdk_never_polled', 'second', { from: '${first.output.value}' })], { outputParameters: { last: '${second.output.echo}' } }),
        input: {},
        taskRefToMockOutput: { first: [{ status: 'FAILED' }, { status: 'COMPLETED', output: { value: 7 } }], second: [{ status: 'COMPLETED', output: { echo: 'seven' } }] },
      });

      expect(result.status).toBe('COMPLETED');
      expect(result.output).toEqual({ last: 'seven' });
      expect(result.tasks?.map((task) => [task.referenceTaskName, task.status])).toEqual([
        ['first', 'FAILED'],
        ['first', 'COMPLETED'],
        ['second', 'COMPLETED'],
      ]);
    });
  });

  describe('paths Conductor serves that Baton does not', () => {
    it('given an Orkes-only call, when made through the SDK, then it fails with 404 naming the path (never a misleading "no execution")', async () => {
      const answer = await refusal(executor.getByCorrelationIds({ workflowNames: ['sdk_list_flow'], correlationIds: ['order-7'] }));

      expect(answer).toMatch('Baton does not serve POST /api/workflow/correlated/batch');
    });
  });
});
