import { Logger } from '@nestjs/common';
import { BatonError, type ExecutionCommand, type IgnoredCode } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { ExecutionService, StartRequest } from '../executions/execution.service';
import { ExecutionNotFoundError, WorkflowDefinitionNotFoundError } from '../executions/orchestrator.errors';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import type { EventStoreAvailability } from '../store/event-store-availability.service';
import { withDefaults, type EventHandlerAction, type EventHandlerDef } from './event-handler-def';
import { EventHandlerProcessor } from './event-handler-processor.service';
import type { EventHandlerRegistry } from './event-handler-registry.service';
import { EventActionsFailedError } from './event-handler.errors';
import { jetStreamEventMessage } from './event-message';

const completeWait: EventHandlerAction = { action: 'complete_task', complete_task: { workflowId: '${workflowId}', taskRefName: 'wait' } };
const startFulfil: EventHandlerAction = { action: 'start_workflow', start_workflow: { name: 'fulfil', idempotencyKey: '${orderId}' } };
const delivery = (deliveryCount: number) => jetStreamEventMessage({ subject: 'orders.x', stream: 'ORDERS', sequence: 3, storedAtNanos: 1, msgId: 'm', deliveryCount });

/** An execution service that records what it was asked and answers as told. */
class FakeExecutions {
  readonly starts: StartRequest[] = [];
  readonly commands: { executionId: string; command: ExecutionCommand }[] = [];
  ignored: IgnoredCode | undefined;
  startError: unknown;
  commandError: unknown;
  history: Partial<RecordedEvent>[] = [];

  async start(request: StartRequest) {
    if (this.startError) throw this.startError;
    this.starts.push(request);
    return { executionId: 'e-1', created: true };
  }

  async command(executionId: string, command: ExecutionCommand) {
    if (this.commandError) throw this.commandError;
    this.commands.push({ executionId, command });
    return { decision: { events: [], ...(this.ignored ? { ignored: { code: this.ignored, reason: `ignored: ${this.ignored}` } } : {}) }, state: {} };
  }

  async historyOf(executionId: string) {
    if (executionId === 'missing') throw new ExecutionNotFoundError(executionId);
    return this.history;
  }
}

function processorWith(handler: EventHandlerDef | undefined) {
  const executions = new FakeExecutions();
  const reported: unknown[] = [];
  const registry = { get: () => handler } as unknown as EventHandlerRegistry;
  const service = { start: (r: StartRequest) => executions.start(r), command: (id: string, c: ExecutionCommand) => executions.command(id, c), history: (id: string) => executions.historyOf(id) };
  const availability = { reportFailure: (error: unknown) => reported.push(error) } as unknown as EventStoreAvailability;
  const processor = new EventHandlerProcessor(registry, service as unknown as ExecutionService, new OrchestratorMetrics(), availability);
  return { processor, executions, reported };
}

const handlerOf = (actions: EventHandlerAction[], extra: Partial<EventHandlerDef> = {}) => withDefaults({ name: 'h', event: 'jsm:orders.x', active: true, actions, ...extra });

