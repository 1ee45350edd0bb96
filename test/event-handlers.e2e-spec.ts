import { AckPolicy, connect, StorageType, type NatsConnection } from 'nats';
import { wait, workflow } from '@app/domain';
import { DLQ_SUBJECT_PREFIX, Headers } from '@app/messaging';
import type { ConductorWorkflow } from './support/baton-api';
import { register, start, waitForStatus } from './support/flows';
import { expectError, expectProblems } from './support/http-expect';
import { counterSum } from './support/prometheus-text';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

/*
 * Conductor event handlers end to end: the orchestrator as its own process, real NATS (a stream
 * ORDERS for `orders.>` that this suite creates and deletes, and core NATS), SQLite in a temp dir.
 */

type Json = Record<string, unknown>;

const ORDERS_STREAM = 'ORDERS';
const LATE_STREAM = 'EH_LATE';
const ORDER_FLOW = 'eh_order_flow';
const encoder = new TextEncoder();

interface DeadLetter {
  readonly subject: string;
  readonly code: string;
  readonly reason: string;
  readonly consumer: string;
  readonly body: string;
}

const startHandler = (name: string, event: string, extra: Json = {}, start: Json = {}): Json => ({
  name,
  event,
  active: true,
  actions: [{ action: 'start_workflow', start_workflow: { name: ORDER_FLOW, correlationId: '${orderId}', input: { orderId: '${orderId}', amount: '${amount}' }, ...start } }],
  ...extra,
});

const completeHandler = (name: string, event: string): Json => ({
  name,
  event,
  active: true,
  actions: [{ action: 'complete_task', complete_task: { workflowId: '${workflowId}', taskRefName: 'wait_payment', output: { paymentId: '${paymentId}' } } }],
});

