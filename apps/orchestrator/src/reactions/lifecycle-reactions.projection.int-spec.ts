import { publishEvent, simple, subWorkflow, workflow, workflowInput, type ExecutionEvent } from '@app/domain';
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

const charge = workflow('charge').tasks(simple('charge_payment', 'charge')).failureWorkflow('refund').build();
const refund = workflow('refund').tasks(simple('refund_payment', 'refund')).build();
const parent = workflow('parent').tasks(subWorkflow('child', 'child_flow', { orderId: workflowInput('orderId') })).build();
const child = workflow('child_flow').tasks(simple('work', 'work')).outputs({ done: '${work.output.done}' }).build();
const orphan = workflow('orphan').tasks(subWorkflow('child', 'no_such_flow')).build();
const announce = workflow('announce').tasks(publishEvent('announce', 'jsm:orders.announced', { orderId: workflowInput('orderId') })).build();
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

  function reactions(options: { resumed?: boolean } = {}): LifecycleReactions {
    const nats = { publish: () => undefined } as unknown as NatsConnection;
    const jetstream = {
      publish: (subject: string, body: unknown, opts?: { msgId?: string }) => (failPublishes ? Promise.reject(new Error('no stream matches the subject')) : publisher.publish(subject, body, opts)),
    } as unknown as ReturnType<RecordingPublisher['asPublisher']>;
    const subWorkflows = new SubWorkflowReactions(core.repository, core.executions);
    const eventTasks = new EventTaskReactions(core.repository, core.executions, jetstream, nats);
    const lifecycle = new LifecycleReactions(publisher.asPublisher(), core.repository, core.executions, core.clock, loadConfig({}), subWorkflows, eventTasks);
    lifecycle.reactToAllAfterCheckpoint(options.resumed ?? false);
    return lifecycle;
  }

  async function start(name: string, input: Record<string, unknown> = {}): Promise<string> {
    return (await core.executions.start({ name, input }, api)).executionId;
  }

  beforeEach(async () => {
    core = commandCore(new InMemoryEventStore());
    await register(core, [charge, refund, parent, child, orphan, announce], noRetries);
    publisher = new RecordingPublisher();
    failPublishes = false;
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
});