describe('EventHandlerProcessor', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('given a matching event, when processed, then every action runs in order and the outcome is acted', async () => {
    const { processor, executions } = processorWith(handlerOf([startFulfil, completeWait]));

    await expect(processor.process('h', 'jsm:orders.x', { orderId: 'o-1', workflowId: 'w-1' }, delivery(1))).resolves.toBe('acted');

    expect(executions.starts).toEqual([expect.objectContaining({ name: 'fulfil', idempotencyKey: 'o-1', idempotencyStrategy: 'RETURN_EXISTING' })]);
    expect(executions.commands).toEqual([{ executionId: 'w-1', command: expect.objectContaining({ type: 'CompleteTaskByRef', taskRefName: 'wait', status: 'COMPLETED' }) }]);
  });

  it('given a condition that is false, when processed, then nothing runs and the outcome is unmatched', async () => {
    const { processor, executions } = processorWith(handlerOf([startFulfil], { condition: '$.amount > 100' }));
    await expect(processor.process('h', 'jsm:orders.x', { amount: 5 }, delivery(1))).resolves.toBe('unmatched');
    expect(executions.starts).toEqual([]);
  });

  it.each([
    ['removed', undefined],
    ['inactive', handlerOf([startFulfil], { active: false })],
    ['moved to another event', handlerOf([startFulfil], { event: 'jsm:orders.y' })],
  ])('given a handler %s since the subscription was made, when an event arrives, then it is skipped', async (_what, handler) => {
    const { processor, executions } = processorWith(handler);
    await expect(processor.process('h', 'jsm:orders.x', { orderId: 'o' }, delivery(1))).resolves.toBe('skipped');
    expect(executions.starts).toEqual([]);
  });

  it('given a condition that throws on this payload, when processed, then a non-retryable error names the handler', async () => {
    const { processor } = processorWith(handlerOf([startFulfil], { condition: '$.a.b.c > 1' }));
    await expect(processor.process('h', 'jsm:orders.x', {}, delivery(1))).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/event handler h: the condition failed/) });
  });

  it.each<[IgnoredCode]>([['UNKNOWN_EXECUTION'], ['UNKNOWN_TASK'], ['EXECUTION_ENDED'], ['TASK_NOT_PENDING']])(
    'given a task action the execution ignores with %s, when processed, then the other actions still run and a non-retryable error carries the code',
    async (code) => {
      const { processor, executions } = processorWith(handlerOf([completeWait, startFulfil]));
      executions.ignored = code;

      const failure = await processor.process('h', 'jsm:orders.x', { orderId: 'o', workflowId: 'w' }, delivery(1)).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(EventActionsFailedError);
      expect(failure).toMatchObject({ code, retryable: false, message: expect.stringContaining(`actions[0]: ${code}`) });
      expect(executions.starts).toHaveLength(1);
    },
  );

  it('given a task action that finds the same status already there, when processed, then it counts as done', async () => {
    const { processor, executions } = processorWith(handlerOf([completeWait]));
    executions.ignored = 'DUPLICATE_RESULT';
    await expect(processor.process('h', 'jsm:orders.x', { workflowId: 'w' }, delivery(1))).resolves.toBe('acted');
  });

  it('given a redelivered event whose task action is already in the execution history, when processed, then the command is not sent again', async () => {
    const { processor, executions } = processorWith(handlerOf([completeWait]));
    executions.history = [{ metadata: { causationId: 'event:h:0:msg:m' } }];

    await expect(processor.process('h', 'jsm:orders.x', { workflowId: 'w' }, delivery(2))).resolves.toBe('acted');

    expect(executions.commands).toEqual([]);
  });

  it('given a redelivered event not applied before, when processed, then the command is sent', async () => {
    const { processor, executions } = processorWith(handlerOf([completeWait]));
    executions.history = [{ metadata: { causationId: 'http:other' } }];
    await processor.process('h', 'jsm:orders.x', { workflowId: 'w' }, delivery(2));
    expect(executions.commands).toHaveLength(1);
  });

  it('given a start of a workflow that is not registered, when processed, then a non-retryable error carries WORKFLOW_DEFINITION_NOT_FOUND', async () => {
    const { processor, executions } = processorWith(handlerOf([startFulfil]));
    executions.startError = new WorkflowDefinitionNotFoundError('fulfil');
    await expect(processor.process('h', 'jsm:orders.x', { orderId: 'o' }, delivery(1))).rejects.toMatchObject({ code: 'WORKFLOW_DEFINITION_NOT_FOUND', retryable: false });
  });

  it('given the store is unreachable, when processed, then the retryable error is rethrown and reported to the availability tracker', async () => {
    const { processor, executions, reported } = processorWith(handlerOf([completeWait]));
    const outage = new BatonError('EVENT_STORE_UNAVAILABLE', 'down', { retryable: true });
    executions.commandError = outage;
    await expect(processor.process('h', 'jsm:orders.x', { workflowId: 'w' }, delivery(1))).rejects.toBe(outage);
    expect(reported).toEqual([outage]);
  });
});
