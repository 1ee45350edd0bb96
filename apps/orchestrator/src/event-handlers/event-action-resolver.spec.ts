import { EVENT_ACTION_UNRESOLVED, resolveEventActions } from './event-action-resolver';
import { withDefaults, type EventHandlerAction } from './event-handler-def';
import { coreEventMessage, jetStreamEventMessage, type EventMessage } from './event-message';

const message: EventMessage = jetStreamEventMessage({ subject: 'orders.placed', stream: 'ORDERS', sequence: 7, storedAtNanos: 1_700_000_000_000_000_000, msgId: 'm-1', deliveryCount: 1 });
const handlerWith = (...actions: EventHandlerAction[]) => withDefaults({ name: 'on_order', event: 'jsm:orders.placed', active: true, actions });
const eventFields = { 'conductor.event.messageId': 'm-1', 'conductor.event.name': 'jsm:orders.placed' };

describe('resolveEventActions', () => {
  it('given a start_workflow action with templates, when resolved, then input and correlation id read the payload, and the key is derived from handler, action and message', () => {
    const handler = handlerWith({ action: 'start_workflow', start_workflow: { name: 'fulfil', version: 2, correlationId: '${orderId}', input: { orderId: '${orderId}', total: '${amount.total}', note: 'order ${orderId}' } } });

    const [action] = resolveEventActions(handler, { orderId: 'o-1', amount: { total: 42 } }, message);

    expect(action).toEqual({
      kind: 'start',
      index: 0,
      causationId: 'event:on_order:0:msg:m-1',
      request: {
        name: 'fulfil',
        version: 2,
        correlationId: 'o-1',
        input: { orderId: 'o-1', total: 42, note: 'order o-1', ...eventFields },
        idempotencyKey: 'event:on_order:0:msg:m-1',
        idempotencyStrategy: 'RETURN_EXISTING',
      },
    });
  });

  it('given an explicit idempotencyKey template, when resolved, then the key is the payload value, whatever the message', () => {
    const handler = handlerWith({ action: 'start_workflow', start_workflow: { name: 'fulfil', idempotencyKey: 'order-${orderId}' } });
    const other = jetStreamEventMessage({ subject: 'orders.placed', stream: 'ORDERS', sequence: 8, storedAtNanos: 1, msgId: 'm-2', deliveryCount: 1 });

    const keys = [message, other].map((m) => resolveEventActions(handler, { orderId: 7 }, m)[0]).map((a) => (a?.kind === 'start' ? a.request.idempotencyKey : undefined));

    expect(keys).toEqual(['order-7', 'order-7']);
  });

  it('given a number where a correlation id goes, when resolved, then it becomes text; a missing one is left out', () => {
    const handler = handlerWith({ action: 'start_workflow', start_workflow: { name: 'fulfil', correlationId: '${orderId}' } });
    const [withNumber] = resolveEventActions(handler, { orderId: 12 }, message);
    const [withNothing] = resolveEventActions(handler, {}, message);
    expect(withNumber).toMatchObject({ request: { correlationId: '12' } });
    expect(withNothing?.kind === 'start' && 'correlationId' in withNothing.request).toBe(false);
  });

  it('given an idempotencyKey template the payload cannot fill, when resolved, then the action is unresolved with the reason', () => {
    const handler = handlerWith({ action: 'start_workflow', start_workflow: { name: 'fulfil', idempotencyKey: '${orderId}' } });
    expect(resolveEventActions(handler, { other: 1 }, message)).toEqual([
      { kind: 'unresolved', index: 0, causationId: 'event:on_order:0:msg:m-1', code: EVENT_ACTION_UNRESOLVED, reason: expect.stringMatching(/idempotencyKey "\$\{orderId\}" resolved to nothing/) },
    ]);
  });

  it('given complete_task by reference name and fail_task by task id, when resolved, then they become CompleteTaskByRef and ApplyTaskResult on the workflow named by the payload', () => {
    const handler = handlerWith(
      { action: 'complete_task', complete_task: { workflowId: '${workflowId}', taskRefName: 'wait_payment', output: { paid: true, amount: '${amount}' } } },
      { action: 'fail_task', fail_task: { workflowId: '${workflowId}', taskId: '${taskId}' } },
    );

    const actions = resolveEventActions(handler, { workflowId: 'wf-1', taskId: 't-9', amount: 10 }, message);

    expect(actions).toEqual([
      {
        kind: 'task',
        index: 0,
        causationId: 'event:on_order:0:msg:m-1',
        executionId: 'wf-1',
        command: { type: 'CompleteTaskByRef', taskRefName: 'wait_payment', status: 'COMPLETED', output: { paid: true, amount: 10, ...eventFields }, workerId: 'event-handler:on_order' },
      },
      {
        kind: 'task',
        index: 1,
        causationId: 'event:on_order:1:msg:m-1',
        executionId: 'wf-1',
        command: { type: 'ApplyTaskResult', taskId: 't-9', status: 'FAILED', output: eventFields, workerId: 'event-handler:on_order', reason: 'failed by event handler on_order on orders.placed' },
      },
    ]);
  });

  it('given a task action whose workflowId the payload lacks, when resolved, then it is unresolved and names the template', () => {
    const handler = handlerWith({ action: 'complete_task', complete_task: { workflowId: '${workflowId}', taskRefName: 'wait' } });
    expect(resolveEventActions(handler, { orderId: 'o' }, message)).toEqual([expect.objectContaining({ kind: 'unresolved', reason: expect.stringMatching(/workflowId "\$\{workflowId\}" resolved to nothing/) })]);
  });

  it('given expandInlineJSON, when resolved, then templates read into JSON held in payload strings; without it they do not', () => {
    const action = (expandInlineJSON: boolean): EventHandlerAction => ({ action: 'complete_task', expandInlineJSON, complete_task: { workflowId: '${body.workflowId}', taskRefName: 'wait' } });
    const payload = { body: '{"workflowId":"wf-7"}' };
    expect(resolveEventActions(handlerWith(action(true)), payload, message)[0]).toMatchObject({ kind: 'task', executionId: 'wf-7' });
    expect(resolveEventActions(handlerWith(action(false)), payload, message)[0]).toMatchObject({ kind: 'unresolved' });
  });
});

