import { executionStream, forkJoin, publishEvent, simple, startWorkflowTask, subWorkflow, wait, workflow, workflowInput, type ExecutionEvent, type WorkflowDef } from '@app/domain';
import { InMemoryEventStore } from '@app/event-store';
import { ProjectionScenario } from '@app/testing/projections/projection-scenario';
import { ReadModelScratch } from '@app/testing/projections/read-model-scratch';
import type { NatsConnection } from 'nats';
import { loadConfig } from '../config/baton-config';
import { idempotencyStream } from '../executions/idempotency.service';
import { commandCore, register, type CommandCore } from '../testing/command-core';
import { RecordingPublisher } from '../testing/recording-publisher';
import { EventTaskReactions } from './event-task-reactions.service';
import { LifecycleReactions } from './lifecycle-reactions.projection';
import { SubWorkflowReactions } from './sub-workflow-reactions.service';
import { StartWorkflowReactions } from './start-workflow-reactions.service';
import type { ConductorQueue } from '../event-handlers/conductor-queue.service';

const charge = workflow('charge').tasks(simple('charge_payment', 'charge')).failureWorkflow('refund').build();
const refund = workflow('refund').tasks(simple('refund_payment', 'refund')).build();
const parent = workflow('parent').tasks(subWorkflow('child', 'child_flow', { orderId: workflowInput('orderId') })).build();
const child = workflow('child_flow').tasks(simple('work', 'work')).outputs({ done: '${work.output.done}' }).build();
const orphan = workflow('orphan').tasks(subWorkflow('child', 'no_such_flow')).build();
/** Starts itself: nests until the depth limit fails the deepest SUB_WORKFLOW task. */
const recursive = workflow('recursive').tasks(subWorkflow('again', 'recursive')).build();
/** Starts itself as an optional task, then waits: a chain of executions as deep as the limit, all running. */
const nesting = workflow('nesting').tasks({ ...subWorkflow('deeper', 'nesting'), optional: true }, wait('hold')).build();
/** A child runs beside a worker task whose failure fails the parent. */
const forked = workflow('forked_parent').tasks(...forkJoin('both', [[subWorkflow('child', 'nesting')], [simple('charge_payment', 'charge')]])).build();
const announce = workflow('announce').tasks(publishEvent('announce', 'jsm:orders.announced', { orderId: workflowInput('orderId') })).build();
const kickOff = workflow('kick_off').tasks(startWorkflowTask('audit', 'charge', { orderId: workflowInput('orderId') }), simple('work', 'work')).build();
const kickOffMissing = workflow('kick_off_missing').tasks(startWorkflowTask('audit', 'no_such_flow')).build();
const notify = workflow('notify').tasks(publishEvent('ready', 'conductor:order_ready'), publishEvent('plain', 'conductor')).build();
const noRetries = ['charge_payment', 'refund_payment', 'work'].map((name) => ({ name, retryCount: 0 }));
const api = { causationId: 'http:test', actor: 'api:test' };
const types = (events: readonly ExecutionEvent[]) => events.map((event) => event.type);

/**
 * The lifecycle reactions through the projection scenario kit: given a history written by the
 * in-process command core, when the read-model projection runs the reactions over it, then what
 * they published and the commands they issued (read back from the store).
 */