describe('event handlers: Conductor EventHandler JSON on NATS (orchestrator process, real NATS, SQLite file)', () => {
  let orchestrator: OrchestratorProcess;
  let nc: NatsConnection;
  let dataDir: string;
  const deadLetters: DeadLetter[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    for (const stream of [ORDERS_STREAM, LATE_STREAM]) await jsm.streams.delete(stream).catch(() => undefined);
    await jsm.streams.add({ name: ORDERS_STREAM, subjects: ['orders.>'], storage: StorageType.File });
    nc.subscribe(`${DLQ_SUBJECT_PREFIX}>`, {
      callback: (error, msg) => {
        if (error) return;
        deadLetters.push({
          subject: msg.subject,
          code: msg.headers?.get(Headers.DlqCode) ?? '',
          reason: msg.headers?.get(Headers.DlqReason) ?? '',
          consumer: msg.headers?.get(Headers.DlqConsumer) ?? '',
          body: msg.string(),
        });
      },
    });
    await nc.flush();
    dataDir = tempDir('event-handlers');
    orchestrator = await startOrchestrator({ dataDir, name: 'event-handlers' });
    await register(orchestrator.api, [], [workflow(ORDER_FLOW).tasks(wait('wait_payment')).outputs({ paymentId: '${wait_payment.output.paymentId}' }).build()]);
  });

  afterAll(async () => {
    await stopAll([orchestrator?.handle]);
    if (nc) {
      const jsm = await nc.jetstreamManager();
      for (const stream of [ORDERS_STREAM, LATE_STREAM]) await jsm.streams.delete(stream).catch(() => undefined);
      await nc.close();
    }
  });

  const api = () => orchestrator.api;

  async function addHandler(handler: Json): Promise<void> {
    await api().expectOk('POST', '/api/event', handler);
  }

  /** Waits until a `jsm:` handler's durable exists on ORDERS: events published from then on reach it. */
  async function waitForDurable(name: string): Promise<void> {
    const jsm = await nc.jetstreamManager();
    await waitFor(`durable baton-handler-${name}`, () => jsm.consumers.info(ORDERS_STREAM, `baton-handler-${name}`).then(() => true, () => false), { timeoutMs: 15_000 });
  }

  /** Waits until a handler's durable has nothing pending and nothing unacknowledged (acks are sent right after the effects are stored). */
  async function waitForAllAcked(name: string): Promise<void> {
    const jsm = await nc.jetstreamManager();
    await waitFor(`every event of ${name} acknowledged`, async () => {
      const info = await jsm.consumers.info(ORDERS_STREAM, `baton-handler-${name}`);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
  }

  async function durableExists(name: string): Promise<boolean> {
    const jsm = await nc.jetstreamManager();
    return jsm.consumers.info(ORDERS_STREAM, `baton-handler-${name}`).then(() => true, () => false);
  }

  async function handlerCount(name: string, outcome: string): Promise<number> {
    return counterSum((await api().request('GET', '/metrics')).text, 'baton_event_handler_events_total', { handler: name, outcome });
  }

  /** Waits until a `nats:` handler's queue subscription is known to the server on the orchestrator's side. */
  async function waitForCoreSubscription(name: string): Promise<void> {
    await waitFor(`${name} subscribed`, async () => counterSum((await api().request('GET', '/metrics')).text, 'baton_event_handler_subscribed', { handler: name }) === 1, { timeoutMs: 15_000 });
  }

  async function correlated(correlationId: string): Promise<(ConductorWorkflow & { correlationId?: string; input: Json })[]> {
    return (await api().request('GET', `/api/workflow/${ORDER_FLOW}/correlated/${correlationId}?includeClosed=true&includeTasks=true`)).json() as (ConductorWorkflow & { correlationId?: string; input: Json })[];
  }

  async function publishJs(subject: string, body: unknown, msgId?: string): Promise<void> {
    await nc.jetstream().publish(subject, typeof body === 'string' ? encoder.encode(body) : encoder.encode(JSON.stringify(body)), msgId ? { msgID: msgId } : undefined);
  }

  it('given an active handler on jsm:orders.placed, when an order event is stored in ORDERS, then one execution starts with the payload as input and its orderId as correlation id', async () => {
    await addHandler(startHandler('start_on_placed', 'jsm:orders.placed'));
    await waitForDurable('start_on_placed');

    await publishJs('orders.placed', { orderId: 'eh-o-1', amount: 25 });

    const [execution, ...others] = await waitFor('the execution of eh-o-1', async () => {
      const found = await correlated('eh-o-1');
      return found.length > 0 ? found : undefined;
    });
    expect(others).toEqual([]);
    expect(execution!.correlationId).toBe('eh-o-1');
    expect(execution!.status).toBe('RUNNING');
    expect(execution!.input).toEqual({ orderId: 'eh-o-1', amount: 25, 'conductor.event.messageId': expect.any(String), 'conductor.event.name': 'jsm:orders.placed' });
    const [started] = (await api().history(execution!.workflowId)).filter((event) => event.type === 'ExecutionStarted');
    expect(started!.metadata).toMatchObject({ actor: 'event-handler:start_on_placed', causationId: expect.stringMatching(/^event:start_on_placed:0:/) });
  });

  it('given a handler with an idempotency key from the payload, when the same order event is published twice with different Msg-Ids, then it starts one execution and both events are acknowledged', async () => {
    await addHandler(startHandler('start_once', 'jsm:orders.repeated', {}, { idempotencyKey: 'order-${orderId}' }));
    await waitForDurable('start_once');

    await publishJs('orders.repeated', { orderId: 'eh-o-2', amount: 5 }, 'repeat-1');
    await publishJs('orders.repeated', { orderId: 'eh-o-2', amount: 5 }, 'repeat-2');

    await waitFor('both events acted on', async () => (await handlerCount('start_once', 'acted')) === 2);
    const found = await waitFor('the execution of eh-o-2 in the read model', async () => ((await correlated('eh-o-2')).length > 0 ? correlated('eh-o-2') : undefined));
    expect(found).toHaveLength(1);
    await waitForAllAcked('start_once');
  });

  it('given a handler whose condition does not match, when the event arrives, then it starts nothing, is acknowledged, and a matching event still starts one', async () => {
    await addHandler(startHandler('start_big_orders', 'jsm:orders.filtered', { condition: '$.amount > 100' }));
    await waitForDurable('start_big_orders');

    await publishJs('orders.filtered', { orderId: 'eh-small', amount: 5 });
    await publishJs('orders.filtered', { orderId: 'eh-big', amount: 500 });

    await waitFor('one unmatched and one acted', async () => (await handlerCount('start_big_orders', 'unmatched')) === 1 && (await handlerCount('start_big_orders', 'acted')) === 1);
    await waitFor('the big order started', async () => (await correlated('eh-big')).length === 1);
    expect(await correlated('eh-small')).toEqual([]);
    await waitForAllAcked('start_big_orders');
  });

  it('given a complete_task handler on nats:payments.confirmed, when a confirmation naming the execution arrives on core NATS, then its WAIT completes with the mapped output', async () => {
    await addHandler(completeHandler('confirm_payment', 'nats:payments.confirmed'));
    await waitForCoreSubscription('confirm_payment');
    const executionId = await start(api(), ORDER_FLOW, { orderId: 'eh-o-3' });
    await waitFor('the WAIT to be reached', async () => (await api().workflow(executionId)).tasks.some((task) => task.referenceTaskName === 'wait_payment'));

    nc.publish('payments.confirmed', encoder.encode(JSON.stringify({ workflowId: executionId, paymentId: 'pay-3' })));

    const done = await waitForStatus(api(), executionId, 'COMPLETED');
    expect(done.output).toEqual({ paymentId: 'pay-3' });
    expect(done.tasks.find((task) => task.referenceTaskName === 'wait_payment')!.outputData).toMatchObject({ paymentId: 'pay-3', 'conductor.event.name': 'nats:payments.confirmed' });
  });

  it('given an inactive handler, when its event arrives, then nothing consumes it; activated, it acts on the next one; deactivated, its durable is gone', async () => {
    await addHandler(startHandler('start_dormant', 'jsm:orders.dormant', { active: false }));
    await addHandler(startHandler('start_dormant_witness', 'jsm:orders.dormant'));
    await waitForDurable('start_dormant_witness');

    await publishJs('orders.dormant', { orderId: 'eh-dormant-1', amount: 1 });
    // The witness on the same subject acted on the event; the inactive handler has no consumer that could have.
    await waitFor('the witness to act', async () => (await handlerCount('start_dormant_witness', 'acted')) === 1);
    expect(await durableExists('start_dormant')).toBe(false);
    expect(await handlerCount('start_dormant', 'received')).toBe(0);
    await waitFor('the witness execution in the read model', async () => (await correlated('eh-dormant-1')).length === 1);

    await api().expectOk('PUT', '/api/event', startHandler('start_dormant', 'jsm:orders.dormant', { active: true }, { correlationId: 'dormant-${orderId}' }));
    await waitForDurable('start_dormant');
    await publishJs('orders.dormant', { orderId: 'eh-dormant-2', amount: 1 });
    await waitFor('the activated handler to act', async () => (await correlated('dormant-eh-dormant-2')).length === 1);
    expect(await correlated('dormant-eh-dormant-1')).toEqual([]);

    await api().expectOk('PUT', '/api/event', startHandler('start_dormant', 'jsm:orders.dormant', { active: false }));
    await waitFor('the durable of the deactivated handler to be deleted', async () => !(await durableExists('start_dormant')));
  });

  it('given a complete_task handler, when an event names an unknown execution or is not JSON, then it is dead-lettered with the reason, and the orchestrator keeps serving the next event', async () => {
    await addHandler(completeHandler('confirm_cancel', 'jsm:orders.cancel'));
    await waitForDurable('confirm_cancel');

    await publishJs('orders.cancel', { workflowId: 'no-such-execution', paymentId: 'p' });
    await publishJs('orders.cancel', '{not json');

    const letters = await waitFor('two dead letters', () => {
      const mine = deadLetters.filter((letter) => letter.subject === `${DLQ_SUBJECT_PREFIX}orders.cancel`);
      return mine.length >= 2 ? mine : undefined;
    });
    expect(letters).toEqual(
      expect.arrayContaining([
        { subject: 'baton.dlq.orders.cancel', code: 'UNKNOWN_EXECUTION', reason: expect.stringMatching(/no-such-execution/), consumer: 'baton-handler-confirm_cancel', body: expect.stringMatching(/no-such-execution/) },
        { subject: 'baton.dlq.orders.cancel', code: 'DECODE_FAILED', reason: expect.stringMatching(/not UTF-8 JSON/), consumer: 'baton-handler-confirm_cancel', body: '{not json' },
      ]),
    );

    expect(await api().healthy()).toBe(true);
    const executionId = await start(api(), ORDER_FLOW, { orderId: 'eh-o-4' });
    await waitFor('the WAIT to be reached', async () => (await api().workflow(executionId)).tasks.some((task) => task.referenceTaskName === 'wait_payment'));
    await publishJs('orders.cancel', { workflowId: executionId, paymentId: 'pay-4' });
    expect((await waitForStatus(api(), executionId, 'COMPLETED')).output).toEqual({ paymentId: 'pay-4' });
    expect(orchestrator.handle.running).toBe(true);
  });

  it('given a nats: handler, when an event names an unknown execution, then it is dead-lettered from core NATS with the reason', async () => {
    await addHandler(completeHandler('confirm_core', 'nats:payments.core'));
    await waitForCoreSubscription('confirm_core');

    nc.publish('payments.core', encoder.encode(JSON.stringify({ workflowId: 'no-such-core-execution', paymentId: 'p' })));

    const [letter] = await waitFor('a core dead letter', () => {
      const mine = deadLetters.filter((candidate) => candidate.subject === `${DLQ_SUBJECT_PREFIX}payments.core`);
      return mine.length > 0 ? mine : undefined;
    });
    expect(letter).toEqual({ subject: 'baton.dlq.payments.core', code: 'UNKNOWN_EXECUTION', reason: expect.stringMatching(/no-such-core-execution/), consumer: 'baton-handler-confirm_core', body: expect.any(String) });
  });

  it('given a jsm: handler whose subject no stream holds, when a stream for it is created later, then the handler binds to it and acts (Baton never creates the stream)', async () => {
    const jsm = await nc.jetstreamManager();
    await addHandler(startHandler('start_on_late', 'jsm:late.orders'));
    await waitFor('the handler to report it waits', async () => (await api().request('GET', '/metrics')).text.includes('baton_event_handler_subscribed{handler="start_on_late",provider="jsm"} 0'), { timeoutMs: 15_000 });
    await expect(jsm.streams.find('late.orders')).rejects.toThrow(/no stream matches subject/);

    await jsm.streams.add({ name: LATE_STREAM, subjects: ['late.>'], storage: StorageType.File });
    await waitFor('durable baton-handler-start_on_late', () => jsm.consumers.info(LATE_STREAM, 'baton-handler-start_on_late').then(() => true, () => false), { timeoutMs: 15_000 });
    await publishJs('late.orders', { orderId: 'eh-late-1', amount: 3 });

    await waitFor('the late order to start', async () => (await correlated('eh-late-1')).length === 1);
  });

  it('given an active jsm: handler, when an event is published while the orchestrator is down, then it is handled once the orchestrator is back (the durable kept it), and a durable left behind by an inactive handler is deleted', async () => {
    await addHandler(startHandler('start_after_restart', 'jsm:orders.downtime'));
    await addHandler(startHandler('start_stale', 'jsm:orders.stale', { active: false }));
    await waitForDurable('start_after_restart');
    await orchestrator.handle.stop();

    await publishJs('orders.downtime', { orderId: 'eh-down-1', amount: 8 });
    // As if a replica had crashed between storing the deactivation and deleting the durable.
    await (await nc.jetstreamManager()).consumers.add(ORDERS_STREAM, { durable_name: 'baton-handler-start_stale', filter_subject: 'orders.stale', ack_policy: AckPolicy.Explicit });
    orchestrator = await startOrchestrator({ dataDir, port: orchestrator.port, name: 'event-handlers-2' });

    await waitFor('the order published during the downtime to start', async () => (await correlated('eh-down-1')).length === 1);
    expect(await durableExists('start_stale')).toBe(false);
  });

  describe('REST: /api/event', () => {
    it('given invalid handlers, when POSTed, then 400 INVALID_DEFINITION names every field and rule', async () => {
      expectProblems(await api().request('POST', '/api/event', { name: 'bad name', event: 'kafka:orders', actions: [] }), 'INVALID_DEFINITION', [
        ['name', /letters, digits/],
        ['event', /'jsm:<subject>' or 'nats:<subject>'/],
        ['actions', /empty/],
      ]);
      expectProblems(
        await api().request('POST', '/api/event', {
          name: 'h',
          event: 'jsm:orders..x',
          condition: '$.a ==',
          active: 'yes',
          actions: [{ action: 'start_workflow' }, { action: 'complete_task', complete_task: { taskRefName: 'w' } }, { action: 'fail_task', fail_task: { workflowId: 'w' } }, { action: 'terminate' }],
        }),
        'INVALID_DEFINITION',
        [
          ['event', /empty token/],
          ['condition', /does not parse/],
          ['active', /boolean/],
          ['actions[0].start_workflow', /required when action is start_workflow/],
          ['actions[1].complete_task.workflowId', /workflowId is required/],
          ['actions[2].fail_task.taskRefName', /taskRefName or taskId is required/],
          ['actions[3].action', /start_workflow, complete_task, fail_task/],
        ],
      );
      expectProblems(await api().request('POST', '/api/event', startHandler('steal_tasks', 'jsm:baton.task.charge_payment')), 'INVALID_DEFINITION', [['event', /overlaps baton\.task\.>/]]);
    });

    it('given a handler, when POSTed again, then 409; PUT or DELETE of an unknown name is 404; DELETE removes it (a second DELETE is 404)', async () => {
      const handler = startHandler('rest_handler', 'jsm:orders.rest', { active: false });
      await api().expectOk('POST', '/api/event', handler);
      expectError(await api().request('POST', '/api/event', handler), 409, 'EVENT_HANDLER_EXISTS');
      expectError(await api().request('PUT', '/api/event', startHandler('no_such_handler', 'jsm:orders.rest')), 404, 'EVENT_HANDLER_NOT_FOUND');
      expectError(await api().request('DELETE', '/api/event/no_such_handler'), 404, 'EVENT_HANDLER_NOT_FOUND');

      await api().expectOk('DELETE', '/api/event/rest_handler');
      expect((JSON.parse(await api().expectOk('GET', '/api/event')) as Json[]).map((h) => h.name)).not.toContain('rest_handler');
      expectError(await api().request('DELETE', '/api/event/rest_handler'), 404, 'EVENT_HANDLER_NOT_FOUND');
      // Removed, the name can be used again.
      await api().expectOk('POST', '/api/event', handler);
    });

    it("given handlers, when listed and queried by event, then they come back with Conductor's defaults; activeOnly defaults to true", async () => {
      await api().expectOk('POST', '/api/event', { name: 'by_event_on', event: 'jsm:orders.listed', active: true, actions: [{ action: 'start_workflow', start_workflow: { name: ORDER_FLOW } }] });
      await api().expectOk('POST', '/api/event', { name: 'by_event_off', event: 'jsm:orders.listed', actions: [{ action: 'start_workflow', start_workflow: { name: ORDER_FLOW } }] });

      const all = JSON.parse(await api().expectOk('GET', '/api/event')) as Json[];
      expect(all.find((h) => h.name === 'by_event_off')).toEqual({ name: 'by_event_off', event: 'jsm:orders.listed', active: false, evaluatorType: 'javascript', actions: [{ action: 'start_workflow', start_workflow: { name: ORDER_FLOW } }] });
      const names = async (query: string) => (JSON.parse(await api().expectOk('GET', `/api/event/${encodeURIComponent('jsm:orders.listed')}${query}`)) as Json[]).map((h) => h.name);
      expect(await names('')).toEqual(['by_event_on']);
      expect(await names('?activeOnly=false')).toEqual(['by_event_off', 'by_event_on']);
      expectProblems(await api().request('GET', '/api/event/jsm:orders.listed?activeOnly=maybe'), 'VALIDATION_FAILED', [['activeOnly', /true or false/]]);
    });
  });
});