describe('event message identity', () => {
  it('given a JetStream message with a Nats-Msg-Id, when identified, then redeliveries share the key and the message id is the Msg-Id', () => {
    const first = jetStreamEventMessage({ subject: 's', stream: 'S', sequence: 1, storedAtNanos: 5, msgId: 'abc', deliveryCount: 1 });
    const again = jetStreamEventMessage({ subject: 's', stream: 'S', sequence: 1, storedAtNanos: 5, msgId: 'abc', deliveryCount: 3 });
    expect([first.key, first.messageId]).toEqual(['msg:abc', 'abc']);
    expect(again.key).toBe(first.key);
  });

  it('given JetStream messages without Msg-Id, when identified, then the key is stream, sequence and store time (a recreated stream reuses sequences)', () => {
    const old = jetStreamEventMessage({ subject: 's', stream: 'S', sequence: 1, storedAtNanos: 5, deliveryCount: 1 });
    const recreated = jetStreamEventMessage({ subject: 's', stream: 'S', sequence: 1, storedAtNanos: 9, deliveryCount: 1 });
    expect(old).toMatchObject({ key: 'seq:S:1:5', messageId: 'S:1' });
    expect(recreated.key).not.toBe(old.key);
  });

  it('given core messages, when identified, then a Msg-Id is used when present, else the random id', () => {
    expect(coreEventMessage({ subject: 's', msgId: 'x' }, 'r')).toMatchObject({ key: 'msg:x', messageId: 'x', deliveryCount: 1 });
    expect(coreEventMessage({ subject: 's' }, 'r')).toMatchObject({ key: 'core:r', messageId: 'r' });
  });
});