describe('LifecycleReactions (projection scenario, in process)', () => {
  const scratch = new ReadModelScratch('sqlite');
  let core: CommandCore;
  let publisher: RecordingPublisher;
  let scenario: ProjectionScenario;
  let failPublishes: boolean;
  let delivered: { queue: string; payload: Record<string, unknown>; messageId: string }[];

  function reactions(options: { resumed?: boolean; maxSubWorkflowDepth?: number } = {}): LifecycleReactions {
    const nats = { publish: () => undefined } as unknown as NatsConnection;
    const jetstream = {
      publish: (subject: string, body: unknown, opts?: { msgId?: string }) => (failPublishes ? Promise.reject(new Error('no stream matches the subject')) : publisher.publish(subject, body, opts)),
    } as unknown as ReturnType<RecordingPublisher['asPublisher']>;
    const subWorkflows = new SubWorkflowReactions(core.repository, core.executions, { maxSubWorkflowDepth: options.maxSubWorkflowDepth ?? 32 });
    const queue = { deliver: (name: string, payload: Record<string, unknown>, messageId: string) => (delivered.push({ queue: name, payload, messageId }), Promise.resolve(['on_ready'])) } as unknown as ConductorQueue;
    const eventTasks = new EventTaskReactions(core.repository, core.executions, jetstream, nats, queue);
    const startWorkflows = new StartWorkflowReactions(core.repository, core.executions);
    const lifecycle = new LifecycleReactions(publisher.asPublisher(), core.repository, core.executions, core.clock, loadConfig({}), subWorkflows, eventTasks, startWorkflows);
    lifecycle.reactToAllAfterCheckpoint(options.resumed ?? false);
    return lifecycle;
  }

  async function start(name: string, input: Record<string, unknown> = {}): Promise<string> {
    return (await core.executions.start({ name, input }, api)).executionId;
  }

  beforeEach(async () => {
    core = commandCore(new InMemoryEventStore());
    await register(core, [charge, refund, parent, child, orphan, announce, recursive, nesting, forked, kickOff, kickOffMissing, notify], noRetries);
    publisher = new RecordingPublisher();
    failPublishes = false;
    delivered = [];
    core.clock.advance(Date.now() - core.clock.now());
    scenario = await ProjectionScenario.open(scratch, core.store);
  });

  afterEach(() => scenario.close());
  afterAll(() => scratch.dispose());

  describe('given an execution that failed and names a failure workflow', () => {
    let failedId: string;

    beforeEach(async () => {
      failedId = await start('charge', { orderId: 'o-1' });
      await core.executions.command(failedId, { type: 'ApplyTaskResult', taskId: `${failedId}-1`, status: 'FAILED', reason: 'card declined', workerId: 'w1' }, api);
    });

    it('when projected, then its end is published once and its compensation starts with the failure as input', async () => {
      await scenario.whenProjected(reactions());

      const [end] = publisher.on('baton.execution.FAILED');
      expect(publisher.on('baton.execution.FAILED')).toHaveLength(1);
      expect(end).toMatchObject({ msgId: expect.stringMatching(new RegExp(`^${failedId}:FAILED:\\d+$`)), body: { executionId: failedId, workflowName: 'charge', status: 'FAILED' } });
      const revision = end!.msgId!.split(':').at(-1)!;
      const [claim] = await core.store.readStream(idempotencyStream('refund', `failure:${failedId}:${revision}`));
      const compensationId = (claim!.data as { executionId: string }).executionId;
      const [started] = await scenario.eventsOf(compensationId);
      expect(started).toMatchObject({
        type: 'ExecutionStarted',
        data: { input: { workflowId: failedId, workflowType: 'charge', failureStatus: 'FAILED', failedTaskRefName: 'charge', input: { orderId: 'o-1' } } },
      });
    });

    it('when projected again into a read model built from scratch, then nothing is repeated', async () => {
      await scenario.whenProjected(reactions());
      const compensations = (await core.store.readAll({ filter: { eventTypePrefixes: ['ExecutionStarted'] } })).length;

      const rebuilt = await ProjectionScenario.open(scratch, core.store);
      await rebuilt.whenProjected(reactions());

      // Published again under the same Nats-Msg-Id, which JetStream drops; the compensation is not started twice.
      const ends = publisher.on('baton.execution.FAILED');
      expect(ends).toHaveLength(2);
      expect(ends[1]!.msgId).toBe(ends[0]!.msgId);
      expect((await core.store.readAll({ filter: { eventTypePrefixes: ['ExecutionStarted'] } })).length).toBe(compensations);
    });

    it('when a read model built from scratch replays it after the reaction window, then it does not react; resuming from a checkpoint, it does', async () => {
      core.clock.advance(16 * 60_000);

      await scenario.whenProjected(reactions({ resumed: false }));
      expect(publisher.messages).toEqual([]);

      const resumed = await ProjectionScenario.open(scratch, core.store);
      await resumed.whenProjected(reactions({ resumed: true }));
      expect(publisher.on('baton.execution.FAILED')).toHaveLength(1);
    });
  });

  describe('given a SUB_WORKFLOW task scheduled', () => {
    it('when projected, then the child starts linked to it and the parent task records the child; when the child completes, then the parent task completes with its output', async () => {
      const parentId = await start('parent', { orderId: 'o-2' });

      await scenario.whenProjected(reactions());

      const parentTask = (await core.executions.get(parentId)).tasks[`${parentId}-1`]!;
      expect(parentTask.status).toBe('IN_PROGRESS');
      const childId = parentTask.output['subWorkflowId'] as string;
      const childState = await core.executions.get(childId);
      expect(childState).toMatchObject({ status: 'RUNNING', parent: { executionId: parentId, taskId: `${parentId}-1` }, input: { orderId: 'o-2' } });

      await core.executions.command(childId, { type: 'ApplyTaskResult', taskId: `${childId}-1`, status: 'COMPLETED', output: { done: true }, workerId: 'w1' }, api);
      await scenario.whenProjected(reactions());

      const after = await core.executions.get(parentId);
      expect(after.tasks[`${parentId}-1`]).toMatchObject({ status: 'COMPLETED', output: { done: true, subWorkflowId: childId } });
      expect(after.status).toBe('COMPLETED');
      expect(publisher.on('baton.execution.COMPLETED').map((message) => (message.body as { executionId: string }).executionId).sort()).toEqual([childId, parentId].sort());
    });

    it('when its child workflow is not registered, then the task fails for good and so does the parent', async () => {
      const parentId = await start('orphan');

      await scenario.whenProjected(reactions());

      const after = await core.executions.get(parentId);
      expect(after.tasks[`${parentId}-1`]).toMatchObject({ status: 'FAILED_WITH_TERMINAL_ERROR', reason: expect.stringContaining('no_such_flow') });
      expect(after.status).toBe('FAILED');
    });
  });

  describe('given SUB_WORKFLOW children nesting', () => {
    /** Every execution of a workflow in the store, with its ExecutionStarted data. */
    async function executionsOf(definition: WorkflowDef): Promise<{ id: string; depth: number }[]> {
      const starts = await core.store.readAll({ filter: { eventTypePrefixes: ['ExecutionStarted'] } });
      return starts
        .map((event) => event.data as { executionId: string; definition: { name: string }; parent?: { depth?: number } })
        .filter((data) => data.definition.name === definition.name)
        .map((data) => ({ id: data.executionId, depth: data.parent?.depth ?? 0 }));
    }

    it('when a workflow starts itself, then children nest up to BATON_MAX_SUBWORKFLOW_DEPTH, the deepest task fails with the reason, and every execution ends FAILED', async () => {
      const rootId = await start('recursive');

      await scenario.whenProjected(reactions({ maxSubWorkflowDepth: 3 }));

      const all = await executionsOf(recursive);
      expect(all.map((execution) => execution.depth).sort()).toEqual([0, 1, 2, 3]);
      for (const { id } of all) expect((await core.executions.get(id)).status).toBe('FAILED');
      const deepest = await core.executions.get(all.find((execution) => execution.depth === 3)!.id);
      expect(deepest.tasks[`${deepest.executionId}-1`]).toMatchObject({
        status: 'FAILED_WITH_TERMINAL_ERROR',
        reason: 'sub workflow recursive not started: it would be nested 4 levels deep, more than BATON_MAX_SUBWORKFLOW_DEPTH (3)',
      });
      expect((await core.executions.get(rootId)).reason).toContain('sub workflow');
    });

    it('when the root of a running chain is terminated, then every descendant is terminated, each caused by its parent\'s end', async () => {
      const rootId = await start('nesting');
      await scenario.whenProjected(reactions({ maxSubWorkflowDepth: 3 }));
      const chain = await executionsOf(nesting);
      expect(chain).toHaveLength(4);
      for (const { id } of chain) expect((await core.executions.get(id)).status).toBe('RUNNING');

      await core.executions.terminate(rootId, 'operator stop', api);
      await scenario.whenProjected(reactions({ maxSubWorkflowDepth: 3 }));

      for (const { id } of chain) {
        const state = await core.executions.get(id);
        expect(state.status).toBe('TERMINATED');
        if (!state.parent) continue;
        const stored = await core.store.readStream(executionStream(id));
        const ended = stored.find((event) => event.type === 'ExecutionTerminated')!;
        const parentEnd = (await core.store.readStream(executionStream(state.parent.executionId))).find((event) => event.type === 'ExecutionTerminated')!;
        expect(ended.metadata).toMatchObject({ causationId: `${executionStream(state.parent.executionId)}@${parentEnd.revision}`, actor: 'orchestrator:sub-workflow' });
        expect(ended.data).toMatchObject({ reason: `parent ${state.parent.executionId} ended TERMINATED` });
      }
    });

    it('when a parent fails while its child runs, then the child and its descendants are terminated too (as Conductor cancels a SUB_WORKFLOW task)', async () => {
      const parentId = await start('forked_parent');
      await scenario.whenProjected(reactions({ maxSubWorkflowDepth: 2 }));
      const chain = await executionsOf(nesting);
      expect(chain.map((execution) => execution.depth).sort()).toEqual([1, 2]);

      const charge = Object.values((await core.executions.get(parentId)).tasks).find((task) => task.taskRefName === 'charge')!;
      await core.executions.command(parentId, { type: 'ApplyTaskResult', taskId: charge.taskId, status: 'FAILED', reason: 'card declined', workerId: 'w1' }, api);
      await scenario.whenProjected(reactions({ maxSubWorkflowDepth: 2 }));

      expect((await core.executions.get(parentId)).status).toBe('FAILED');
      for (const { id } of chain) expect(await core.executions.get(id)).toMatchObject({ status: 'TERMINATED', reason: expect.stringMatching(/^parent .+ ended (FAILED|TERMINATED)$/) });
    });

    it('when the cascade is projected again from scratch (a restart), then nothing is appended twice', async () => {
      const rootId = await start('nesting');
      await scenario.whenProjected(reactions({ maxSubWorkflowDepth: 2 }));
      await core.executions.terminate(rootId, 'operator stop', api);
      await scenario.whenProjected(reactions({ maxSubWorkflowDepth: 2 }));
      const stored = (await core.store.readAll({})).length;

      const rebuilt = await ProjectionScenario.open(scratch, core.store);
      await rebuilt.whenProjected(reactions({ resumed: true, maxSubWorkflowDepth: 2 }));

      expect((await core.store.readAll({})).length).toBe(stored);
    });

    it('when the parent was terminated before its SUB_WORKFLOW was reacted to, then no child is started', async () => {
      const parentId = await start('parent', { orderId: 'o-5' });
      await core.executions.terminate(parentId, 'operator stop', api);

      await scenario.whenProjected(reactions());

      expect(await executionsOf(child)).toEqual([]);
    });

    it('when a child was started but never recorded on its parent (a crash) and the parent then ended, then the child is terminated', async () => {
      const parentId = await start('parent', { orderId: 'o-6' });
      const { executionId: childId } = await core.executions.start(
        { name: 'child_flow', idempotencyKey: `subworkflow:${parentId}-1`, idempotencyStrategy: 'RETURN_EXISTING', parent: { executionId: parentId, taskId: `${parentId}-1`, depth: 1 } },
        api,
      );
      await core.executions.terminate(parentId, 'operator stop', api);

      await scenario.whenProjected(reactions());

      expect(await core.executions.get(childId)).toMatchObject({ status: 'TERMINATED', reason: `parent ${parentId} (TERMINATED) no longer waits for it: its task ${parentId}-1 is CANCELED` });
    });

    it('when the parent ends while its child is being started, then the child is terminated', async () => {
      const parentId = await start('parent', { orderId: 'o-7' });
      const executions = core.executions;
      // The parent is terminated right before the child starts: its end finds no child to terminate.
      const racing = Object.create(executions, {
        start: { value: async (...args: Parameters<typeof executions.start>) => (await executions.terminate(parentId, 'operator stop', api), executions.start(...args)) },
      }) as typeof executions;
      const nats = { publish: () => undefined } as unknown as NatsConnection;
      const unusedQueue = { deliver: () => Promise.reject(new Error('no conductor sink in this scenario')) } as unknown as ConductorQueue;
      const subWorkflows = new SubWorkflowReactions(core.repository, racing, { maxSubWorkflowDepth: 32 });
      const lifecycle = new LifecycleReactions(publisher.asPublisher(), core.repository, core.executions, core.clock, loadConfig({}), subWorkflows, new EventTaskReactions(core.repository, core.executions, publisher.asPublisher(), nats, unusedQueue), new StartWorkflowReactions(core.repository, core.executions));

      await scenario.whenProjected(lifecycle);

      const [started] = await executionsOf(child);
      expect(await core.executions.get(started!.id)).toMatchObject({ status: 'TERMINATED', parent: { executionId: parentId } });
    });
  });

  describe('given an EVENT task scheduled', () => {
    it('when projected, then its payload is published to the sink under the task id and the task completes', async () => {
      const id = await start('announce', { orderId: 'o-3' });

      await scenario.whenProjected(reactions());

      expect(publisher.on('orders.announced')).toEqual([{ subject: 'orders.announced', msgId: `${id}-1`, body: expect.objectContaining({ orderId: 'o-3', workflowInstanceId: id, taskRefName: 'announce' }) }]);
      const after = await core.executions.get(id);
      expect(after.tasks[`${id}-1`]).toMatchObject({ status: 'COMPLETED', output: { sink: 'jsm:orders.announced', subject: 'orders.announced' } });
      expect(types(await scenario.eventsOf(id))).toContain('ExecutionCompleted');
    });

    it('when the sink refuses the publish, then the task fails with the reason', async () => {
      const id = await start('announce', { orderId: 'o-4' });
      failPublishes = true;

      await scenario.whenProjected(reactions());

      expect((await core.executions.get(id)).tasks[`${id}-1`]).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('no stream matches the subject') });
    });
  });

  describe('given EVENT tasks with conductor sinks', () => {
    it('when projected, then each payload goes to the conductor queue its sink expands to, keyed by the task id, and the task completes', async () => {
      const id = await start('notify');

      await scenario.whenProjected(reactions());
      await scenario.whenProjected(reactions());

      expect(delivered.map(({ queue, messageId }) => ({ queue, messageId }))).toEqual([
        { queue: 'conductor:notify:order_ready', messageId: `${id}-1` },
        { queue: 'conductor:notify:plain', messageId: `${id}-2` },
      ]);
      expect(delivered[0]!.payload).toMatchObject({ workflowInstanceId: id, event_produced: 'conductor:notify:order_ready' });
      const after = await core.executions.get(id);
      expect(after.tasks[`${id}-1`]).toMatchObject({ status: 'COMPLETED', output: { sink: 'conductor:order_ready', event_produced: 'conductor:notify:order_ready', handlers: ['on_ready'] } });
      expect(after.status).toBe('COMPLETED');
    });
  });

  describe('given a START_WORKFLOW task scheduled', () => {
    it('when projected, then one workflow starts with no parent link and the task completes with its id while the flow moves on', async () => {
      const id = await start('kick_off', { orderId: 'o-5' });

      await scenario.whenProjected(reactions());

      const task = (await core.executions.get(id)).tasks[`${id}-1`]!;
      expect(task).toMatchObject({ status: 'COMPLETED', output: { workflowId: expect.any(String) } });
      const startedId = task.output['workflowId'] as string;
      const started = await core.executions.get(startedId);
      expect(started).toMatchObject({ status: 'RUNNING', input: { orderId: 'o-5' }, definition: { name: 'charge' } });
      expect(started.parent).toBeUndefined();
      expect((await core.executions.get(id)).tasks[`${id}-2`]).toMatchObject({ taskRefName: 'work', status: 'SCHEDULED' });
    });

    it('when the workflow to start is not registered, then the task fails with the reason and so does the execution', async () => {
      const id = await start('kick_off_missing');

      await scenario.whenProjected(reactions());

      const after = await core.executions.get(id);
      expect(after.tasks[`${id}-1`]).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('no_such_flow') });
      expect(after.status).toBe('FAILED');
    });
  });
});
