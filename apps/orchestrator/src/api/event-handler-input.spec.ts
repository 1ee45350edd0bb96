import { InvalidDefinitionError } from '../executions/orchestrator.errors';
import { checkedEventHandler, checkedEventHandlers } from './event-handler-input';

type Json = Record<string, unknown>;

const start = (extra: Json = {}): Json => ({ action: 'start_workflow', start_workflow: { name: 'fulfil_order', input: { orderId: '${orderId}' }, ...extra } });
const complete = (details: Json): Json => ({ action: 'complete_task', complete_task: details });
const handler = (extra: Json = {}): Json => ({ name: 'start_fulfilment', event: 'jsm:orders.ready', active: true, actions: [start()], ...extra });

/** The problems the check reports, as `path: message` pairs. */
function problemsOf(body: unknown): { path: string; message: string }[] {
  try {
    checkedEventHandler(body);
  } catch (error) {
    if (error instanceof InvalidDefinitionError) return [...error.problems];
    throw error;
  }
  return [];
}

const paths = (body: unknown) => [...new Set(problemsOf(body).map((problem) => problem.path))].sort();

describe('checkedEventHandler', () => {
  it("given a valid handler without active or evaluatorType, when checked, then it gets Conductor's defaults and keeps every field", () => {
    const body = { name: 'h', event: 'nats:payments.confirmed', condition: "$.status == 'OK'", description: 'd', actions: [complete({ workflowId: '${workflowId}', taskRefName: 'wait' })] };
    expect(checkedEventHandler(body)).toEqual({ ...body, active: false, evaluatorType: 'javascript' });
  });

  it.each([
    ['jsm:orders.placed'],
    ['jsm:orders.*'],
    ['jsm:orders.>'],
    ['nats:payments.confirmed'],
    ['jsm:baton.execution.COMPLETED'],
    ['nats:baton.task.charge_payment'],
    ['conductor:order_flow:order_ready'],
  ])('given the event %s, when checked, then it is accepted', (event) => {
    expect(problemsOf(handler({ event }))).toEqual([]);
  });

  it.each([
    ['kafka:orders', /'jsm:<subject>' or 'nats:<subject>'/],
    ['orders.placed', /'jsm:<subject>' or 'nats:<subject>'/],
    ['jsm:', /subject is empty/],
    ['jsm:orders..placed', /empty token/],
    ['nats:orders placed', /whitespace/],
    ['jsm:orders.>.x', /'>' must be the last token/],
    ['jsm:baton.task.charge_payment', /overlaps baton\.task\.>.*workers/],
    ['jsm:baton.>', /overlaps baton\.task\.>/],
    ['jsm:baton.result.x', /overlaps baton\.result\.>/],
    ['nats:baton.dlq.>', /overlaps baton\.dlq\.>.*its own subject/],
    ['conductor:order_ready', /conductor:<workflow>:<event>/],
    ['conductor:a.b:c', /conductor:<workflow>:<event>/],
  ])('given the event %j, when checked, then the problem is named at "event" (%s)', (event, message) => {
    expect(problemsOf(handler({ event }))).toEqual(expect.arrayContaining([{ path: 'event', message: expect.stringMatching(message) }]));
    expect(paths(handler({ event }))).toEqual(['event']);
  });

  it('given a condition that does not parse, when checked, then the problem is at "condition" with the position', () => {
    expect(problemsOf(handler({ condition: "$.status == 'READY' &&" }))).toEqual([{ path: 'condition', message: expect.stringMatching(/condition does not parse: .*1:\d+/) }]);
  });

  it('given an unknown evaluatorType, when checked, then it is named and the condition is not reported again', () => {
    expect(paths(handler({ evaluatorType: 'python', condition: 'x ==' }))).toEqual(['evaluatorType']);
  });

  it('given a value-param condition, when checked, then it is accepted', () => {
    expect(problemsOf(handler({ evaluatorType: 'value-param', condition: 'ready' }))).toEqual([]);
  });

  it('given no actions, or an empty list, when checked, then "actions" is named', () => {
    expect(paths({ name: 'h', event: 'jsm:a.b' })).toEqual(['actions']);
    expect(problemsOf(handler({ actions: [] }))).toEqual([{ path: 'actions', message: expect.stringMatching(/empty/) }]);
  });

  it('given an action whose block is missing, when checked, then the block is named as required', () => {
    expect(problemsOf(handler({ actions: [{ action: 'start_workflow' }, { action: 'fail_task', complete_task: { workflowId: 'w', taskRefName: 't' } }] }))).toEqual([
      { path: 'actions[0].start_workflow', message: 'start_workflow is required when action is start_workflow' },
      { path: 'actions[1].fail_task', message: 'fail_task is required when action is fail_task' },
    ]);
  });

  it('given task actions without workflowId or without taskRefName and taskId, when checked, then each missing field is named', () => {
    const body = handler({ actions: [complete({ taskRefName: 'wait' }), complete({ workflowId: '${workflowId}' }), complete({ workflowId: 'w', taskId: '${taskId}' })] });
    expect(problemsOf(body)).toEqual([
      { path: 'actions[0].complete_task.workflowId', message: expect.stringMatching(/workflowId is required/) },
      { path: 'actions[1].complete_task.taskRefName', message: expect.stringMatching(/taskRefName or taskId is required/) },
    ]);
  });

  it('given an unknown action, a start without a valid name, and templates that do not parse, when checked, then every problem is listed with its path', () => {
    const body = handler({
      name: 'bad name',
      active: 'yes',
      actions: [
        { action: 'terminate_workflow' },
        start({ name: 'fulfil order', version: 0, correlationId: '${orderId', input: { a: '${}' } }),
        complete({ workflowId: 42, taskRefName: 'w', output: 'done' }),
        { action: 'complete_task', complete_task: 'wait', expandInlineJSON: 'yes' },
      ],
    });
    expect(paths(body)).toEqual([
      'actions[0].action',
      'actions[1].start_workflow.correlationId',
      'actions[1].start_workflow.input',
      'actions[1].start_workflow.name',
      'actions[1].start_workflow.version',
      'actions[2].complete_task.output',
      'actions[2].complete_task.workflowId',
      'actions[3].complete_task',
      'actions[3].expandInlineJSON',
      'active',
      'name',
    ]);
  });

  it('given a body that is not an object, when checked, then the problem is at the root', () => {
    expect(problemsOf([1, 2])).toEqual([{ path: '', message: expect.stringMatching(/JSON object/) }]);
  });
});

describe('checkedEventHandlers', () => {
  it("given one handler or a list of them (Conductor's SDKs post a list), when checked, then each comes back with its defaults", () => {
    expect(checkedEventHandlers(handler())).toEqual([expect.objectContaining({ name: 'start_fulfilment', evaluatorType: 'javascript' })]);
    expect(checkedEventHandlers([handler(), handler({ name: 'second' })]).map((h) => h.name)).toEqual(['start_fulfilment', 'second']);
  });

  it('given a list with an invalid handler or an empty list, when checked, then the problems are named by index and nothing is returned', () => {
    expect(() => checkedEventHandlers([handler(), handler({ event: 'kafka:x' })])).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ path: '[1].event' })] }));
    expect(() => checkedEventHandlers([])).toThrow(expect.objectContaining({ problems: [{ path: '', message: 'the list of event handlers is empty' }] }));
  });
});
